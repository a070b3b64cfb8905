/** Test helper: runs the installed command (compiled lib/) in a folder of its own, on SQLite with a key file. */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The installed entry point: it runs in one process, so a signal reaches the process doing the work. */
export const BIN = join(ROOT, 'bin/gatekeeper.js');
/** The environment every command runs with: SQLite and the key file, whatever the caller's shell says. */
export const ENV: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: '', GATEKEEPER_MASTER_KEY: '', NO_COLOR: '1' };

/** Runs `gatekeeper args` in `cwd` with `input` on stdin; `extra` adds variables (an empty value removes one). */
export function gk(cwd: string, args: string[], input?: string, extra: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  const env = Object.fromEntries(Object.entries({ ...ENV, ...extra }).filter(([, v]) => v !== ''));
  return spawnSync(process.execPath, [BIN, ...args], { cwd, env, input, encoding: 'utf8', timeout: 120_000, maxBuffer: 1 << 28 });
}
