/**
 * `COPY … FROM STDIN` through the query builder. Kysely hands a query's text and parameters to the driver,
 * and COPY's data travels outside both, so the store's pool (pg-pool.ts) sends a query whose text is
 * `COPY <table> (<columns>) FROM STDIN` and which has exactly one string parameter here: that string is
 * streamed as the COPY data (text format) through pg-copy-streams, inside whatever transaction the
 * connection is in.
 */
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** A query that copies its one parameter into a table. */
export const COPY_IN = /^copy [^;]+ from stdin$/i;

/** Streams `data` into the COPY `text` starts, resolving with the row count once the server has taken it all. */
export function copyIn(client: pg.PoolClient, text: string, data: string): Promise<{ command: string; rowCount: number; rows: never[] }> {
  return new Promise((resolve, reject) => {
    const stream = client.query(copyFrom(text));
    stream.on('error', reject);
    stream.on('finish', () => {
      resolve({ command: 'COPY', rowCount: stream.rowCount, rows: [] });
    });
    stream.end(data);
  });
}

/** One value as a field of COPY's text format: backslash, tab, newline and carriage return escaped, null as \N. */
export function copyField(v: string | number | bigint | null): string {
  if (v === null) return '\\N';
  if (typeof v !== 'string') return String(v);
  return /[\\\t\n\r]/.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c] as string) : v;
}

const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
