import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { importCircles } from './import-cycles.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const SCRIPT = join(ROOT, 'scripts', 'import-cycles.ts');
const tmp = mkdtempSync(join(tmpdir(), 'gk-cycles-'));

/** Writes `files` (path to source) under a fresh directory and returns it. */
function tree(name: string, files: Record<string, string>): string {
  const dir = join(tmp, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** Runs the script in `cwd` on `dirs`: its exit code and what it printed. */
function run(cwd: string, dirs: string[]): { code: number; out: string } {
  try {
    execFileSync(TSX, [SCRIPT, ...dirs], { cwd, encoding: 'utf8', stdio: 'pipe' });
    return { code: 0, out: '' };
  } catch (e) {
    const { status, stderr } = e as { status: number; stderr: string };
    return { code: status, out: stderr };
  }
}

const CIRCLE = {
  'src/a/context.ts': "import { worker } from './worker.js';\nexport const open = () => worker;\n",
  'src/a/worker.ts': "import { job } from '../b/job.ts';\nexport const worker = job;\n",
  'src/b/job.ts': "import type { Context } from '../a/types.js';\nexport const job = (c: Context) => c;\n",
  'src/a/types.ts': "export type { Opened as Context } from './context.ts';\n",
  'src/self.tsx': "export const self = () => import('./self.js');\n",
  'src/leaf.ts': "import { open } from './a/context.ts';\nexport const leaf = open;\n",
};

const CLEAN = {
  'src/a/context.ts':
    "import { worker } from './worker.js';\nimport type { Context } from './types.ts';\nexport const open = (c: Context) => [c, worker];\n",
  'src/a/worker.ts': "import { job } from '../b/job.ts';\nexport const worker = job;\n",
  'src/b/job.ts': "import type { Context } from '../a/types.js';\nimport { z } from 'zod';\nexport const job = (c: Context) => [c, z];\n",
  'src/a/types.ts': 'export interface Context { id: string }\n',
  'web/page.tsx': "import { open } from '../src/a/context.ts';\nexport const Page = () => open;\n",
};

describe('import circles', () => {
  afterAll(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  it('finds every circle, through .js names, type-only re-exports and dynamic imports, and no file outside one', () => {
    const dir = tree('circle', CIRCLE);
    const found = importCircles([join(dir, 'src')]).map((c) => ({
      files: c.files.map((f) => f.slice(dir.length + 1)),
      circle: c.circle.map((f) => f.slice(dir.length + 1)),
    }));
    expect(found).toHaveLength(2);
    expect(found).toContainEqual({ files: ['src/self.tsx'], circle: ['src/self.tsx', 'src/self.tsx'] });
    expect(found).toContainEqual({
      files: ['src/a/context.ts', 'src/a/types.ts', 'src/a/worker.ts', 'src/b/job.ts'],
      circle: ['src/a/context.ts', 'src/a/worker.ts', 'src/b/job.ts', 'src/a/types.ts', 'src/a/context.ts'],
    });
  });

  it('finds none where the shared type sits in a module of its own', () => {
    const dir = tree('clean', CLEAN);
    expect(importCircles([join(dir, 'src'), join(dir, 'web')])).toEqual([]);
  });

  it('prints each circle and exits non-zero when there is one, and zero when there is none', () => {
    const circle = run(join(tmp, 'circle'), ['src']);
    expect(circle.code).toBe(1);
    expect(circle.out).toContain('import circle among 4 files: src/a/context.ts, src/a/types.ts, src/a/worker.ts, src/b/job.ts');
    expect(circle.out).toContain('src/a/context.ts -> src/a/worker.ts -> src/b/job.ts -> src/a/types.ts -> src/a/context.ts');
    expect(circle.out).toContain('src/self.tsx -> src/self.tsx');
    expect(run(join(tmp, 'clean'), [])).toEqual({ code: 0, out: '' });
  });
});
