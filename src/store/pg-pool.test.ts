import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Store } from './db.ts';
import { freshPostgres } from './test-stores.ts';

const pgUrl = process.env.TEST_DATABASE_URL;

describe.runIf(pgUrl)('the PostgreSQL pool’s transactions', () => {
  let store: Store;
  let spy: { mock: { calls: unknown[][] } };
  // The statements the clients were given, as text (a spy calls through to the real client).
  const sent = (): unknown[] => spy.mock.calls.map((c) => c[0]).filter((q) => typeof q === 'string');
  beforeEach(async () => {
    store = await freshPostgres(pgUrl as string);
    await sql`create table t (x integer primary key)`.execute(store.db);
    spy = vi.spyOn(pg.Client.prototype, 'query');
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await store.close();
  });

  it('send BEGIN with a first statement that has no parameters, and keep its result', async () => {
    const rows = await store.db.transaction().execute(async (trx) => {
      const { rows } = await sql.raw<{ n: number }>('select 41 + 1 as n').execute(trx);
      await sql`insert into t (x) values (${1})`.execute(trx);
      return rows;
    });
    expect(rows).toEqual([{ n: 42 }]);
    expect(sent()).toEqual(['begin; select 41 + 1 as n', 'insert into t (x) values ($1)', 'commit']);
    expect((await sql`select x from t`.execute(store.db)).rows).toEqual([{ x: 1 }]);
  });

  it('send BEGIN first when the first statement has parameters, and roll back on failure', async () => {
    await expect(
      store.db.transaction().execute(async (trx) => {
        await sql`insert into t (x) values (${1})`.execute(trx);
        await sql`insert into t (x) values (${1})`.execute(trx);
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(sent()).toEqual(['begin', 'insert into t (x) values ($1)', 'insert into t (x) values ($1)', 'rollback']);
    expect((await sql`select x from t`.execute(store.db)).rows).toEqual([]);
  });

  it('send nothing for a transaction that runs no statement', async () => {
    expect(await store.db.transaction().execute(() => Promise.resolve(7))).toBe(7);
    await expect(store.db.transaction().execute(() => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(sent()).toEqual([]);
  });

  it('roll back a coalesced BEGIN whose statement failed, leaving the connection usable', async () => {
    await expect(
      store.db.transaction().execute(async (trx) => {
        await sql.raw('insert into t (x) values (1); select 1 / 0').execute(trx);
      }),
    ).rejects.toThrow(/division by zero/);
    expect((await sql`select count(*)::int as n from t`.execute(store.db)).rows).toEqual([{ n: 0 }]);
    expect(sent().at(-2)).toBe('rollback');
  });
});
