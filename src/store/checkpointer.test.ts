import { statSync } from 'node:fs';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { until } from '../shared/test-until.ts';
import { freshSqlite } from './test-stores.ts';

describe('WAL checkpoints on a thread of their own', () => {
  it('stop the writer checkpointing, copy its pages back from another thread, and stop with the store', async () => {
    const store = await freshSqlite();
    const file = store.location?.url as string;
    await store.offloadCheckpoints?.();
    const { rows } = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(store.db);
    expect(rows[0]?.wal_autocheckpoint).toBe(0);
    await sql`create table filler (x blob)`.execute(store.db);
    const before = statSync(file).size;
    await store.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 200; i++) await sql`insert into filler values (randomblob(8000))`.execute(trx);
    });
    // The writer wrote only to the WAL; the checkpointer copies the pages back into the file.
    await until(() => statSync(file).size > before + 1_000_000, 50);
    await store.close();
  });
});
