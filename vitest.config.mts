import { defineConfig } from 'vitest/config';

// Projects: worker (node, real MariaDB + Redis), e2e (real WordPress, worker process, Chromium).
// The admin-ui project lives in admin-ui/vitest.config.ts (jsdom).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'worker',
          include: ['test/worker/**/*.test.ts', 'test/fakes/**/*.test.ts'],
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
