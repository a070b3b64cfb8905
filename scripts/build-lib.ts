/**
 * Vitest global setup of the integration tests: the command-line tests run the installed command
 * (bin/gatekeeper.js on lib/), so lib/ is built first when a source changed since its last build.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build-if-stale.mjs', '--lib'], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    stdio: 'inherit',
  });
}
