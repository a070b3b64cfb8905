/**
 * Vitest global setup: says once which optional parts of the suite will not run on this machine, and makes
 * them mandatory where GATEKEEPER_REQUIRE_POSTGRES=1 (CI sets it, so a CI run without PostgreSQL fails).
 * Every test's temporary files (SQLite stores, CLI homes, anchors, browser profiles) go into one directory of
 * the run's own, removed when the run ends, so no synthetic order data outlives the suite.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'gk-run-'));
  // Traversable like /tmp, for the tests that run the command as another user; each test's own directory
  // inside is still created private.
  chmodSync(dir, 0o755);
  process.env.TMPDIR = dir;
  const teardown = (): void => {
    rmSync(dir, { recursive: true, force: true });
  };
  if (process.env.TEST_DATABASE_URL) return teardown;
  if (process.env.GATEKEEPER_REQUIRE_POSTGRES === '1') {
    teardown();
    throw new Error('GATEKEEPER_REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set: the store tests must run on PostgreSQL too');
  }
  process.stdout.write(
    'store tests run on SQLite only: set TEST_DATABASE_URL=postgres://… (a database where the user may create schemas) to run them on PostgreSQL too\n',
  );
  return teardown;
}
