import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openStore } from '../store/index.ts';
import { releaseMany } from './release.ts';
import { defaultReleaseWorkers } from './release-workers.ts';
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
    } finally {
      await w.c.close();
    }
  });
});
