/**
 * The PostgreSQL pool the query builder gets: each client also takes `COPY … FROM STDIN` (pg-copy.ts), and
 * sends a transaction's BEGIN together with its first statement. node-postgres sends one statement at a
 * time and waits for its answer, and on a busy machine each round trip costs the writer far more than the
 * statement: the ledger transaction spent about a tenth of its time on its BEGIN alone. A BEGIN has no
 * effect until the statement after it, so holding it back changes nothing else: when that statement has no
 * parameters (the simple protocol allows several statements in one message) the two travel as one;
 * otherwise the BEGIN goes first, as it would have; a transaction that ran no statement sends neither BEGIN
 * nor its COMMIT or ROLLBACK.
 */
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';
import { COPY_IN, copyIn } from './pg-copy.ts';

/** A query result as Kysely reads it. */
type Result = { command: string; rowCount: number | null; rows: unknown[] };

const BEGIN = /^begin$/i;
const END = /^(commit|rollback)$/i;

/** One client as Kysely uses it. */
function wrap(client: pg.PoolClient): PostgresPoolClient {
  // A BEGIN received and not yet sent.
  let held = false;
  const send = async (text: string, params: readonly unknown[]): Promise<unknown> => {
    const data = params[0];
    if (params.length === 1 && typeof data === 'string' && COPY_IN.test(text)) return copyIn(client, text, data);
    const r = (await client.query(text, params as unknown[])) as Result | Result[];
    // Several statements in one message answer with a result each: the caller asked for the last.
    return Array.isArray(r) ? r[r.length - 1] : r;
  };
  const query = async (text: string, params: readonly unknown[]): Promise<unknown> => {
    if (params.length === 0 && BEGIN.test(text)) {
      held = true;
      return { command: 'BEGIN', rowCount: null, rows: [] } satisfies Result;
    }
    if (!held) return send(text, params);
    held = false;
    if (params.length === 0 && END.test(text)) return { command: text.toUpperCase(), rowCount: null, rows: [] } satisfies Result;
    if (params.length === 0 && !COPY_IN.test(text)) return send(`begin; ${text}`, params);
    sendBegin();
    return send(text, params);
  };
  // node-postgres queues a client's queries in order, so the BEGIN need not be awaited; should it fail, the
  // statement behind it fails too and reports it.
  const sendBegin = (): void => {
    held = false;
    client.query('begin').catch(() => undefined);
  };
  // Kysely passes either a query's text and parameters, or a cursor (a pg Submittable), which goes through as is.
  const either = (q: string | pg.Submittable, params?: readonly unknown[]): unknown => {
    if (typeof q === 'string') return query(q, params ?? []);
    if (held) sendBegin();
    return client.query(q);
  };
  return {
    query: either as PostgresPoolClient['query'],
    release: (discard) => {
      held = false;
      client.release(discard);
    },
  };
}

/** Kysely's view of `pool`: clients that run COPY FROM STDIN with the data as the query's one parameter, and send BEGIN with the next statement. */
export function storePool(pool: pg.Pool): PostgresPool {
  // Kysely keys its connection objects by client, so each pg client keeps one wrapper.
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
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
