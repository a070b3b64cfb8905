import { describe, expect, it } from 'vitest';
import { checkpointSchedule, DEFAULT_SCHEDULE } from './schedule.ts';

describe('the checkpoint schedule from the environment', () => {
  it('defaults to a short unsigned tail and reads both variables', () => {
    expect(checkpointSchedule({})).toEqual(DEFAULT_SCHEDULE);
    expect(checkpointSchedule({ GATEKEEPER_CHECKPOINT_ENTRIES: '500', GATEKEEPER_CHECKPOINT_SECONDS: '2.5' })).toEqual({
      entries: 500,
      ms: 2500,
    });
  });

  it('names a bad variable', () => {
    expect(() => checkpointSchedule({ GATEKEEPER_CHECKPOINT_ENTRIES: '0' })).toThrow(/^GATEKEEPER_CHECKPOINT_ENTRIES/);
    expect(() => checkpointSchedule({ GATEKEEPER_CHECKPOINT_SECONDS: 'soon' })).toThrow(/^GATEKEEPER_CHECKPOINT_SECONDS/);
    expect(() => checkpointSchedule({ GATEKEEPER_CHECKPOINT_SECONDS: '0' })).toThrow(/^GATEKEEPER_CHECKPOINT_SECONDS/);
  });
});
