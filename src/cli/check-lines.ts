/** The per-line work of `check --jsonl`, shared by the main thread and the worker threads. */
import { z } from 'zod';
import { check, checkInputSchema } from '../check/index.ts';

const lineId = z.union([z.string(), z.number()]);
const batchLine = z.object({ id: lineId, text: z.string() });

function checkLine(line: string, lineNo: number): string {
  let id: string | number | null = null;
  try {
    const raw: unknown = JSON.parse(line);
    // The answer carries the line's id whenever it has a usable one, even when the rest of the line is wrong.
    const given = lineId.safeParse((raw as { id?: unknown } | null)?.id);
    if (given.success) id = given.data;
    const row = batchLine.parse(raw);
    const parsed = checkInputSchema.safeParse({ text: row.text });
    if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const { text: _omit, ...result } = check(parsed.data);
    return JSON.stringify({ id, ...result }) + '\n';
  } catch (e) {
    const msg =
      e instanceof z.ZodError
        ? e.issues.map((i) => `${i.path.join('.') || 'line'}: ${i.message}`).join('; ')
        : e instanceof SyntaxError
          ? 'line is not JSON'
          : (e as Error).message;
    return JSON.stringify({ id, error: `line ${String(lineNo)}: ${msg}` }) + '\n';
  }
}

/** Checks consecutive input lines (the first is line `first`) and returns their output lines; blank lines get none. */
export function checkLines(lines: readonly string[], first: number): string {
  let out = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim()) out += checkLine(line, first + i);
  }
  return out;
}
