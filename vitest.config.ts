import { configDefaults, defineConfig } from 'vitest/config';

/**
 * The integration tests: the ones that run the installed command (bin/gatekeeper.js on lib/) or a server
 * process, drive Chromium, or stage the simulator's leaks. Every other test file is a unit test: it needs only
 * `npm install` (and PostgreSQL when TEST_DATABASE_URL is set). `npm test` runs the unit tests, and both
 * projects where CI=true or GATEKEEPER_TEST_ALL=1 (scripts/test.mjs).
 */
const INTEGRATION = [
  'e2e/**/*.test.ts',
  'src/cli/check-command.test.ts',
  'src/cli/custody-cli.test.ts',
  'src/cli/ledger-cli.test.ts',
  'src/cli/live-rotation.test.ts',
  'src/cli/master-key-cli.test.ts',
  'src/cli/readme.test.ts',
  'src/cli/supervise-cli.test.ts',
  'src/cli/trace-cli.test.ts',
  'src/cli/verify-cli.test.ts',
  'src/sim/**/*.test.ts',
];

// A timeout only ends a test that hangs: a machine busy with other work never reaches it.
const HUNG_MS = 600_000;

export default defineConfig({
  test: {
    reporters: ['default', './scripts/count-reporter.ts'],
    // Vitest leaves a core free by default; the tests spend much of their time waiting on PostgreSQL, child
    // processes and worker threads, so they run one file per core.
    maxWorkers: '100%',
    globalSetup: ['./scripts/test-setup.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'web/**/*.test.ts', 'bench/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...INTEGRATION],
          testTimeout: HUNG_MS,
          hookTimeout: HUNG_MS,
        },
      },
      {
        test: {
          name: 'integration',
          include: INTEGRATION,
          // The command-line tests run lib/: it is rebuilt first when a source is newer than its last build.
          globalSetup: ['./scripts/build-lib.ts'],
          testTimeout: HUNG_MS,
          hookTimeout: HUNG_MS,
        },
      },
    ],
  },
});
