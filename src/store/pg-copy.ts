/**
 * PostgreSQL connections that also take `COPY … FROM STDIN`. Kysely hands a query's text and parameters to
 * the driver, and COPY's data travels outside both, so the pool given to Kysely wraps each client: a query
 * whose text is `COPY <table> (<columns>) FROM STDIN` and which has exactly one string parameter streams
 * that string as the COPY data (text format) through pg-copy-streams, inside whatever transaction the
 * connection is in. Everything else goes to the client unchanged.
 */
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

const COPY_IN = /^copy [^;]+ from stdin$/i;

/** Streams `data` into the COPY `text` starts, resolving with the row count once the server has taken it all. */
function copyIn(client: pg.PoolClient, text: string, data: string): Promise<{ command: string; rowCount: number; rows: never[] }> {
  return new Promise((resolve, reject) => {
    const stream = client.query(copyFrom(text));
    stream.on('error', reject);
    stream.on('finish', () => {
      resolve({ command: 'COPY', rowCount: stream.rowCount, rows: [] });
    });
    stream.end(data);
  });
}

/** Kysely's view of `pool`, whose clients run COPY FROM STDIN with the data as the query's one parameter. */
export function copyingPool(pool: pg.Pool): PostgresPool {
  // Kysely keys its connection objects by client, so each pg client keeps one wrapper.
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    const query = (text: string, params: readonly unknown[]): Promise<unknown> => {
      const data = params[0];
      if (params.length === 1 && typeof data === 'string' && COPY_IN.test(text)) return copyIn(client, text, data);
      return client.query(text, params as unknown[]);
    };
    // Kysely passes either a query's text and parameters, or a cursor (a pg Submittable), which goes through as is.
    const either = (q: string | pg.Submittable, params?: readonly unknown[]): unknown =>
      typeof q === 'string' ? query(q, params ?? []) : client.query(q);
    return {
      query: either as PostgresPoolClient['query'],
      release: (discard) => {
        client.release(discard);
      },
    };
  };
  return {
    connect: async () => {
      const client = await pool.connect();
      let w = wrappers.get(client);
      if (!w) wrappers.set(client, (w = wrap(client)));
      return w;
    },
    end: () => pool.end(),
  };
}

/** One value as a field of COPY's text format: backslash, tab, newline and carriage return escaped, null as \N. */
export function copyField(v: string | number | bigint | null): string {
  if (v === null) return '\\N';
  if (typeof v !== 'string') return String(v);
  return /[\\\t\n\r]/.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c] as string) : v;
}

const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
