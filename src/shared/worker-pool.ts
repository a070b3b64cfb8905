/**
 * A fixed set of worker threads for CPU-bound batches. Workers start at once; until one has loaded its
 * module and has room, `tryRun` declines and the caller does the work itself, so a worker pool never makes
 * a short job wait and never decides whether work gets done, only where.
 */
import { parentPort, Worker } from 'node:worker_threads';

/** The worker module beside `base` (an `import.meta.url`): `.ts` when running from sources, `.js` compiled. */
export function siblingModule(base: string, name: string): URL {
  return new URL(`${name}${base.endsWith('.ts') ? '.ts' : '.js'}`, base);
}

/** Starts a worker on a module, handing it `workerData`: the compiled file directly, or (running from sources) through tsx's loader. */
export function startWorker(url: URL, workerData: unknown): Worker {
  if (url.pathname.endsWith('.js')) return new Worker(url, { workerData });
  const code = `import { register } from 'tsx/esm/api'; register(); await import(${JSON.stringify(url.href)});`;
  return new Worker(code, { eval: true, workerData });
}

/** Batches a worker may hold at once by default: one running and one waiting, so it never idles between messages. */
const DEPTH = 2;

interface Slot {
  worker: Worker;
  ready: boolean;
  busy: number;
}

type Waiting<Out> = { resolve: (out: Out) => void; reject: (e: Error) => void; slot: Slot };

/** Worker threads running one module that serves `serveBatches`; `tryRun` resolves with a batch's result. */
export class WorkerPool<In, Out> {
  private readonly slots: Slot[];
  private readonly waiting = new Map<number, Waiting<Out>>();
  private roomWaiters: (() => void)[] = [];
  private nextId = 0;
  private failure: Error | undefined;
  private readonly started: Promise<void>;

  /** `depth`: batches each worker may hold; more keeps it busy while the caller is away doing other work. `workerData`: what every worker starts with. */
  constructor(
    size: number,
    module: URL,
    private readonly depth = DEPTH,
    workerData?: unknown,
  ) {
    const readies: Promise<void>[] = [];
    this.slots = Array.from({ length: size }, () => {
      const slot: Slot = { worker: startWorker(module, workerData), ready: false, busy: 0 };
      let ready = (): void => undefined;
      readies.push(new Promise((resolve) => (ready = resolve)));
      slot.worker.on('exit', () => {
        ready();
      });
      slot.worker.on('message', (m: { ready: true } | { id: number; out: Out } | { id: number; error: string }) => {
        if ('ready' in m) {
          slot.ready = true;
          ready();
          this.wakeRoomWaiters();
          return;
        }
        const w = this.waiting.get(m.id);
        if (!w) return;
        this.waiting.delete(m.id);
        slot.busy--;
        if ('error' in m) w.reject(new Error(`a worker's batch failed (${m.error})`));
        else w.resolve(m.out);
        this.wakeRoomWaiters();
      });
      slot.worker.on('error', (e) => {
        this.fail(e);
      });
      slot.worker.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`worker stopped with code ${String(code)}`));
      });
      return slot;
    });
    this.started = Promise.all(readies).then(() => undefined);
  }

  /** Resolves once every worker has loaded its module (or stopped trying). */
  ready(): Promise<void> {
    return this.started;
  }

  /** The name of the error that stopped the pool (a worker that could not start, or died), if one did. */
  get failed(): string | undefined {
    return this.failure?.name;
  }

  private fail(e: unknown): void {
    // An error class of the worker's own (SqliteError) arrives as a plain object, with no name to report.
    const error = e instanceof Error ? e : new Error('a worker stopped on an error that did not cross the thread boundary');
    this.failure ??= error;
    for (const w of this.waiting.values()) w.reject(error);
    this.waiting.clear();
    this.wakeRoomWaiters();
  }

  private wakeRoomWaiters(): void {
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const wake of waiters) wake();
  }

  /**
   * Resolves once a ready worker may have room for a batch (then try `tryRun` again), or returns undefined
   * when no worker is ready yet, so that the caller does the work itself rather than wait for start-up.
   */
  room(): Promise<void> | undefined {
    if (this.failure) return Promise.resolve();
    if (!this.slots.some((s) => s.ready)) return undefined;
    if (this.slots.some((s) => s.ready && s.busy < this.depth)) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  /** Runs one batch on a ready worker with room, or returns undefined (the caller then does it). */
  tryRun(payload: In): Promise<Out> | undefined {
    if (this.failure) return Promise.reject(this.failure);
    const slot = this.slots.find((s) => s.ready && s.busy < this.depth);
    if (!slot) return undefined;
    const id = this.nextId++;
    slot.busy++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, slot });
      slot.worker.postMessage({ id, payload });
    });
  }

  /** Lets the process exit while the workers are alive and idle (for a pool that serves requests when they come). */
  unref(): void {
    for (const s of this.slots) s.worker.unref();
  }

  /** Keeps the process alive for the workers again (while a caller awaits their answer). */
  ref(): void {
    for (const s of this.slots) s.worker.ref();
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    this.failure ??= new Error('worker pool closed');
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}

/**
 * In a worker: answers each batch with `handle` (typed by its own parameter; it may return a promise), after
 * telling the pool it is ready. A batch that throws fails alone and the worker carries on; only the error's
 * name crosses back, since a message may quote the data (a JSON parse error quotes its input).
 */
export function serveBatches(handle: (payload: never) => unknown): void {
  const port = parentPort;
  if (!port) throw new Error('serveBatches runs in a worker thread');
  port.on('message', (m: { id: number; payload: never }) => {
    const fail = (e: unknown): void => {
      port.postMessage({ id: m.id, error: e instanceof Error ? e.name : 'thrown value' });
    };
    try {
      const out = handle(m.payload);
      if (out instanceof Promise)
        out.then((o: unknown) => {
          port.postMessage({ id: m.id, out: o });
        }, fail);
      else port.postMessage({ id: m.id, out });
    } catch (e) {
      fail(e);
    }
  });
  port.postMessage({ ready: true });
}
