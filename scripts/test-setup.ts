/**
 * Vitest global setup: says once which optional parts of the suite will not run on this machine, and makes
 * them mandatory where GATEKEEPER_REQUIRE_POSTGRES=1 (CI sets it, so a CI run without PostgreSQL fails).
 */
export default function setup(): void {
  if (process.env.TEST_DATABASE_URL) return;
  if (process.env.GATEKEEPER_REQUIRE_POSTGRES === '1')
    throw new Error('GATEKEEPER_REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set: the store tests must run on PostgreSQL too');
  process.stdout.write(
    'store tests run on SQLite only: set TEST_DATABASE_URL=postgres://… (a database where the user may create schemas) to run them on PostgreSQL too\n',
  );
}
