/** `npm run bench -- <name>`: runs the named benchmark (or all) and prints markdown for BENCHMARKS.md. */
import { benchCheck } from './check.ts';
import { benchCustody } from './custody.ts';
import { benchSoak } from './soak.ts';
import { benchSupervise } from './supervise.ts';
import { benchTrace } from './trace.ts';

const BENCHES: Record<string, () => void | Promise<void>> = {
  check: benchCheck,
  custody: benchCustody,
  trace: benchTrace,
  soak: benchSoak,
  supervise: benchSupervise,
};
const names = process.argv.slice(2);
for (const name of names.length ? names : Object.keys(BENCHES)) {
  const run = BENCHES[name];
  if (!run) {
    console.error(`unknown benchmark "${name}"; known: ${Object.keys(BENCHES).join(', ')}`);
    process.exit(2);
  }
  console.log(`## ${name}\n`);
  await run();
}
