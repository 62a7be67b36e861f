import { applyD1Migrations, env } from 'cloudflare:test';
import { vi } from 'vitest';

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);

// Password hashing (scrypt, ~150 ms a hash) dominates many tests; on a busy 2-core machine a test
// that signs a few people in can pass vitest's 5 s default. These limits catch hangs, not speed.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });
