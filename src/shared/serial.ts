/** Runs tasks one at a time, with a bounded queue: for work that holds the event loop while it runs. */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private queued = 0;

  /** `waiting`: how many tasks may wait behind the running one before `busy` is thrown. */
  constructor(
    private readonly waiting: number,
    private readonly busy: () => Error,
  ) {}

  /** Runs `task` after those before it; throws `busy()` at once when the queue is full. */
  run<T>(task: () => Promise<T>): Promise<T> {
    if (this.queued > this.waiting) throw this.busy();
    this.queued++;
    const run = this.tail.then(task).finally(() => {
      this.queued--;
    });
    this.tail = run.catch(() => undefined);
    return run;
  }
}
