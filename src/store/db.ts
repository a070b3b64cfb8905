/** Opens the store: SQLite at ./data/gatekeeper.db by default, PostgreSQL when DATABASE_URL says so. */
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Worker } from 'node:worker_threads';
import Sqlite from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  sql,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type PostgresPool,
  type SqliteDialectConfig,
} from 'kysely';
import pg from 'pg';
import { siblingModule, startWorker } from '../shared/worker-pool.ts';
import { migrate } from './migrations.ts';
import { storePool } from './pg-pool.ts';
import type { Database } from './schema.ts';

/** The default SQLite file, relative to the working directory. */
export const DEFAULT_DB_FILE = 'data/gatekeeper.db';

/** An open, migrated store. */
export interface Store {
  db: Kysely<Database>;
  dialect: 'sqlite' | 'postgres';
  close(): Promise<void>;
  /** SQLite only: the whole database as bytes (benchmarks copy a built world this way). */
  serialize?: () => Buffer;
  /** SQLite only: prepared statements on the store's one connection, cached by their SQL (see insertRows). */
  sqlite?: Statements;
  /** Where another thread can open the same database (none for an in-memory SQLite store). */
  location?: StoreLocation;
  /**
   * SQLite files only: moves WAL checkpoints to a thread of their own (checkpointer.ts), for a process
   * whose main thread writes a lot; resolves once that thread runs. Should the thread stop, this
   * connection checkpoints again itself.
   */
  offloadCheckpoints?: () => Promise<void>;
}

/** Prepared statements on one SQLite connection, cached by their SQL: preparing costs more than running for long parameter lists. */
export interface Statements {
  statement(sql: string): {
    run(values: unknown[]): unknown;
    all(values: unknown[]): unknown[];
    /** Rows as arrays of column values, in the statement's column order: much cheaper to build than objects. */
    rows(values: unknown[]): unknown[][];
  };
}

/** Caches prepared statements on `sqlite`. */
function statements(sqlite: Sqlite.Database): Statements {
  const cache = new Map<string, Sqlite.Statement>();
  return {
    statement: (text) => {
      let st = cache.get(text);
      if (!st) cache.set(text, (st = sqlite.prepare(text)));
      const s = st;
      return {
        run: (values) => s.run(...values),
        all: (values) => s.raw(false).all(...values),
        rows: (values) => s.raw(true).all(...values) as unknown[][],
      };
    },
  };
}

/**
 * SQLite transactions that take the write lock when they begin. A deferred BEGIN reads under a snapshot and
 * asks for the lock at its first write; when another process committed in between, that write fails with
 * SQLITE_BUSY at once (the busy timeout cannot help: the snapshot is already stale). Waiting at BEGIN instead
 * lets busy_timeout queue two writing processes one after the other.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/**
 * better-sqlite3 as Kysely's SQLite dialect sees it, keeping the statements it prepares (the 256 most recently
 * used, by text). Kysely prepares every query anew; reads in chunks of 500 keys repeat one text per chunk, and
 * preparing a statement with 500 parameters cost a trace decode about 40 ms. SQLite re-prepares a kept
 * statement itself when the schema changes. A statement still being iterated is not handed out again.
 */
function keepingStatements(sqlite: Sqlite.Database): SqliteDialectConfig['database'] {
  const kept = new Map<string, Sqlite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare: (text: string) => {
      const st = kept.get(text);
      if (st && !st.busy) {
        // Most recently used last, so the first key is the one to drop.
        kept.delete(text);
        kept.set(text, st);
        return st;
      }
      const fresh = sqlite.prepare(text);
      kept.set(text, fresh);
      if (kept.size > 256) kept.delete(kept.keys().next().value as string);
      return fresh;
    },
  };
}

/** Kysely's SQLite dialect with `ImmediateSqliteDriver`. */
class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly config: SqliteDialectConfig) {
    super(config);
  }
  override createDriver(): SqliteDriver {
    return new ImmediateSqliteDriver(this.config);
  }
}

/** A read-only connection another thread opened: the query builder, and on SQLite its prepared statements. */
export interface Reader {
  db: Kysely<Database>;
  sqlite?: Statements;
}

/** A database another thread can connect to: a SQLite file, or a PostgreSQL URL and schema. */
export interface StoreLocation {
  url: string;
  schema?: string | undefined;
}

/** A PostgreSQL pool for the store's connections, with the session settings every store connection gets. */
function pgPool(url: string, schema: string | undefined, max: number, readOnly = false): PostgresPool {
  // Every query here is short and indexed; JIT compilation (on by default) only costs milliseconds, and
  // fired on the release path's lateral probes whenever the planner overestimated their rows.
  const options = [
    '-c jit=off',
    ...(schema ? [`-c search_path=${schema}`] : []),
    ...(readOnly ? ['-c default_transaction_read_only=on'] : []),
  ].join(' ');
  const pool = new pg.Pool({ connectionString: url, max, options });
  // PostgreSQL closing an idle connection (a restart, an administrator, a network cut) is an 'error' event
  // on the pool, which would end the process unheard. The pool drops that connection and opens another
  // when next needed; the error names no data.
  pool.on('error', (e: Error & { code?: string }) => {
    process.emitWarning(
      `a PostgreSQL connection closed while idle (${e.code ?? e.message}); the pool will open another`,
      'GatekeeperStoreWarning',
    );
  });
  return storePool(pool);
}

/** Opens a read-only connection to a store's database from another thread (no migrations: the store ran them). */
export function openReader(at: StoreLocation): Reader {
  if (isPostgres(at.url))
    return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool: pgPool(at.url, at.schema, 2, true) }) }) };
  const sqlite = new Sqlite(at.url, { readonly: true, fileMustExist: true });
  sqlite.pragma('busy_timeout = 5000');
  return { db: new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) }), sqlite: statements(sqlite) };
}

const isPostgres = (url: string): boolean => /^postgres(ql)?:\/\//.test(url);

/** Where to connect: a postgres:// URL, or a SQLite file path. */
export interface StoreOptions {
  url?: string | undefined;
  /** PostgreSQL schema to use (tests isolate themselves this way). */
  schema?: string | undefined;
  /** SQLite only: open an in-memory copy of these serialised bytes instead of a file. */
  image?: Buffer | undefined;
}

// int8 columns (ledger sizes, prices) come back as JS numbers: every value we store is below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/** Opens and migrates the store named by `url`, else by DATABASE_URL, else the default SQLite file. */
export async function openStore(opts: StoreOptions = {}): Promise<Store> {
  const url = opts.url ?? (process.env.DATABASE_URL || DEFAULT_DB_FILE);
  let store: Store;
  if (isPostgres(url)) {
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: pgPool(url, opts.schema, 8) }) });
    store = { db, dialect: 'postgres', close: () => db.destroy(), location: { url, schema: opts.schema } };
  } else {
    if (url !== ':memory:' && !opts.image) mkdirSync(dirname(url), { recursive: true });
    const sqlite = opts.image ? new Sqlite(opts.image) : new Sqlite(url);
    // WAL with synchronous=NORMAL survives a killed process (not a power cut) with every committed transaction.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('cache_size = -65536');
    sqlite.pragma('temp_store = memory');
    // Checkpoint the WAL every 10,000 pages (about 40 MB) instead of 1,000: a page rewritten by many
    // transactions is copied back once, which cut the release benchmark's commit time by a third.
    const AUTO_CHECKPOINT = 10_000;
    sqlite.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT}`);
    const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: keepingStatements(sqlite) }) });
    const file = url !== ':memory:' && !opts.image;
    let checkpointer: Worker | undefined;
    let checkpointerRunning = false;
    store = {
      db,
      dialect: 'sqlite',
      close: async () => {
        if (checkpointer && checkpointerRunning) {
          const stopped = once(checkpointer, 'exit');
          checkpointer.postMessage('stop');
          await stopped;
        }
        await db.destroy();
      },
      serialize: () => sqlite.serialize(),
      sqlite: statements(sqlite),
      ...(file
        ? {
            location: { url },
            offloadCheckpoints: async () => {
              if (checkpointer) return;
              // About one automatic checkpoint's worth of pages at 20,000 releases/s.
              const w = startWorker(siblingModule(import.meta.url, './checkpointer'), { url, everyMs: 500 });
              checkpointer = w;
              checkpointerRunning = true;
              w.once('exit', () => {
                checkpointerRunning = false;
                if (sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT}`);
              });
              await once(w, 'message');
              sqlite.pragma('wal_autocheckpoint = 0');
            },
          }
        : {}),
    };
  }
  const schema =
    store.dialect === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(store.db)).rows[0]?.s : undefined;
  await migrate(store.db as unknown as Kysely<unknown>, schema);
  return store;
}
