/**
 * Accountability analyses on a worker thread with its own read connection: an analysis of a large store reads
 * and sums for seconds, which on the main thread held up every other request. A store other threads cannot
 * open (in-memory SQLite) is analysed on the calling thread.
 */
import { keyMints, type Custody, type KeyMint, type Party } from '../custody/index.ts';
import { siblingModule, WorkerPool } from '../shared/worker-pool.ts';
import type { StoreLocation } from '../store/index.ts';
import type { Accountability } from './accountability.ts';
import { accountabilityReach, analyseAccountability, type Window } from './activity.ts';

/** What the worker is sent: the caller, the window, and the ledger's size when the analysis was asked for. */
export interface AnalysisJob {
  me: Party;
  window: Window;
  size: number;
}

/** A worker left without analyses this long stops; the next analysis starts another. */
const IDLE_MS = 60_000;

/** One worker thread for one store's analyses, started on first use and stopped when idle. */
class AnalysisThread {
  private pool: WorkerPool<AnalysisJob, Accountability> | undefined;
  private idle: NodeJS.Timeout | undefined;
  private running = 0;
  /** Analyses the worker answered. */
  served = 0;

  constructor(private readonly location: StoreLocation) {}

  /**
   * Runs the analysis on the worker, waiting for it to start or to finish the one before; a worker that could
   * not start or died leaves the analysis to `here` (and the next one starts another worker).
   */
  async run(job: AnalysisJob, here: () => Promise<Accountability>): Promise<Accountability> {
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

  private start(): WorkerPool<AnalysisJob, Accountability> {
    return new WorkerPool<AnalysisJob, Accountability>(1, siblingModule(import.meta.url, './analysis-worker'), 1, this.location);
  }

  private async stop(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.close();
  }
}

const threads = new WeakMap<Custody, AnalysisThread>();

/** The analysis of `me`'s reach over `window`: on the store's analysis thread when it has one, else here. */
async function runAnalysis(c: Custody, me: Party, window: Window): Promise<Accountability> {
  const location = c.store.location;
  if (location === undefined) return analyseAccountability(c, me, window);
  let thread = threads.get(c);
  if (thread === undefined) threads.set(c, (thread = new AnalysisThread(location)));
  return thread.run({ me, window, size: c.ledger.tree.size }, () => analyseAccountability(c, me, window));
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
  const acc = await runAnalysis(c, me, window);
  return {
    ...acc,
    mints: await keyMints(
      c,
      [...acc.profiles.values()].flatMap((p) => [...p.keys.keys()]),
    ),
  };
}
