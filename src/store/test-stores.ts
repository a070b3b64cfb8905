/** Test helper: every store backend the tests run against (SQLite always, PostgreSQL when TEST_DATABASE_URL is set). */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore, type Store } from './db.ts';

/** A backend under test: its name and a way to open a fresh, empty store on it. */
export interface TestBackend {
  name: 'sqlite' | 'postgres';
  open: () => Promise<Store>;
}

/** Opens a fresh store in a new temporary SQLite file, removed on close as a PostgreSQL schema is dropped. */
export async function freshSqlite(): Promise<Store> {
  const dir = mkdtempSync(join(tmpdir(), 'gk-'));
  const store = await openStore({ url: join(dir, 'test.db') });
  return {
    ...store,
    close: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A new PostgreSQL schema: its name, a URL whose connections use it (for a child process), and a way to drop it. */
export async function pgSchema(url: string): Promise<{ schema: string; url: string; drop: () => Promise<void> }> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const run = async (statement: string): Promise<void> => {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(statement);
    await admin.end();
  };
  await run(`CREATE SCHEMA ${schema}`);
  return {
    schema,
    url: `${url}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    drop: () => run(`DROP SCHEMA ${schema} CASCADE`),
  };
}

/** Opens a fresh store in a new PostgreSQL schema that is dropped on close. */
export async function freshPostgres(url: string): Promise<Store> {
  const { schema, drop } = await pgSchema(url);
  const store = await openStore({ url, schema });
  return {
    ...store,
    close: async () => {
      await store.close();
      await drop();
    },
  };
}

const pgUrl = process.env.TEST_DATABASE_URL;

/** The backends to run store-backed tests on. */
export const BACKENDS: TestBackend[] = [
  { name: 'sqlite', open: freshSqlite },
  ...(pgUrl ? [{ name: 'postgres' as const, open: () => freshPostgres(pgUrl) }] : []),
];
