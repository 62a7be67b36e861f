import { defineConfig } from 'vitest/config';

// Browser tests: the real server (`scripts/start.mjs`, wrangler dev) on a fresh local state, driven
// by Debian's Chromium through playwright-core. Run with `npm run test:e2e`.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['./test/e2e/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
