import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { freshPostgres, freshSqlite } from './test-stores.ts';

const pgUrl = process.env.TEST_DATABASE_URL;

describe.runIf(pgUrl)('a PostgreSQL store', () => {
  it('keeps working when PostgreSQL closes one of its idle connections', async () => {
    const url = pgUrl as string;
    const store = await freshPostgres(url);
    const warned = new Promise<Error>((resolve) => {
      const listen = (w: Error): void => {
        if (w.name !== 'GatekeeperStoreWarning') return;
        process.off('warning', listen);
        resolve(w);
      };
      process.on('warning', listen);
    });
    try {
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(store.db);
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query('select pg_terminate_backend($1)', [rows[0]?.pid]);
      await admin.end();
      expect((await warned).message).toMatch(/57P01/);
      expect((await sql<{ x: number }>`select 1 as x`.execute(store.db)).rows).toEqual([{ x: 1 }]);
    } finally {
      await store.close();
    }
  });
});

describe('a SQLite store', () => {
  it('lets a second process write while one of its transactions reads then writes (no SQLITE_BUSY from a deferred BEGIN)', async () => {
    const store = await freshSqlite();
    const file = store.location?.url as string;
    await sql`create table t (x integer)`.execute(store.db);
    // The other process writes one row as soon as it can get the lock, waiting for it as long as busy_timeout allows.
    const other = `const D=require('better-sqlite3');const d=new D(process.argv[1]);d.pragma('busy_timeout = 5000');d.prepare('insert into t values (2)').run();d.close()`;
    try {
      let exited: Promise<unknown> = Promise.resolve();
      await store.db.transaction().execute(async (trx) => {
        await sql`select count(*) from t`.execute(trx);
        exited = once(spawn(process.execPath, ['-e', other, file], { stdio: 'inherit' }), 'exit');
        // With a deferred BEGIN the other process commits now and the insert below fails with SQLITE_BUSY.
        await sleep(400);
        await sql`insert into t values (1)`.execute(trx);
      });
      expect(await exited).toEqual([0, null]);
      expect((await sql<{ x: number }>`select x from t order by rowid`.execute(store.db)).rows).toEqual([{ x: 1 }, { x: 2 }]);
    } finally {
      await store.close();
    }
  });
});
