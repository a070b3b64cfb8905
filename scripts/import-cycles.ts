/** Fails when modules import each other in a circle, type-only imports included (run by `npm run lint`; directories as arguments, else src and web). */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The source trees checked unless others are named: the service and the pages. */
const ROOTS = ['src', 'web'];

/** Files that import each other in a circle: all of them, and the shortest circle through the first. */
export interface ImportCircle {
  files: string[];
  circle: string[];
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The files an import of `spec` from `file` may name: as written, and the source an ESM `.js`/`.jsx` name stands for. */
function candidates(file: string, spec: string): string[] {
  const path = resolve(dirname(file), spec);
  const stem = path.replace(/\.[cm]?jsx?$/, '');
  return stem === path ? [path, `${path}.ts`, `${path}.tsx`] : [path, `${stem}.ts`, `${stem}.tsx`];
}

/** The files `file` imports by relative path, among `known`: static, dynamic, type-only and re-exports alike. */
function importsOf(file: string, known: ReadonlySet<string>): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles
    .filter((r) => r.fileName.startsWith('.'))
    .flatMap((r) => candidates(file, r.fileName).find((path) => known.has(path)) ?? []);
}

/** Each set of .ts/.tsx files under `dirs` that import each other in a circle, as absolute paths. */
export function importCircles(dirs: readonly string[]): ImportCircle[] {
  const files = new Set(dirs.flatMap(sources).map((file) => resolve(file)));
  const graph = new Map([...files].map((file) => [file, importsOf(file, files)]));
  const edges = (v: string): string[] => graph.get(v) ?? [];

  // Tarjan's strongly connected components; every component of two or more files (or a file importing itself) holds a circle.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: ImportCircle[] = [];
  const visit = (v: string): void => {
    const i = index.size;
    index.set(v, i);
    low.set(v, i);
    stack.push(v);
    onStack.add(v);
    for (const w of edges(v)) {
      if (!index.has(w)) visit(w);
      // A file still on the stack is in v's component or above it; one already taken off closed a component of its own.
      if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? i, low.get(w) ?? i));
    }
    if (low.get(v) !== i) return;
    const component = stack.splice(stack.lastIndexOf(v));
    for (const w of component) onStack.delete(w);
    if (component.length > 1 || edges(v).includes(v)) {
      const sorted = component.sort();
      circles.push({ files: sorted, circle: shortestCircle(sorted, edges) });
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return circles;
}

/** The shortest circle through the component's first file, found breadth-first inside the component. */
function shortestCircle(component: readonly string[], edges: (v: string) => string[]): string[] {
  const inside = new Set(component);
  const start = component[0];
  if (start === undefined) return [];
  const from = new Map<string, string>();
  const queue = [start];
  for (const v of queue) {
    for (const w of edges(v)) {
      if (w === start) {
        const path = [start];
        for (let u: string | undefined = v; u !== undefined && u !== start; u = from.get(u)) path.splice(1, 0, u);
        return [...path, start];
      }
      if (inside.has(w) && w !== start && !from.has(w)) {
        from.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dirs = process.argv.slice(2);
  const circles = importCircles(dirs.length ? dirs : ROOTS);
  const shown = (f: string): string => relative(process.cwd(), f);
  for (const { files, circle } of circles) {
    console.error(`import circle among ${String(files.length)} files: ${files.map(shown).join(', ')}`);
    console.error(`  for one: ${circle.map(shown).join(' -> ')}`);
  }
  if (circles.length) process.exitCode = 1;
}
