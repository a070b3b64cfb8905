/** Test helper: waiting for something another thread or process does, with no bound of its own. */
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Calls `f` every `ms` milliseconds until it gives something other than undefined or false, and returns that.
 * It sets no limit: a busy machine may take long, and the test's own timeout ends a hang.
 */
export async function until<T>(f: () => T | undefined | false | Promise<T | undefined | false>, ms = 10): Promise<T> {
  for (;;) {
    const v = await f();
    if (v !== undefined && v !== false) return v;
    await sleep(ms);
  }
}
