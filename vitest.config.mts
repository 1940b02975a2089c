import { defineConfig } from 'vitest/config';

// Projects: worker (node, real MariaDB + Redis), e2e (real WordPress, worker process, Chromium).
// The admin-ui project lives in admin-ui/vitest.config.ts (jsdom).
export default defineConfig({
  test: {
    // BullMQ can leave a command in flight on a connection it closes during teardown; ioredis then
    // rejects it with "Connection is closed." and nobody awaits it (upstream taskforcesh/bullmq#2686).
    // Only that teardown rejection is ignored; every other unhandled error still fails the run.
    onUnhandledError: (error) => (error.message === 'Connection is closed.' && /ioredis/.test(error.stack ?? '') ? false : undefined),
    projects: [
      {
        test: {
          name: 'worker',
          include: ['test/worker/**/*.test.ts', 'test/fakes/**/*.test.ts'],
          setupFiles: ['test/support/drop-prefixes.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.test.ts'],
          setupFiles: ['test/support/drop-prefixes.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 180_000,
          pool: 'forks',
          fileParallelism: false,
        },
      },
    ],
  },
});
