import { afterEach, describe, expect, it } from 'vitest';
import { until } from './test-until.ts';
import { siblingModule, WorkerPool } from './worker-pool.ts';

type Pool = WorkerPool<{ n: number; fail?: boolean; die?: boolean }, number>;

/** Polls until a worker has loaded and takes the batch. */
async function runWhenReady(pool: Pool, payload: { n: number; fail?: boolean; die?: boolean }): Promise<number> {
  return until(() => pool.tryRun(payload), 50);
}

describe('worker pool', () => {
  let pool: Pool | undefined;
  afterEach(async () => {
    await pool?.close();
    pool = undefined;
  });

  it('declines work until a worker is ready, then answers', async () => {
    pool = new WorkerPool(1, siblingModule(import.meta.url, './test-worker'));
    expect(pool.tryRun({ n: 1 })).toBeUndefined();
    expect(await runWhenReady(pool, { n: 21 })).toBe(42);
  });

  it('says when it is ready, and when a full worker has room again', async () => {
    pool = new WorkerPool(1, siblingModule(import.meta.url, './test-worker'), 1);
    expect(pool.room()).toBeUndefined();
    await pool.ready();
    const first = pool.tryRun({ n: 2 });
    expect(first).toBeDefined();
    expect(pool.tryRun({ n: 3 })).toBeUndefined();
    let roomy = false;
    const room = pool.room()?.then(() => (roomy = true));
    expect(roomy).toBe(false);
    expect(await first).toBe(4);
    await room;
    expect(roomy).toBe(true);
    expect(await pool.tryRun({ n: 3 })).toBe(6);
  });

  it('fails only the batch that throws, naming the error but not quoting it, and carries on', async () => {
    pool = new WorkerPool(1, siblingModule(import.meta.url, './test-worker'));
    const failed = runWhenReady(pool, { n: 1, fail: true });
    await expect(failed).rejects.toThrow(/batch failed \(RangeError\)/);
    await expect(failed).rejects.not.toThrow(/asked to fail/);
    expect(await pool.tryRun({ n: 5 })).toBe(10);
  });

  it('fails the batch, and every later one, when a worker dies; it never hangs', async () => {
    pool = new WorkerPool(1, siblingModule(import.meta.url, './test-worker'));
    await expect(runWhenReady(pool, { n: 1, die: true })).rejects.toThrow(/worker stopped with code 3/);
    await expect(pool.tryRun({ n: 1 })).rejects.toThrow(/worker stopped with code 3/);
  });
});
