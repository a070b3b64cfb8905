/** The persistent ledger: leaves in the store, the tree in memory, checkpoints signed with Ed25519. */
import { createHmac, type KeyObject } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { insertRows, type Database, type Store } from '../store/index.ts';
import { at } from '../shared/at.ts';
import { advanceAnchor, readAnchor } from './anchor.ts';
import { checkpointText, parseCheckpoint } from './checkpoint.ts';
import { cosignatureTime, splitNote, withSignatureLines, type Cosigner } from './cosignature.ts';
import { decodeEntry, encodeEntry, ROW_TAGS_LEAF, type LedgerEntry } from './entry.ts';
import { leafHashOfText } from './merkle.ts';
import { openNote, parseVerifierKey, signNote, verifierKey } from './note.ts';
import { MerkleTree } from './tree.ts';

/** The log's first entry recording where row tags began (at an index of the log), if it has one. */
export function rowTagsEntry(db: Kysely<Database>): Promise<{ idx: number; leaf: string } | undefined> {
  return db
    .selectFrom('ledger')
    .select(['idx', 'leaf'])
    .where(sql<boolean>`${sql.raw(ROW_TAGS_LEAF)}`)
    .where('idx', '>=', 0)
    .orderBy('idx')
    .limit(1)
    .executeTakeFirst();
}

/** Where row tags began, as the `row_tags` entry `leaf` records it; undefined when the leaf is not one. */
export function tagsBeganAt(leaf: string): number | undefined {
  try {
    const e = decodeEntry(leaf);
    // Written before the checkpoint that follows tagging, so it records a start at or before its own index.
    return e.t === 'row_tags' && Number.isSafeInteger(e.from) && e.from >= 0 && e.from <= e.i ? e.from : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A ledger row's tag: HMAC-SHA256 under the row key (derived from the master key) of its index and leaf hash,
 * 128 bits in hex. Only a process holding the key writes rows that carry a valid one.
 */
export function ledgerRowTag(rowKey: Buffer, idx: number, hashHex: string): string {
  return createHmac('sha256', rowKey)
    .update(`${String(idx)}:${hashHex}`)
    .digest('hex')
    .slice(0, 32);
}

/** What to do about a row the service did not write. */
const REPAIR =
  "Nothing can be appended or signed until it is removed: run `gatekeeper ledger verify` for the full report, then restore the ledger from a backup of the store or an auditor's `ledger export`.";

/** Default log origin (and signing key name), a schema-less URL as C2SP recommends. */
export const DEFAULT_ORIGIN = 'gatekeeper.local/ledger';

/** Advisory lock key that serialises ledger writers on PostgreSQL. */
const LOCK_ID = 0x6b6c6467;

/**
 * Leaves read from the store at a time when catching up with other processes. Reads ask for a range of
 * indexes rather than a LIMIT: a new ledger table has no statistics, and with `idx >= n limit 50000` the
 * planner chose to scan and sort the whole table on every release transaction.
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
  /** Why the stored log cannot be extended or signed (an entry missing, entries under a checkpoint deleted). */
  private broken: string | null = null;
  /** Signing of checkpoints, one at a time. */
  private signing: Promise<unknown> = Promise.resolve();
  /** The tree size of the latest checkpoint this process signed or found. */
  private signedSize = 0;
  /** The signer's anchor file (the last signed size and root, outside the database), if this deployment keeps one. */
  private anchorFile: string | null = null;
  /** Called after each write commits (the checkpoint schedule's entry count). */
  private afterWrite: (() => void) | null = null;
  /** The key rows are tagged under (null: rows are neither tagged nor checked, as for a reader without keys). */
  private rowKey: Buffer | null = null;
  /** Rows from this index on must carry a valid tag; rows before were written before tags were. */
  private tagsFrom = 0;
  /** Rows below this index are held by the anchor's root, so loading does not check their tags again. */
  private tagCheckFrom = 0;
  /** The entry recording where tags began, as loading found it (null: none yet). */
  private tagsEntry: { idx: number; leaf: string } | null = null;
  /** Whether the log holds that entry (else it is written before the next checkpoint is signed). */
  private tagsLogged = false;

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
    anchorFile?: string,
    rowKey?: Buffer,
  ): Promise<Ledger> {
    const ledger = new Ledger(store, new MerkleTree(), origin, keys, reloadKeys);
    ledger.anchorFile = anchorFile ?? null;
    if (rowKey) await ledger.startTags(rowKey);
    try {
      await ledger.readCommitted(store.db);
    } catch (e) {
      // The tree stays as far as it is whole, so that `ledger verify` can still open the log and report on it.
      if (!(e instanceof LedgerDamaged)) throw e;
      ledger.broken = e.message;
    }
    const last = await ledger.latestCheckpoint();
    ledger.signedSize = last?.size ?? 0;
    if (!ledger.broken && last && last.size > ledger.tree.size)
      ledger.broken =
        `the latest checkpoint signed ${last.size} ledger entries but only ${ledger.tree.size} are stored: entries ` +
        `${ledger.tree.size}..${last.size - 1} were deleted. Nothing can be appended or signed until they are restored: ` +
        `run \`gatekeeper ledger verify\` for the full report, then restore them from a backup of the store or from an auditor's \`ledger export\`.`;
    ledger.broken ??= ledger.anchorProblem() ?? ledger.tagsEntryProblem() ?? ledger.checkpointProblem(last);
    if (last && !(ledger.anchorFile && readAnchor(ledger.anchorFile)))
      ledger.unanchored = ledger.anchorFile
        ? `the log has signed checkpoints but no anchor at ${ledger.anchorFile}: a history rewritten in the database would be signed again unseen. Restore the file from a backup, or keep checkpoints with \`ledger verify --trusted\` and witnesses.`
        : 'the log has signed checkpoints but no anchor file (set GATEKEEPER_LEDGER_ANCHOR when the master key comes from the environment): a history rewritten in the database would be signed again unseen.';
    ledger.handover = ledger.history.length > 1 && !(await ledger.signedByNewest());
    return ledger;
  }

  /**
   * Takes up row tags. Rows written before tags carry none: they may only come first. The anchor (outside the
   * database) fixes where tags began once this deployment has signed with them; without it, an untagged row
   * after a tagged one is the only sign of a row written into the table directly.
   */
  private async startTags(rowKey: Buffer): Promise<void> {
    this.rowKey = rowKey;
    const anchor = this.anchorFile ? readAnchor(this.anchorFile) : null;
    const untagged = await this.store.db
      .selectFrom('ledger')
      .select('idx')
      .where('tag', 'is', null)
      .orderBy('idx', 'desc')
      .limit(1)
      .executeTakeFirst();
    // The log's own record of where tags began: stripping every tag does not move it, and editing it changes
    // a signed entry.
    const logged = await rowTagsEntry(this.store.db);
    this.tagsEntry = logged ?? null;
    this.tagsLogged = logged !== undefined;
    this.tagsFrom = anchor?.tagsFrom ?? (logged ? tagsBeganAt(logged.leaf) : undefined) ?? (untagged ? untagged.idx + 1 : 0);
    this.tagCheckFrom = anchor?.tagsFrom !== undefined ? Math.max(anchor.tagsFrom, anchor.size) : 0;
    if (anchor?.tagsFrom === undefined && untagged) {
      const tagged = await this.store.db
        .selectFrom('ledger')
        .select('idx')
        .where('tag', 'is not', null)
        .where('idx', '<', untagged.idx)
        .orderBy('idx')
        .limit(1)
        .executeTakeFirst();
      if (tagged)
        this.broken =
          `ledger entry ${untagged.idx} carries no row tag but follows tagged entries (from ${tagged.idx}): it was written into ` +
          `the ledger table directly, not by this service. ${REPAIR}`;
    }
  }

  /** Why the entry recording where tags began cannot be trusted (edited in place), or null. */
  private tagsEntryProblem(): string | null {
    const e = this.tagsEntry;
    if (!e || (this.holds(e.idx, e.leaf) && tagsBeganAt(e.leaf) !== undefined)) return null;
    return `ledger entry ${e.idx}, which records where row tags began, was edited (it no longer matches its hash in the tree, or records a start after itself). ${REPAIR}`;
  }

  /**
   * Why the stored leaves do not give the root the latest stored checkpoint signed (the history under it was
   * rewritten in the database), or null. Its signature is `ledger verify`'s to check; a signer must not sign on
   * from a prefix that no longer gives its own last root.
   */
  private checkpointProblem(last: { size: number; note: string } | undefined): string | null {
    if (!last || last.size > this.tree.size || last.size === 0) return null;
    let root: string;
    try {
      root = parseCheckpoint(splitNote(last.note).body).root.toString('base64');
    } catch {
      return null;
    }
    return root === this.tree.root(last.size).toString('base64')
      ? null
      : `the first ${last.size} ledger entries no longer give the root of the checkpoint signed at that size: the history was rewritten. ${REPAIR}`;
  }

  /** Writes the entry recording where tags began, unless the log has one (another process may have written it). */
  private async logTagsStart(): Promise<void> {
    await this.write(async (trx, log) => {
      const logged = await rowTagsEntry(trx);
      if (!logged) log.add({ t: 'row_tags', at: new Date().toISOString(), party: 'ledger', from: this.tagsFrom });
    });
    this.tagsLogged = true;
  }

  /** Why the stored tree does not extend the last checkpoint this deployment signed (its anchor), or null. */
  private anchorProblem(): string | null {
    if (!this.anchorFile) return null;
    const a = readAnchor(this.anchorFile);
    if (!a) return null;
    const fix = `Nothing is signed until the log is restored: run \`gatekeeper ledger verify\` and restore the store from a backup or an auditor's \`ledger export\`.`;
    if (a.size > this.tree.size)
      return `this signer last signed ${a.size} ledger entries (${this.anchorFile}) but only ${this.tree.size} are stored: entries were deleted. ${fix}`;
    if (a.size > 0 && this.tree.root(a.size).toString('base64') !== a.root)
      return `the first ${a.size} ledger entries no longer give the root this signer signed (${this.anchorFile}): the history was rewritten. ${fix}`;
    return null;
  }

  /** Why this signer cannot hold the log to what it signed before (no anchor for a log that has checkpoints), or null. */
  unanchored: string | null = null;

  /** Why this log cannot be extended or signed, or null when it is whole as far as loading can tell. */
  get damage(): string | null {
    return this.broken;
  }

  private assertWhole(): void {
    if (this.broken) throw new LedgerDamaged(this.broken);
  }

  private latestCheckpoint(): Promise<{ size: number; note: string } | undefined> {
    return this.store.db.selectFrom('checkpoints').select(['size', 'note']).orderBy('size', 'desc').limit(1).executeTakeFirst();
  }

  /** The key that signs now. */
  private get keys(): LedgerKeys {
    return at(this.history, this.history.length - 1, 'ledger signing key');
  }

  /** Whether the newest key signed the latest stored checkpoint. */
  private async signedByNewest(): Promise<boolean> {
    const last = await this.latestCheckpoint();
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

  /** Whether `leaf` (the stored text) is the entry the tree holds at `idx`: evidence reads only leaves that are. */
  holds(idx: number, leaf: string): boolean {
    return Number.isSafeInteger(idx) && idx >= 0 && idx < this.tree.size && leafHashOfText(leaf).equals(this.tree.leaf(idx));
  }

  /** The C2SP verifier key for this log: the key that signs now. */
  verifierKey(): string {
    return verifierKey(this.origin, this.keys.publicKey);
  }

  /** The verifier key of the log's first signing key, from which `verifyLedger` follows every handover. */
  firstVerifierKey(): string {
    return verifierKey(this.origin, at(this.history, 0, 'ledger signing key').publicKey);
  }

  /** Runs `fn` in a database transaction, appending the entries it adds; they enter the tree only after commit. */
  write<T>(fn: (trx: Transaction<Database>, log: LedgerWriter) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      this.assertWhole();
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
          pending.map((p) => {
            const hash = p.hash.toString('hex');
            return { idx: p.idx, leaf: p.leaf, hash, party: p.party, tag: this.rowKey ? ledgerRowTag(this.rowKey, p.idx, hash) : null };
          }),
        );
        return out;
      });
      for (const p of pending) this.tree.append(p.hash);
      if (pending.length > 0) this.afterWrite?.();
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
        .select(['idx', 'hash', 'tag'])
        .where('idx', '>=', this.tree.size)
        .where('idx', '<', this.tree.size + CATCH_UP_CHUNK)
        .orderBy('idx')
        .execute();
      if (this.appendCommitted(rows)) return;
    }
  }

  /** What is wrong with a stored row's tag, or null when it verifies or is not checked (no key, before tags, under the anchor). */
  private tagProblem(r: { idx: number; hash: string; tag: string | null }): string | null {
    if (!this.rowKey || r.idx < this.tagCheckFrom) return null;
    if (r.tag === null) return r.idx >= this.tagsFrom ? 'carries no row tag' : null;
    return r.tag === ledgerRowTag(this.rowKey, r.idx, r.hash) ? null : 'carries a row tag that does not verify';
  }

  /** Appends leaves read from the store to the tree; true when they were the last. */
  private appendCommitted(rows: readonly { idx: number; hash: string; tag: string | null }[]): boolean {
    for (const r of rows) {
      const problem = this.tagProblem(r);
      if (problem) {
        this.broken = `ledger entry ${r.idx} ${problem}: it was written into the ledger table directly, not by this service. ${REPAIR}`;
        throw new LedgerDamaged(this.broken);
      }
      if (r.idx !== this.tree.size) {
        const n = this.tree.size;
        throw new LedgerDamaged(
          `ledger entry ${n} is missing (the store goes from entry ${n - 1} to entry ${r.idx}): it was deleted or renumbered. ` +
            `Nothing can be appended or signed until the log is whole again: run \`gatekeeper ledger verify\` for the full report, ` +
            `then restore entr${r.idx - n > 1 ? `ies ${n}..${r.idx - 1}` : `y ${n}`} from a backup of the store or from an auditor's \`ledger export\`.`,
        );
      }
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
   * where there are a few and builds a bitmap for each lookup, slower than the plain index scan.
   */
  private async catchUp(trx: Transaction<Database>): Promise<void> {
    if (this.store.dialect !== 'postgres') return this.readCommitted(trx);
    // Integers only, from this process: nothing outside is spliced into the text.
    const first = await sql
      .raw<{ idx: number; hash: string; tag: string | null }>(
        `select pg_advisory_xact_lock(${LOCK_ID}); set local enable_bitmapscan = off; ` +
          `select "idx", "hash", "tag" from "ledger" where "idx" >= ${this.tree.size} and "idx" < ${this.tree.size + CATCH_UP_CHUNK} order by "idx"`,
      )
      .execute(trx);
    if (!this.appendCommitted(first.rows)) await this.readCommitted(trx);
  }

  /** The latest checkpoint note, signing a new one when the tree has grown since the last. */
  checkpoint(): Promise<string> {
    const run = (): Promise<string> => this.signCheckpoint();
    const next = this.signing.then(run, run);
    this.signing = next.catch(() => undefined);
    return next;
  }

  private async signCheckpoint(): Promise<string> {
    this.assertWhole();
    await this.refresh();
    // Whoever wrote the database may have rewritten or cut what this signer signed before: never sign over it.
    this.broken ??= this.anchorProblem();
    this.assertWhole();
    if (this.rowKey && !this.tagsLogged) await this.logTagsStart();
    const size = this.tree.size;
    let last = await this.latestCheckpoint();
    if (last && last.size > size) {
      // Entries under a signed checkpoint are gone: signing the shorter tree would hide it.
      this.broken = `the latest checkpoint signed ${last.size} ledger entries but only ${size} are stored: entries ${size}..${last.size - 1} were deleted`;
      this.assertWhole();
    }
    if (last && last.size === size && !this.handover) {
      this.signedSize = size;
      return last.note;
    }
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
      last = await this.latestCheckpoint();
      if (last && last.size === size && !this.handover) {
        this.signedSize = size;
        return last.note;
      }
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
    this.signedSize = size;
    if (this.anchorFile)
      advanceAnchor(this.anchorFile, {
        size,
        root: this.tree.root(size).toString('base64'),
        ...(this.rowKey ? { tagsFrom: this.tagsFrom } : {}),
      });
    // Another process may have stored its own note for this size first (the insert above then did nothing).
    const kept = await this.store.db.selectFrom('checkpoints').select('note').where('size', '=', size).executeTakeFirst();
    return kept?.note ?? note;
  }

  /**
   * Signs a checkpoint whenever `entries` entries were appended since the last one, and (when `ms` is given)
   * every `ms` when the log grew (also by other processes); returns a function that stops it. Failures go to
   * `onError`.
   */
  scheduleCheckpoints(every: { entries: number; ms?: number }, onError: (e: unknown) => void): () => void {
    let running = false;
    const sign = (): void => {
      if (running || this.broken) return;
      running = true;
      this.checkpoint()
        .catch(onError)
        .finally(() => (running = false));
    };
    this.afterWrite = () => {
      if (this.tree.size - this.signedSize >= every.entries) sign();
    };
    const timer = every.ms === undefined ? undefined : setInterval(sign, every.ms);
    timer?.unref();
    return () => {
      clearInterval(timer);
      this.afterWrite = null;
    };
  }

  /** The largest stored checkpoint `witness` cosigned (its size and note), or null. */
  async lastCosigned(witness: Cosigner): Promise<{ size: number; note: string } | null> {
    const rows = await this.store.db
      .selectFrom('checkpoints')
      .select(['size', 'note'])
      .where('note', 'like', `%\u2014 ${witness.name} %`)
      .orderBy('size', 'desc')
      .limit(100)
      .execute();
    for (const r of rows) {
      try {
        if (cosignatureTime(r.note, witness) !== null) return r;
      } catch {
        // A cosignature that does not verify vouches for nothing; `ledger verify` reports it.
      }
    }
    return null;
  }

  /**
   * Adds a witness's cosignature (from the body of a tlog-witness add-checkpoint response) to the stored
   * checkpoint it signs; returns that checkpoint's size. Lines from other keys are ignored, as the spec says.
   */
  async attachCosignatures(witness: Cosigner, response: string): Promise<number> {
    const lines = response.split('\n').filter((l) => l.length > 0);
    if (lines.some((l) => !/^\u2014 \S+ [A-Za-z0-9+/=]+$/.test(l)))
      throw new Error('the witness response has a line that is not a signature line');
    const own = lines.filter((l) => {
      const [, name, sig] = l.split(' ') as [string, string, string];
      return name === witness.name && Buffer.from(sig, 'base64').subarray(0, 4).equals(witness.id);
    });
    const line = own[own.length - 1];
    if (!line) throw new Error(`the witness response carries no cosignature of ${witness.name} with this key`);
    const recent = await this.store.db.selectFrom('checkpoints').select(['size', 'note']).orderBy('size', 'desc').limit(1000).execute();
    const cp = recent.find((r) => {
      try {
        return cosignatureTime(withSignatureLines(r.note, [line]), witness) !== null;
      } catch {
        return false;
      }
    });
    if (!cp) throw new Error(`the cosignature of ${witness.name} does not verify on any of the latest 1000 checkpoints`);
    const note = withSignatureLines(cp.note, [line]);
    // Go's note.Open refuses notes with more than 100 signatures.
    if (splitNote(note).lines.length > 32) throw new Error(`the checkpoint at size ${cp.size} already carries 32 signatures`);
    // Compare and swap: another cosigner may be attaching to the same note.
    const r = await this.store.db
      .updateTable('checkpoints')
      .set({ note })
      .where('size', '=', cp.size)
      .where('note', '=', cp.note)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1)
      throw new Error(`the checkpoint at size ${cp.size} changed meanwhile: attach the cosignature again`);
    return cp.size;
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
    // The checkpoint's own size, not the tree's: entries appended since it was signed are not in it.
    const signed = parseCheckpoint(note.slice(0, note.indexOf('\n\n') + 1)).size;
    const n = second ?? signed;
    if (!Number.isSafeInteger(n) || n > this.tree.size) throw new RangeError(`second must be within 0..${this.tree.size}`);
    if (!Number.isSafeInteger(first) || first < 0 || first > n) throw new RangeError(`first must be within 0..${n}`);
    return {
      first,
      second: n,
      proof: this.tree.consistencyProof(first, n).map(b64),
      checkpoint: n === signed ? note : await this.checkpointAt(n),
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

/** The stored log has a hole or lost signed entries: it cannot be extended or signed until restored. */
export class LedgerDamaged extends Error {
  override name = 'LedgerDamaged';
}
