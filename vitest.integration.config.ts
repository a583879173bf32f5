import { defineConfig } from 'vitest/config';

// The real-VPP suite: `npm run test:integration`. Skips (exit 0) when there is no VPP.
export default defineConfig({
  test: {
    include: ['test/integration/**/*.test.ts'],
    globalSetup: ['test/integration/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    passWithNoTests: false,
    reporters: ['default', './test/summary-reporter.ts', './test/integration/record-reporter.ts'],
  },
});
