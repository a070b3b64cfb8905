/** Worker threads for `check --jsonl`: a batch goes to a started worker with room, or back to the caller. */
import { Worker } from 'node:worker_threads';

/** How to start the worker: the compiled file directly, or (running from sources) through tsx's loader. */
function startWorker(): Worker {
  const url = new URL(import.meta.url.endsWith('.ts') ? './check-worker.ts' : './check-worker.js', import.meta.url);
  if (url.pathname.endsWith('.js')) return new Worker(url);
  const code = `import { register } from 'tsx/esm/api'; register(); await import(${JSON.stringify(url.href)});`;
  return new Worker(code, { eval: true });
}

/** Batches a worker may hold at once: one running and one waiting, so it never idles between messages. */
const DEPTH = 2;

interface Slot {
  worker: Worker;
  ready: boolean;
  busy: number;
}

type Waiting = { resolve: (out: string) => void; reject: (e: Error) => void; slot: Slot };

/** A fixed set of check workers, started at once; until one has loaded the engine, `tryRun` declines. */
export class CheckPool {
  private readonly slots: Slot[];
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 0;
  private failure: Error | undefined;

  constructor(size: number) {
    this.slots = Array.from({ length: size }, () => {
      const slot: Slot = { worker: startWorker(), ready: false, busy: 0 };
      slot.worker.on('message', (m: { ready: true } | { id: number; out: string }) => {
        if ('ready' in m) {
          slot.ready = true;
          return;
        }
        const w = this.waiting.get(m.id);
        if (!w) return;
        this.waiting.delete(m.id);
        slot.busy--;
        w.resolve(m.out);
      });
      slot.worker.on('error', (e) => {
        this.fail(e);
      });
      slot.worker.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`check worker stopped with code ${String(code)}`));
      });
      return slot;
    });
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const w of this.waiting.values()) w.reject(e);
    this.waiting.clear();
  }

  /** Checks one batch (its first line is line `first`) on a ready worker with room, or returns undefined. */
  tryRun(lines: string[], first: number): Promise<string> | undefined {
    if (this.failure) return Promise.reject(this.failure);
    const slot = this.slots.find((s) => s.ready && s.busy < DEPTH);
    if (!slot) return undefined;
    const id = this.nextId++;
    slot.busy++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, slot });
      slot.worker.postMessage({ id, lines, first });
    });
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    this.failure ??= new Error('check pool closed');
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
