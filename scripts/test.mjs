// `npm test`: the unit project; both projects (every test) where CI is set to true or 1, or GATEKEEPER_TEST_ALL=1.
// The projects are defined in vitest.config.ts. Arguments go on to vitest; one naming --project picks its own.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import process from 'node:process';

const args = process.argv.slice(2);
const all = ['true', '1'].includes(process.env.CI ?? '') || process.env.GATEKEEPER_TEST_ALL === '1';
const projects = all || args.some((a) => a.startsWith('--project')) ? [] : ['--project', 'unit'];
const vitest = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
const r = spawnSync(process.execPath, [vitest, 'run', ...projects, ...args], { stdio: 'inherit' });
process.exitCode = r.status ?? 1;
