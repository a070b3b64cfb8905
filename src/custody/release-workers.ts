/**
 * Worker threads for the reading and CPU half of a release (read the orders, open, fingerprint, render), so
 * that on a machine with more than one core one release's preparation runs while another's rows are
 * written. Each worker reads through its own read-only connection to the store's database. They start on
 * the first large release and hold the data and fingerprint keys they are sent, like the main thread does.
 */
import { availableParallelism } from 'node:os';
import { setImmediate as yieldToEvents } from 'node:timers/promises';
import { siblingModule, WorkerPool } from '../shared/worker-pool.ts';
import type { Reader, StoreLocation } from '../store/index.ts';
import { runJob, type JobResult, type ReleaseJob } from './release-job.ts';

/** Orders per message: large enough that a message costs little per view, small enough to share the work out. */
const CHUNK = 128;

/** For callers with nothing else to do: this thread always helps. */
const ALWAYS_IDLE = { now: () => true, next: () => Promise.resolve() };

/**
 * Chunks a worker may hold: enough to keep it busy while this thread writes another release. This thread
 * cannot hand out work while it writes (the SQLite calls block it), and a 1,000-view write takes about as
 * long as preparing 1,000 views; with 4 chunks (512 views) the worker sat idle for part of every write.
 */
const DEPTH = 16;

/** Below this many views a release is prepared on the calling thread: a round trip would cost more. */
const MIN_PARALLEL = 2 * CHUNK;

/** Worker threads for releases: GATEKEEPER_WORKERS, else one fewer than the cores. */
export function defaultReleaseWorkers(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.GATEKEEPER_WORKERS;
  if (raw === undefined || raw === '') return availableParallelism() - 1;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 64) throw new Error('GATEKEEPER_WORKERS must be a whole number from 0 to 64');
  return n;
}

/**
 * Runs release jobs on worker threads when there are any and the job is large, else on this thread. A
 * store other threads cannot open (in-memory SQLite) gets no workers.
 */
export class ReleaseWorkers {
  private pool: WorkerPool<ReleaseJob, JobResult> | undefined;
  /** Chunks a worker ran (those it failed on and this thread redid are not counted). */
  offloaded = 0;

  constructor(
    readonly size: number,
    private readonly location?: StoreLocation,
  ) {}

  /** Starts the workers now rather than on the first large release; resolves when they are ready. */
  async start(): Promise<void> {
    await this.running()?.ready();
  }

  /** Worker threads running (none for a store other threads cannot open), and the error that stopped them, if any. */
  status(): { threads: number; failed?: string } {
    const failed = this.pool?.failed;
    return { threads: this.location && !failed ? this.size : 0, ...(failed ? { failed } : {}) };
  }

  /** The pool, started on first use; none when there are no workers. */
  private running(): WorkerPool<ReleaseJob, JobResult> | undefined {
    if (this.size === 0 || !this.location) return undefined;
    return (this.pool ??= new WorkerPool(this.size, siblingModule(import.meta.url, './release-worker'), DEPTH, this.location));
  }

  /**
   * The results of `job`, in the order of its ids; this thread reads through `db`'s connection. Each chunk goes to a
   * worker with room; when none has room, this thread runs it itself if `idle` says it has nothing better
   * to do (no release being written), else waits for whichever comes first, a worker's room or that
   * idleness. Workers hold at most DEPTH chunks, so the rest stay here for whichever thread is free first.
   */
  async run(db: Reader, job: ReleaseJob, idle: { now(): boolean; next(): Promise<void> } = ALWAYS_IDLE): Promise<JobResult> {
    const pool = job.ids.length < MIN_PARALLEL ? undefined : this.running();
    if (!pool) return runJob(db, job);
    const parts: Promise<JobResult>[] = [];
    for (let i = 0; i < job.ids.length;) {
      const part = { ...job, ids: job.ids.slice(i, i + CHUNK) };
      const remote = pool.tryRun(part);
      if (remote) {
        // A worker's failure is not the release's: this thread redoes the chunk, and raises what it raises.
        parts.push(
          remote.then(
            (results) => {
              this.offloaded++;
              return results;
            },
            () => runJob(db, part),
          ),
        );
        i += CHUNK;
        continue;
      }
      const room = idle.now() ? undefined : pool.room();
      if (room) {
        await Promise.race([room, idle.next()]);
        continue;
      }
      parts.push(runJob(db, part));
      i += CHUNK;
      // Let finished workers report before the next chunk, or this thread would end up doing them all.
      await yieldToEvents();
    }
    // Every part settles before the job does, so a failed release leaves no chunk still running behind it.
    const settled = await Promise.allSettled(parts);
    const out: JobResult = [];
    for (const r of settled) {
      if (r.status === 'rejected') throw r.reason;
      out.push(...r.value);
    }
    return out;
  }

  /** Stops the workers, if any started. */
  async close(): Promise<void> {
    await this.pool?.close();
  }
}
