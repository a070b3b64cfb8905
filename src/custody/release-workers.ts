/**
 * Worker threads for the CPU half of a release (open, fingerprint, render), so that on a machine with more
 * than one core one release's preparation runs while another's rows are written. They start on the first
 * large release and hold the data and fingerprint keys they are sent, like the main thread does.
 */
import { availableParallelism } from 'node:os';
import { setImmediate as yieldToEvents } from 'node:timers/promises';
import { siblingModule, WorkerPool } from '../shared/worker-pool.ts';
import { prepareViews, type PrepareJob, type Prepared } from './prepare.ts';

/** Rows per message: large enough that cloning costs little per view, small enough to share the work out. */
const CHUNK = 128;

/** For callers with nothing else to do: this thread always helps. */
const ALWAYS_IDLE = { now: () => true, next: () => Promise.resolve() };

/** Chunks a worker may hold: enough to keep it busy while this thread writes another release. */
const DEPTH = 4;

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

/** Prepares release views on worker threads when there are any and the job is large, else on this thread. */
export class ReleaseWorkers {
  private pool: WorkerPool<PrepareJob, Prepared[]> | undefined;
  /** Chunks a worker prepared (those it failed on and this thread redid are not counted). */
  offloaded = 0;

  constructor(readonly size: number) {}

  /** Starts the workers now rather than on the first large release; resolves when they are ready. */
  async start(): Promise<void> {
    await this.running()?.ready();
  }

  /** The pool, started on first use; none when there are no workers. */
  private running(): WorkerPool<PrepareJob, Prepared[]> | undefined {
    if (this.size === 0) return undefined;
    return (this.pool ??= new WorkerPool(this.size, siblingModule(import.meta.url, './release-worker'), DEPTH));
  }

  /**
   * The views of `job`, in the order of its rows. Each chunk goes to a worker with room; when none has
   * room, this thread prepares it itself if `idle` says it has nothing better to do (no release being
   * written), else waits for whichever comes first, a worker's room or that idleness. Workers hold at most
   * DEPTH chunks, so the rest stay here for whichever thread is free first.
   */
  async prepare(job: PrepareJob, idle: { now(): boolean; next(): Promise<void> } = ALWAYS_IDLE): Promise<Prepared[]> {
    const pool = job.rows.length < MIN_PARALLEL ? undefined : this.running();
    if (!pool) return prepareViews(job);
    const parts: Promise<Prepared[]>[] = [];
    for (let i = 0; i < job.rows.length;) {
      const part = { ...job, rows: job.rows.slice(i, i + CHUNK) };
      const remote = pool.tryRun(part);
      if (remote) {
        // A worker's failure is not the release's: this thread redoes the chunk, and raises what it raises.
        parts.push(
          remote.then(
            (views) => {
              this.offloaded++;
              return views;
            },
            () => prepareViews(part),
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
      parts.push(Promise.resolve(prepareViews(part)));
      i += CHUNK;
      // Let finished workers report before the next chunk, or this thread would end up doing them all.
      await yieldToEvents();
    }
    return (await Promise.all(parts)).flat();
  }

  /** Stops the workers, if any started. */
  async close(): Promise<void> {
    await this.pool?.close();
  }
}
