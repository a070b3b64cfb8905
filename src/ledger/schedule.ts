/** How often the server signs checkpoints, from the environment. */
import { z } from 'zod';

/** Sign at least every this many entries (and at least every `ms` when the log grew). */
export interface CheckpointSchedule {
  entries: number;
  ms: number;
}

/**
 * Defaults keep the unsigned tail of the log to about a second: at most 1,000 entries, or one second's
 * entries when fewer arrive. A checkpoint costs one Ed25519 signature and one row.
 */
export const DEFAULT_SCHEDULE: CheckpointSchedule = { entries: 1000, ms: 1000 };

const env = z.object({
  GATEKEEPER_CHECKPOINT_ENTRIES: z.coerce.number().int().min(1).max(10_000_000).optional(),
  GATEKEEPER_CHECKPOINT_SECONDS: z.coerce.number().min(0.01).max(3600).optional(),
});

/** The schedule GATEKEEPER_CHECKPOINT_ENTRIES and GATEKEEPER_CHECKPOINT_SECONDS set; throws naming a bad variable. */
export function checkpointSchedule(vars: NodeJS.ProcessEnv): CheckpointSchedule {
  const r = env.safeParse({
    GATEKEEPER_CHECKPOINT_ENTRIES: vars.GATEKEEPER_CHECKPOINT_ENTRIES || undefined,
    GATEKEEPER_CHECKPOINT_SECONDS: vars.GATEKEEPER_CHECKPOINT_SECONDS || undefined,
  });
  if (!r.success) {
    const bad = r.error.issues[0];
    throw new Error(`${String(bad?.path[0])}: ${bad?.message ?? 'invalid'} (entries 1..10000000, seconds 0.01..3600)`);
  }
  return {
    entries: r.data.GATEKEEPER_CHECKPOINT_ENTRIES ?? DEFAULT_SCHEDULE.entries,
    ms: Math.round((r.data.GATEKEEPER_CHECKPOINT_SECONDS ?? DEFAULT_SCHEDULE.ms / 1000) * 1000),
  };
}
