/** Data keys by purpose and version, wrapped under the master key in the store. */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, Store } from '../store/index.ts';
import { UnavailableError } from './errors.ts';
import { MasterKeyError } from './master-key.ts';
import { open, seal, SealError } from './seal.ts';

/** What each key is for. `ledger` holds an Ed25519 private key (PKCS#8 DER); the others 32 random bytes. */
export const PURPOSES = ['data', 'index', 'fingerprint', 'ledger'] as const;
export type Purpose = (typeof PURPOSES)[number];

const aad = (purpose: string, version: number): string => `keyring|${purpose}|${version}`;

const ROTATED = 'the master key was rotated by another process: restart this one with the new key';

/** Unwraps one keyring row, or throws MasterKeyError with `message` when `master` does not open it. */
function unwrap(master: Buffer, r: { purpose: string; version: number; wrapped: string }, message: string): Buffer {
  try {
    return open(master, r.wrapped, aad(r.purpose, r.version));
  } catch (e) {
    if (e instanceof SealError) throw new MasterKeyError(message);
    throw e;
  }
}

/** What tells `sync` whether another process changed the keyring: its row count and newest master version. */
type Stamp = string;

const STAMP_SQL = 'select count(*) as n, max(master_version) as m from keyring';

/** The stamp of the keyring table (rotations add rows, a master rotation raises the version). */
async function stampOf(store: Store): Promise<Stamp> {
  // On SQLite a prepared statement on the store's connection: a few microseconds, cheap enough for every request.
  const r = store.sqlite
    ? (store.sqlite.statement(STAMP_SQL).all([])[0] as { n: number; m: number | null } | undefined)
    : (await sql.raw<{ n: number | string; m: number | null }>(STAMP_SQL).execute(store.db)).rows[0];
  // PostgreSQL returns count(*) as a string.
  return `${String(Number(r?.n ?? 0))}:${String(r?.m ?? 0)}`;
}

/**
 * How long a PostgreSQL process trusts its last look at the keyring (a round trip per request would cost more
 * than some requests). A key version it meets but does not hold in that time answers 503 and ends the wait.
 */
const PG_SYNC_MS = 1000;

/**
 * The unwrapped keys. Versions only grow; the highest unretired one is current. A running process follows
 * rotations another process (the command line) commits: `sync` reloads the keyring when its stamp changed.
 */
export class Keyring {
  private stamp: Stamp = '';
  /** When this process last read the stamp, and whether it has since met a key version it does not hold. */
  private checkedAt = 0;
  private missed = false;
  /** Versions in the store wrapped under a master key this process was not given. */
  private readonly unopened = new Set<string>();
  private syncing: Promise<boolean> | null = null;

  private constructor(
    private master: Buffer,
    private masterVersion: number,
    private readonly postgres: boolean,
    private readonly keys: Map<string, Buffer>,
    private readonly current: Map<Purpose, number>,
    private readonly masters: () => Buffer[],
  ) {}

  /**
   * Loads (creating on first use) every purpose's keys; a wrong master key throws MasterKeyError. `masters`
   * gives the master keys to try when another process has rotated the master key (the key file as it is now).
   */
  static async load(store: Store, master: Buffer, masters: () => Buffer[] = () => []): Promise<Keyring> {
    const rows = await store.db.selectFrom('keyring').selectAll().orderBy('version').execute();
    const keys = new Map<string, Buffer>();
    const current = new Map<Purpose, number>();
    const denied =
      'the master key does not open this store (check GATEKEEPER_MASTER_KEY or the key file; after a master-key rotation, use the new key)';
    for (const r of rows) {
      keys.set(`${r.purpose}:${r.version}`, unwrap(master, r, denied));
      if (r.retired_at === null) current.set(r.purpose as Purpose, r.version);
    }
    const masterVersion = Math.max(1, ...rows.map((r) => r.master_version));
    const ring = new Keyring(master, masterVersion, store.dialect === 'postgres', keys, current, masters);
    for (const p of PURPOSES) if (!current.has(p)) await ring.addVersion(store.db, p);
    ring.stamp = await stampOf(store);
    ring.checkedAt = Date.now();
    return ring;
  }

  /**
   * Adopts what other processes rotated since this one last looked: new versions of every purpose, and a
   * new master key (from `masters`) when the keyring was re-wrapped. One small query when nothing changed
   * (on PostgreSQL at most once a second, unless a key was missed or `force`); concurrent callers share one
   * reload. Returns true when the keyring changed.
   */
  sync(store: Store, force = false): Promise<boolean> {
    if (!force && !store.sqlite && !this.missed && Date.now() - this.checkedAt < PG_SYNC_MS) return Promise.resolve(false);
    this.syncing ??= this.reloadIfChanged(store).finally(() => {
      this.syncing = null;
    });
    return this.syncing;
  }

  private async reloadIfChanged(store: Store): Promise<boolean> {
    this.missed = false;
    this.checkedAt = Date.now();
    const stamp = await stampOf(store);
    if (stamp === this.stamp) return false;
    const rows = await store.db.selectFrom('keyring').selectAll().orderBy('version').execute();
    const newest = Math.max(1, ...rows.map((r) => r.master_version));
    if (newest > this.masterVersion) this.adoptMaster(rows, newest);
    for (const r of rows) {
      const id = `${r.purpose}:${r.version}`;
      if (!this.keys.has(id)) {
        if (r.master_version !== this.masterVersion) this.unopened.add(id);
        else {
          this.keys.set(id, unwrap(this.master, r, ROTATED));
          this.unopened.delete(id);
        }
      }
      // A version this process cannot unwrap stays current: using it answers 503 (`key`), never seals under an old one.
      if (r.retired_at === null && r.version > (this.current.get(r.purpose as Purpose) ?? 0))
        this.current.set(r.purpose as Purpose, r.version);
    }
    this.stamp = stamp;
    return true;
  }

  /** Switches to the first of `masters` that opens the keyring another process re-wrapped; keeps the old one when none does. */
  private adoptMaster(
    rows: readonly { purpose: string; version: number; wrapped: string; master_version: number }[],
    newest: number,
  ): void {
    const probe = rows.find((r) => r.master_version === newest);
    if (!probe) return;
    for (const m of this.masters()) {
      try {
        open(m, probe.wrapped, aad(probe.purpose, probe.version));
      } catch (e) {
        if (e instanceof SealError) continue;
        throw e;
      }
      this.master = m;
      this.masterVersion = newest;
      return;
    }
  }

  /** True when `master` opens the store's keyring (or the keyring is still empty). */
  static async opens(store: Store, master: Buffer): Promise<boolean> {
    const r = await store.db.selectFrom('keyring').select(['purpose', 'version', 'wrapped']).limit(1).executeTakeFirst();
    if (!r) return true;
    try {
      open(master, r.wrapped, aad(r.purpose, r.version));
      return true;
    } catch (e) {
      if (e instanceof SealError) return false;
      throw e;
    }
  }

  /**
   * Adds a fresh key version for `purpose` through `db` (the store's, or a transaction's) and makes it current.
   * It first checks, in the same transaction, that this process's master key still wraps the keyring: a key
   * wrapped under a master another process has rotated away would not open for anyone.
   */
  async addVersion(db: Kysely<Database>, purpose: Purpose): Promise<number> {
    const version = (this.current.get(purpose) ?? 0) + 1;
    const key = purpose === 'ledger' ? generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }) : randomBytes(32);
    const insert = async (trx: Kysely<Database>): Promise<void> => {
      let q = trx.selectFrom('keyring').select(['purpose', 'version', 'wrapped']).orderBy('purpose').orderBy('version').limit(1);
      // On PostgreSQL this waits for a rotation in progress and then reads what it wrote.
      if (this.postgres) q = q.forShare();
      const first = await q.executeTakeFirst();
      if (first) unwrap(this.master, first, ROTATED);
      await trx
        .insertInto('keyring')
        .values({
          purpose,
          version,
          wrapped: seal(this.master, key, aad(purpose, version)),
          master_version: this.masterVersion,
          created_at: new Date().toISOString(),
          retired_at: null,
        })
        .execute();
    };
    if (db.isTransaction) await insert(db);
    else await db.transaction().execute(insert);
    this.keys.set(`${purpose}:${version}`, key);
    this.current.set(purpose, version);
    return version;
  }

  /**
   * Brings this process's index key up to the store's current version, for a process that loaded the keyring
   * before another rotated the index key. Call it before computing a blind index; inside a transaction that
   * writes indexes, on PostgreSQL, it waits for a rotation in progress (which locks the keyring table) and
   * so never lets an index under the old version in after the rotation has rewritten the rest.
   */
  async syncIndex(db: Kysely<Database>): Promise<void> {
    let q = db
      .selectFrom('keyring')
      .select(['purpose', 'version', 'wrapped'])
      .where('purpose', '=', 'index')
      .where('retired_at', 'is', null)
      .orderBy('version', 'desc')
      .limit(1);
    if (this.postgres && db.isTransaction) q = q.forShare();
    const row = await q.executeTakeFirst();
    if (!row || row.version === this.current.get('index')) return;
    if (!this.keys.has(`index:${row.version}`)) this.keys.set(`index:${row.version}`, unwrap(this.master, row, ROTATED));
    this.current.set('index', row.version);
  }

  /**
   * Wraps every key of the store's keyring under `next` instead of this process's master key, inside the
   * caller's transaction; returns the master versions from and to and how many keys it re-wrapped. Call
   * `useMaster` once the transaction has committed. On PostgreSQL the table is locked first, so that no key is
   * added meanwhile under the old master; on SQLite the write lock does that.
   */
  async rewrap(trx: Transaction<Database>, next: Buffer): Promise<{ from: number; to: number; keys: number }> {
    if (this.postgres) await sql`lock table keyring in exclusive mode`.execute(trx);
    const rows = await trx.selectFrom('keyring').select(['purpose', 'version', 'wrapped', 'master_version']).execute();
    const from = Math.max(1, ...rows.map((r) => r.master_version));
    for (const r of rows)
      await trx
        .updateTable('keyring')
        .set({ wrapped: seal(next, unwrap(this.master, r, ROTATED), aad(r.purpose, r.version)), master_version: from + 1 })
        .where('purpose', '=', r.purpose)
        .where('version', '=', r.version)
        .execute();
    return { from, to: from + 1, keys: rows.length };
  }

  /** Switches this process to the master key a committed `rewrap` wrapped the keyring under. */
  useMaster(next: Buffer, version: number): void {
    this.master = next;
    this.masterVersion = version;
  }

  /** Marks every version of `purpose` below the current one retired, through `db`. */
  async retireOld(db: Kysely<Database>, purpose: Purpose): Promise<void> {
    await db
      .updateTable('keyring')
      .set({ retired_at: new Date().toISOString() })
      .where('purpose', '=', purpose)
      .where('version', '<', this.version(purpose))
      .where('retired_at', 'is', null)
      .execute();
  }

  /** The current version for a purpose. */
  version(purpose: Purpose): number {
    const v = this.current.get(purpose);
    if (v === undefined) throw new Error(`no ${purpose} key`);
    return v;
  }

  /**
   * The key of a purpose at a version (default current). A version this process does not hold was rotated in
   * by another process after its last `sync` (or wrapped under a master key it was not given): UnavailableError.
   */
  key(purpose: Purpose, version = this.version(purpose)): Buffer {
    const id = `${purpose}:${version}`;
    const k = this.keys.get(id);
    if (k) return k;
    this.missed = true;
    throw new UnavailableError(
      this.unopened.has(id)
        ? `the ${purpose} key version ${String(version)} is wrapped under a master key this process was not given: restart it with the new master key`
        : `the ${purpose} key version ${String(version)} was rotated in while this request ran: retry`,
    );
  }

  /** Every version of a purpose this keyring holds, retired ones included, oldest first. */
  versions(purpose: Purpose): number[] {
    const prefix = `${purpose}:`;
    return [...this.keys.keys()]
      .filter((k) => k.startsWith(prefix))
      .map((k) => Number(k.slice(prefix.length)))
      .sort((a, b) => a - b);
  }

  /** The ledger's Ed25519 signing key pair at a version (default current). */
  ledgerKeys(version = this.version('ledger')): { privateKey: KeyObject; publicKey: KeyObject } {
    const privateKey = createPrivateKey({ key: this.key('ledger', version), format: 'der', type: 'pkcs8' });
    return { privateKey, publicKey: createPublicKey(privateKey) };
  }
}
