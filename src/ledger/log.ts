/** The persistent ledger: leaves in the store, the tree in memory, checkpoints signed with Ed25519. */
import type { KeyObject } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { insertRows, type Database, type Store } from '../store/index.ts';
import { checkpointText, parseCheckpoint } from './checkpoint.ts';
import { encodeEntry, type LedgerEntry } from './entry.ts';
import { leafHashOfText } from './merkle.ts';
import { openNote, parseVerifierKey, signNote, verifierKey } from './note.ts';
import { MerkleTree } from './tree.ts';

/** Default log origin (and signing key name), a schema-less URL as C2SP recommends. */
export const DEFAULT_ORIGIN = 'gatekeeper.local/ledger';

/** Advisory lock key that serialises ledger writers on PostgreSQL. */
const LOCK_ID = 0x6b6c6467;

/**
 * Leaves read from the store at a time when catching up with other processes. Reads ask for a range of
 * indexes rather than a LIMIT: a new ledger table has no statistics, and with `idx >= n limit 50000` the
 * planner chose to scan and sort the whole table on every release transaction (5 ms at 60,000 entries).
 */
const CATCH_UP_CHUNK = 50_000;

/** An entry encoded for a given index: its leaf bytes and their hash. */
export interface EncodedEntry {
  idx: number;
  leaf: string;
  hash: Buffer;
  party: string;
}

/** Collects the entries one transaction appends. */
export interface LedgerWriter {
  /** Queues an entry; returns the index it will have once the transaction commits. */
  add(entry: LedgerEntry): number;
  /** The index the next queued entry will have. */
  readonly next: number;
  /**
   * Hashes leaf bytes a caller encoded for index `idx` (`encodeEntry`, `releaseEncoder`) without queuing
   * them: work it can do while it waits on the store. Bytes that do not begin with that index are refused.
   */
  encode(idx: number, leaf: string, party: string): EncodedEntry;
  /** Queues an entry from this writer's `encode`, which must have been for the next index; returns that index. */
  addEncoded(e: EncodedEntry): number;
}

/** The signing identity of the log. */
export interface LedgerKeys {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/**
 * All writes that append entries go through `write`, one at a time, so indexes are dense and the tree in
 * memory only ever receives leaves whose rows have committed.
 */
export class Ledger {
  private queue: Promise<unknown> = Promise.resolve();
  private queued = 0;
  private idleWaiters: (() => void)[] = [];

  /** The signing keys, oldest first; the last one signs. */
  private history: LedgerKeys[];
  /** True until the newest key has signed a checkpoint: that first one is cosigned by the key before it. */
  private handover = false;

  private constructor(
    private readonly store: Store,
    readonly tree: MerkleTree,
    readonly origin: string,
    keys: LedgerKeys | readonly LedgerKeys[],
    private readonly reloadKeys?: () => Promise<readonly LedgerKeys[]>,
  ) {
    this.history = Array.isArray(keys) ? [...(keys as readonly LedgerKeys[])] : [keys as LedgerKeys];
    if (this.history.length === 0) throw new Error('a ledger needs a signing key');
  }

  /**
   * Loads the tree from the stored leaf hashes. `keys` are the signing keys, oldest first (one, until the
   * signing key is rotated); the last one signs. `reloadKeys` gives them again as the store holds them now,
   * for a process that finds another one rotated the signing key.
   */
  static async load(
    store: Store,
    keys: LedgerKeys | readonly LedgerKeys[],
    origin = DEFAULT_ORIGIN,
    reloadKeys?: () => Promise<readonly LedgerKeys[]>,
  ): Promise<Ledger> {
    const ledger = new Ledger(store, new MerkleTree(), origin, keys, reloadKeys);
    await ledger.readCommitted(store.db);
    ledger.handover = ledger.history.length > 1 && !(await ledger.signedByNewest());
    return ledger;
  }

  /** The key that signs now. */
  private get keys(): LedgerKeys {
    return this.history[this.history.length - 1] as LedgerKeys;
  }

  /** Whether the newest key signed the latest stored checkpoint. */
  private async signedByNewest(): Promise<boolean> {
    const last = await this.store.db.selectFrom('checkpoints').select('note').orderBy('size', 'desc').limit(1).executeTakeFirst();
    if (!last) return false;
    try {
      openNote(last.note, parseVerifierKey(this.verifierKey()));
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Hands signing over to `next` (already recorded in the ledger by the caller, with its verifier key):
   * the next checkpoint is signed by both the old and the new key, which links the two for auditors.
   */
  handOver(next: LedgerKeys): void {
    this.history.push(next);
    this.handover = true;
  }

  /**
   * Takes over signing keys another process added (a rotation from the command line, which recorded the new
   * key in the log and signed the handover checkpoint): `keys` oldest first, as the keyring holds them.
   * When the handover checkpoint was not signed yet, the next checkpoint here carries both signatures.
   */
  async adopt(keys: readonly LedgerKeys[]): Promise<void> {
    if (keys.length <= this.history.length) return;
    this.history = [...keys];
    this.handover = !(await this.signedByNewest());
  }

  /** Number of entries. */
  get size(): number {
    return this.tree.size;
  }

  /** The C2SP verifier key for this log: the key that signs now. */
  verifierKey(): string {
    return verifierKey(this.origin, this.keys.publicKey);
  }

  /** The verifier key of the log's first signing key, from which `verifyLedger` follows every handover. */
  firstVerifierKey(): string {
    return verifierKey(this.origin, (this.history[0] as LedgerKeys).publicKey);
  }

  /** Runs `fn` in a database transaction, appending the entries it adds; they enter the tree only after commit. */
  write<T>(fn: (trx: Transaction<Database>, log: LedgerWriter) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      const pending: EncodedEntry[] = [];
      // Only entries this writer hashed are queued: a hash that did not match its leaf would break the tree.
      const hashed = new WeakSet<EncodedEntry>();
      const next = (): number => this.tree.size + pending.length;
      const encode = (idx: number, leaf: string, party: string): EncodedEntry => {
        if (!leaf.startsWith(`{"i":${idx},`)) throw new Error(`leaf bytes not encoded for index ${idx}`);
        const e = { idx, leaf, hash: leafHashOfText(leaf), party };
        hashed.add(e);
        return e;
      };
      const addEncoded = (e: EncodedEntry): number => {
        if (!hashed.has(e)) throw new Error('ledger entries are queued only as this transaction encoded them');
        // The index is inside the leaf bytes: an entry encoded for another place would not verify.
        if (e.idx !== next()) throw new Error(`ledger entry encoded for index ${e.idx}, queued at ${next()}`);
        pending.push(e);
        return e.idx;
      };
      const writer: LedgerWriter = {
        add: (entry) => addEncoded(encode(next(), encodeEntry(next(), entry), entry.party)),
        get next() {
          return next();
        },
        encode,
        addEncoded,
      };
      const result = await this.store.db.transaction().execute(async (trx) => {
        await this.catchUp(trx);
        const out = await fn(trx, writer);
        await insertRows(
          this.store,
          trx,
          'ledger',
          pending.map((p) => ({ idx: p.idx, leaf: p.leaf, hash: p.hash.toString('hex'), party: p.party })),
        );
        return out;
      });
      for (const p of pending) this.tree.append(p.hash);
      return result;
    };
    return this.serial(run);
  }

  /** Runs `fn` after every earlier write or refresh of this process has finished. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    this.queued++;
    const next = this.queue.then(fn, fn).finally(() => {
      if (--this.queued > 0) return;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const wake of waiters) wake();
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** True when no write or refresh of this process is running or waiting. */
  get idle(): boolean {
    return this.queued === 0;
  }

  /** Resolves when no write or refresh of this process is running or waiting. */
  whenIdle(): Promise<void> {
    return this.idle ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Adds to the tree the leaves other processes (a CLI beside the server) have committed. */
  refresh(): Promise<void> {
    return this.serial(() => this.readCommitted(this.store.db));
  }

  private async readCommitted(db: Kysely<Database>): Promise<void> {
    for (;;) {
      const rows = await db
        .selectFrom('ledger')
        .select(['idx', 'hash'])
        .where('idx', '>=', this.tree.size)
        .where('idx', '<', this.tree.size + CATCH_UP_CHUNK)
        .orderBy('idx')
        .execute();
      if (this.appendCommitted(rows)) return;
    }
  }

  /** Appends leaves read from the store to the tree; true when they were the last. */
  private appendCommitted(rows: readonly { idx: number; hash: string }[]): boolean {
    for (const r of rows) {
      if (r.idx !== this.tree.size) throw new Error(`ledger entry ${this.tree.size} is missing: run \`gatekeeper ledger verify\``);
      this.tree.append(Buffer.from(r.hash, 'hex'));
    }
    return rows.length < CATCH_UP_CHUNK;
  }

  /**
   * Serialises writers across processes (an advisory lock on PostgreSQL; SQLite's write lock does it there)
   * and adds to the tree any leaves another process committed since this one last looked. On PostgreSQL the
   * lock, the planner setting and the first read go as one message, with the transaction's BEGIN (pg-pool.ts):
   * one round trip where there were four. Every statement of a ledger transaction looks rows up by key, in
   * tables that grow faster than their statistics follow: without them the planner expects hundreds of rows
   * where there are a few and builds a bitmap for each lookup (a release's probe: 6 against 4 us a lookup).
   */
  private async catchUp(trx: Transaction<Database>): Promise<void> {
    if (this.store.dialect !== 'postgres') return this.readCommitted(trx);
    // Integers only, from this process: nothing outside is spliced into the text.
    const first = await sql
      .raw<{ idx: number; hash: string }>(
        `select pg_advisory_xact_lock(${LOCK_ID}); set local enable_bitmapscan = off; ` +
          `select "idx", "hash" from "ledger" where "idx" >= ${this.tree.size} and "idx" < ${this.tree.size + CATCH_UP_CHUNK} order by "idx"`,
      )
      .execute(trx);
    if (!this.appendCommitted(first.rows)) await this.readCommitted(trx);
  }

  /** The latest checkpoint note, signing a new one when the tree has grown since the last. */
  async checkpoint(): Promise<string> {
    await this.refresh();
    const size = this.tree.size;
    const latest = () =>
      this.store.db.selectFrom('checkpoints').select(['size', 'note']).orderBy('size', 'desc').limit(1).executeTakeFirst();
    let last = await latest();
    if (last && last.size === size && !this.handover) return last.note;
    // Another process (the command line) may have rotated the key: signing with this one would break the chain.
    const stored = async (): Promise<number> =>
      (
        await this.store.db
          .selectFrom('keyring')
          .select((eb) => eb.fn.max('version').as('v'))
          .where('purpose', '=', 'ledger')
          .executeTakeFirst()
      )?.v ?? 0;
    if ((await stored()) > this.history.length) {
      if (this.reloadKeys) await this.adopt(await this.reloadKeys());
      if ((await stored()) > this.history.length)
        throw new Error('the ledger signing key was rotated by another process: restart this one to sign with the new key');
      last = await latest();
      if (last && last.size === size && !this.handover) return last.note;
    }
    const signers = (this.handover ? this.history.slice(-2) : [this.keys]).map((k) => ({ name: this.origin, ...k }));
    const note = signNote(checkpointText({ origin: this.origin, size, root: this.tree.root(size) }), ...signers);
    if (last && last.size === size) await this.store.db.updateTable('checkpoints').set({ note }).where('size', '=', size).execute();
    else
      await this.store.db
        .insertInto('checkpoints')
        .values({ size, note, created_at: new Date().toISOString() })
        .onConflict((oc) => oc.column('size').doNothing())
        .execute();
    this.handover = false;
    return note;
  }

  /** Inclusion proof of entry `index` in the tree of `size` (default: the latest checkpoint's size). */
  async inclusion(
    index: number,
    size?: number,
  ): Promise<{ index: number; size: number; leaf: string; proof: string[]; checkpoint: string }> {
    const note = await this.checkpoint();
    const n = size ?? parseCheckpoint(note.slice(0, note.indexOf('\n\n') + 1)).size;
    if (!Number.isSafeInteger(index) || index < 0 || index >= n) throw new RangeError(`index must be within 0..${n - 1}`);
    const row = await this.store.db.selectFrom('ledger').select('leaf').where('idx', '=', index).executeTakeFirstOrThrow();
    const stored = size === undefined ? note : await this.checkpointAt(n);
    return {
      index,
      size: n,
      leaf: Buffer.from(row.leaf, 'utf8').toString('base64'),
      proof: this.tree.inclusionProof(index, n).map(b64),
      checkpoint: stored,
    };
  }

  /** A party's own entries from index `from` on, each with its inclusion proof in the latest checkpoint. */
  async entriesOf(
    party: string,
    from = 0,
    limit = 100,
  ): Promise<{ checkpoint: string; entries: { index: number; leaf: string; proof: string[] }[] }> {
    const checkpoint = await this.checkpoint();
    const size = this.openCheckpoint(checkpoint).size;
    const rows = await this.store.db
      .selectFrom('ledger')
      .select(['idx', 'leaf'])
      .where('party', '=', party)
      .where('idx', '>=', from)
      .where('idx', '<', size)
      .orderBy('idx')
      .limit(limit)
      .execute();
    return {
      checkpoint,
      entries: rows.map((r) => ({
        index: r.idx,
        leaf: Buffer.from(r.leaf, 'utf8').toString('base64'),
        proof: this.tree.inclusionProof(r.idx, size).map(b64),
      })),
    };
  }

  /** Consistency proof between two tree sizes (the second defaults to the current size). */
  async consistency(first: number, second?: number): Promise<{ first: number; second: number; proof: string[]; checkpoint: string }> {
    const note = await this.checkpoint();
    const n = second ?? this.tree.size;
    if (!Number.isSafeInteger(first) || first < 0 || first > n) throw new RangeError(`first must be within 0..${n}`);
    return {
      first,
      second: n,
      proof: this.tree.consistencyProof(first, n).map(b64),
      checkpoint: n === this.tree.size ? note : await this.checkpointAt(n),
    };
  }

  /** The stored checkpoint of exactly `size`, or a new signature over it when none was kept. */
  private async checkpointAt(size: number): Promise<string> {
    const row = await this.store.db.selectFrom('checkpoints').select('note').where('size', '=', size).executeTakeFirst();
    return (
      row?.note ?? signNote(checkpointText({ origin: this.origin, size, root: this.tree.root(size) }), { name: this.origin, ...this.keys })
    );
  }

  /** Opens a checkpoint note with this log's key. */
  openCheckpoint(note: string): ReturnType<typeof parseCheckpoint> {
    return parseCheckpoint(openNote(note, parseVerifierKey(this.verifierKey())));
  }
}

const b64 = (b: Buffer): string => b.toString('base64');
