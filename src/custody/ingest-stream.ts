/** NDJSON ingest shared by the HTTP bulk endpoint and the CLI: batches commit together, results follow each commit. */
import type { TooLong } from '../shared/lines.ts';
import { at, must } from '../shared/at.ts';
import type { Custody } from './custody.ts';
import { ingestOrders } from './orders.ts';
import type { Party } from './party.ts';

/** Lines longer than this many bytes are refused while reading (an order is well under 2 kB). */
export const MAX_LINE = 64 * 1024;
const BATCH = 200;

/** A result line: `line` is 1-based in the input. */
export type LineResult = { line: number } & Record<string, unknown>;

/**
 * Reads NDJSON lines (from `boundedLines`) and ingests them in batches; `emit` gets each batch's results, in
 * input order with the refused lines among them, only after the batch has committed, so every order reported
 * `created` or `exists` is durably held. Returns how many lines failed.
 */
export async function ingestLines(
  c: Custody,
  platform: Party,
  lines: AsyncIterable<string | TooLong>,
  emit: (results: LineResult[]) => Promise<void> | void,
): Promise<{ failed: number }> {
  let batch: ({ line: number; value: unknown } | LineResult)[] = [];
  let orders = 0;
  let line = 0;
  let failed = 0;
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const taken = batch;
    batch = [];
    orders = 0;
    const pending = taken.filter((l): l is { line: number; value: unknown } => 'value' in l);
    const results = await ingestOrders(
      c,
      platform,
      pending.map((l) => l.value),
    );
    const byLine = new Map(
      results.map((r, i) => {
        const { index: _index, ...rest } = r;
        const { line } = at(pending, i, 'ingested line');
        return [line, { line, ...rest }];
      }),
    );
    const out = taken.map((l) => ('value' in l ? must(byLine.get(l.line), "a line's result") : l));
    failed += out.filter((r) => 'error' in r).length;
    await emit(out);
  };
  for await (const text of lines) {
    line++;
    if (typeof text !== 'string') {
      batch.push({ line, error: 'too_large', issues: [{ field: '(line)', message: `longer than ${MAX_LINE} bytes` }] });
      continue;
    }
    if (text.trim() === '') continue;
    try {
      batch.push({ line, value: JSON.parse(text) as unknown });
      orders++;
    } catch {
      batch.push({ line, error: 'invalid_json', issues: [{ field: '(line)', message: 'not valid JSON' }] });
    }
    if (orders >= BATCH || batch.length >= BATCH * 4) await flush();
  }
  await flush();
  return { failed };
}
