import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'web/**/*.test.ts', 'bench/**/*.test.ts', 'e2e/**/*.test.ts'],
    reporters: ['default', './scripts/count-reporter.ts'],
    globalSetup: ['./scripts/test-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
