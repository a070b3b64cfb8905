import { describe, expect, it } from 'vitest';
import { defaultReleaseWorkers } from './release-workers.ts';

describe('release workers', () => {
  it('take their number from GATEKEEPER_WORKERS, naming it when it is wrong', () => {
    expect(defaultReleaseWorkers({ GATEKEEPER_WORKERS: '3' })).toBe(3);
    expect(defaultReleaseWorkers({ GATEKEEPER_WORKERS: '0' })).toBe(0);
    expect(defaultReleaseWorkers({})).toBeGreaterThanOrEqual(0);
    for (const bad of ['-1', 'two', '1.5', '65'])
      expect(() => defaultReleaseWorkers({ GATEKEEPER_WORKERS: bad })).toThrow('GATEKEEPER_WORKERS');
  });
});
