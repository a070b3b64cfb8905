import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../store/index.ts';
import { releaseMany } from './release.ts';
import { defaultReleaseWorkers, ReleaseWorkers } from './release-workers.ts';
import { buildWorld } from './test-world.ts';

describe('release workers', () => {
  it('take their number from GATEKEEPER_WORKERS, naming it when it is wrong', () => {
    expect(defaultReleaseWorkers({ GATEKEEPER_WORKERS: '3' })).toBe(3);
    expect(defaultReleaseWorkers({ GATEKEEPER_WORKERS: '0' })).toBe(0);
    expect(defaultReleaseWorkers({})).toBeGreaterThanOrEqual(0);
    for (const bad of ['-1', 'two', '1.5', '65'])
      expect(() => defaultReleaseWorkers({ GATEKEEPER_WORKERS: bad })).toThrow('GATEKEEPER_WORKERS');
  });

  it('leave every release to this thread when the store is one other threads cannot open', async () => {
    const w = await buildWorld(await openStore({ url: ':memory:' }), 300, randomBytes(32), 1);
    try {
      await w.c.workers.start();
      expect(await releaseMany(w.c, w.station, w.orderIds)).toHaveLength(300);
      expect(w.c.workers.offloaded).toBe(0);
      expect(w.c.workers.status()).toEqual({ threads: 0 });
    } finally {
      await w.c.close();
    }
  });

  it('report workers that cannot open the store, and leave the work to this thread', async () => {
    const w = await buildWorld(await openStore({ url: ':memory:' }), 300, randomBytes(32), 0);
    const broken = new ReleaseWorkers(1, { url: join(tmpdir(), `gk-missing-${randomBytes(4).toString('hex')}.db`) });
    try {
      await broken.start();
      expect(broken.status()).toEqual({ threads: 0, failed: 'Error' });
      const job = { ...w, c: { ...w.c, workers: broken } };
      expect(await releaseMany(job.c, w.station, w.orderIds)).toHaveLength(300);
      expect(broken.offloaded).toBe(0);
    } finally {
      await broken.close();
      await w.c.close();
    }
  });
});
