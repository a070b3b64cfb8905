/** NDJSON ingest shared by the HTTP bulk endpoint and the CLI: batches commit together, results follow each commit. */
import type { Custody } from './context.ts';
import { ingestOrders } from './orders.ts';
import type { Party } from './parties.ts';

/** Lines longer than this are refused (an order is well under 2 kB). */
export const MAX_LINE = 64 * 1024;
const BATCH = 200;

/** A result line: `line` is 1-based in the input. */
export type LineResult = { line: number } & Record<string, unknown>;

/**
 * Reads NDJSON lines and ingests them in batches; `emit` gets each batch's results only after the batch has
 * committed, so every order reported `created` or `exists` is durably held.
 */
export async function ingestLines(
  c: Custody,
  platform: Party,
  lines: AsyncIterable<string>,
  emit: (results: LineResult[]) => Promise<void> | void,
): Promise<void> {
  let batch: { line: number; value: unknown }[] = [];
  let line = 0;
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const taken = batch;
    batch = [];
    const results = await ingestOrders(
      c,
      platform,
      taken.map((l) => l.value),
    );
    await emit(
      results.map((r, i) => {
        const { index: _index, ...rest } = r;
        return { line: (taken[i] as { line: number }).line, ...rest };
      }),
    );
  };
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    if (text.length > MAX_LINE) {
      await emit([{ line, error: 'too_large', issues: [{ field: '(line)', message: `longer than ${MAX_LINE} characters` }] }]);
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      await emit([{ line, error: 'invalid_json', issues: [{ field: '(line)', message: 'not valid JSON' }] }]);
      continue;
    }
    batch.push({ line, value });
    if (batch.length >= BATCH) await flush();
  }
  await flush();
}
