import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { freshPostgres } from './test-stores.ts';

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
