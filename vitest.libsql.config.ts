import { defineConfig } from 'vitest/config';

// The same service tests as on D1, against a libSQL file through @libsql/client, in Node.
export default defineConfig({
  test: { include: ['test/libsql/**/*.test.ts'], environment: 'node', testTimeout: 30_000 },
});
