/**
 * Accountability analyses on a worker thread with its own read connection: an analysis of a large store reads
 * and sums for seconds, which on the main thread held up every other request. A store other threads cannot
 * open (in-memory SQLite) is analysed on the calling thread.
 */
import { createHash } from 'node:crypto';
import { keyMints, UnavailableError, type Custody, type KeyMint, type Party } from '../custody/index.ts';
import { decodeEntry } from '../ledger/index.ts';
import { siblingModule, WorkerPool } from '../shared/worker-pool.ts';
import type { StoreLocation } from '../store/index.ts';
import type { Accountability } from './accountability.ts';
import { accountabilityReach, analyseAccountability, TIME_SLACK_MS, type Analysis, type LedgerRange, type Window } from './activity.ts';

/** What the worker is sent: the caller, the window, and the ledger's size when the analysis was asked for. */
export interface AnalysisJob {
  me: Party;
  window: Window;
  size: number;
}

/** Leaves hashed between yields to the event loop when an analysis's rows are held to the tree. */
const DIGEST_SLICE = 65_536;

/** A worker left without analyses this long stops; the next analysis starts another. */
const IDLE_MS = 60_000;

/** One worker thread for one store's analyses, started on first use and stopped when idle. */
class AnalysisThread {
  private pool: WorkerPool<AnalysisJob, Analysis> | undefined;
  private idle: NodeJS.Timeout | undefined;
  private running = 0;
  /** Analyses the worker answered. */
  served = 0;

  constructor(private readonly location: StoreLocation) {}

  /**
   * Runs the analysis on the worker, waiting for it to start or to finish the one before; a worker that could
   * not start or died leaves the analysis to `here` (and the next one starts another worker).
   */
  async run(job: AnalysisJob, here: () => Promise<Analysis>): Promise<Analysis> {
    clearTimeout(this.idle);
    this.running++;
    const pool = (this.pool ??= this.start());
    // Awaiting only a worker's message does not keep a process alive: the worker does, while it works.
    pool.ref();
    try {
      await pool.ready();
      for (;;) {
        if (pool.failed !== undefined) {
          if (this.pool === pool) this.pool = undefined;
          void pool.close();
          return await here();
        }
        const out = pool.tryRun(job);
        if (out) {
          const acc = await out;
          this.served++;
          return acc;
        }
        await (pool.room() ?? pool.ready());
      }
    } finally {
      if (--this.running === 0) {
        pool.unref();
        this.idle = setTimeout(() => void this.stop(), IDLE_MS).unref();
      }
    }
  }

  private start(): WorkerPool<AnalysisJob, Analysis> {
    return new WorkerPool<AnalysisJob, Analysis>(1, siblingModule(import.meta.url, './analysis-worker'), 1, this.location);
  }

  private async stop(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.close();
  }
}

const threads = new WeakMap<Custody, AnalysisThread>();

/** The analysis of `me`'s reach over `window`: on the store's analysis thread when it has one, else here. */
async function runAnalysis(c: Custody, me: Party, window: Window, size: number): Promise<Analysis> {
  const here = (): Promise<Analysis> => analyseAccountability({ store: c.store, ledger: { tree: { size } } }, me, window);
  const location = c.store.location;
  if (location === undefined) return here();
  let thread = threads.get(c);
  if (thread === undefined) threads.set(c, (thread = new AnalysisThread(location)));
  return thread.run({ me, window, size }, here);
}

/**
 * Holds the ledger rows an analysis read to the tree this process verified: the digest of their leaves, and
 * the rows either side of what was read (before `since`, and at or after `until` unless the rows ran to `size`,
 * each beyond TIME_SLACK_MS).
 * A deleted, edited or re-attributed row in the window makes the analysis refuse to answer.
 */
async function holdToTree(c: Custody, range: LedgerRange | null, window: Window, size: number): Promise<void> {
  if (range === null) return;
  const refuse = (): never => {
    throw new UnavailableError('the ledger rows of this window do not match the signed tree: run `gatekeeper ledger verify`');
  };
  if (range.from > range.to || range.to > size) refuse();
  // A long window covers millions of leaves: hash them a slice at a time, letting other requests in between.
  const digest = createHash('sha256');
  for (let i = range.from; i < range.to;) {
    const end = Math.min(range.to, i + DIGEST_SLICE);
    for (; i < end; i++) digest.update(c.ledger.tree.leaf(i));
    if (i < range.to) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  if (digest.digest('hex') !== range.digest) refuse();
  for (const [idx, hash] of range.leaves) if (!(idx >= 0 && idx < size && c.ledger.tree.leaf(idx).toString('hex') === hash)) refuse();
  const edge = async (idx: number, ok: (at: number) => boolean): Promise<void> => {
    const row = await c.store.db.selectFrom('ledger').select('leaf').where('idx', '=', idx).executeTakeFirst();
    if (!row || !c.ledger.holds(idx, row.leaf) || !ok(Date.parse(decodeEntry(row.leaf).at))) refuse();
  };
  if (range.from > 0) await edge(range.from - 1, (at) => at < Date.parse(window.since) - TIME_SLACK_MS);
  if (range.to < size) await edge(range.to, (at) => at >= Date.parse(window.until) + TIME_SLACK_MS);
}

/** How many of this context's analyses a worker thread answered (none for a store other threads cannot open). */
export function analysesOffThread(c: Custody): number {
  return threads.get(c)?.served ?? 0;
}

/** Accountability read from the store, with the minter of every API key its entries name. */
export interface StoreAccountability extends Accountability {
  mints: ReadonlyMap<string, KeyMint>;
}

/** Accountability of every party in the caller's reach over a window (who may read it is checked here, before any thread runs it). */
export async function readAccountability(c: Custody, me: Party, window: Window): Promise<StoreAccountability> {
  accountabilityReach(me);
  const size = c.ledger.tree.size;
  const { range, ...acc } = await runAnalysis(c, me, window, size);
  await holdToTree(c, range, window, size);
  return {
    ...acc,
    mints: await keyMints(
      c,
      [...acc.profiles.values()].flatMap((p) => [...p.keys.keys()]),
    ),
  };
}
