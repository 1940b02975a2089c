import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { loadConfig } from '../../worker/src/config';
import type { CreateDomain } from '../../worker/src/core/domain';
import { createLogger } from '../../worker/src/core/logger';
import { startRuntime, type Runtime } from '../../worker/src/runtime';
import { createTestDatabase, dropRedisPrefix, uniquePrefix, type TestDatabase } from './db';

// WEBHOOK_SECRET needs at least 32 characters.
export const TEST_WEBHOOK_SECRET = 'test-webhook-secret-0123456789abcdef';
export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

export interface TestRuntime extends Runtime {
  database: TestDatabase;
  prefix: string;
  /** Stops the runtime, drops its database and removes its Redis keys. */
  dispose(): Promise<void>;
}

/** The whole worker in this process, on a unique database and Redis key prefix, on a free port. */
export async function startTestRuntime(
  options: { env?: Record<string, string>; domains?: CreateDomain[]; processJobs?: boolean; database?: TestDatabase } = {},
): Promise<TestRuntime> {
  const database = options.database ?? (await createTestDatabase());
  const prefix = uniquePrefix();
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: database.url,
    BULLMQ_PREFIX: prefix,
    SYNCHUB_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'synchub-data-')),
    SYNCHUB_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    // The fakes and peers listen on loopback: tests opt in (test/worker/hostile/ssrf.test.ts turns it off).
    SYNCHUB_ALLOW_PRIVATE_TARGETS: 'true',
    ...options.env,
  });
  const runtime = await startRuntime(config, createLogger(config.logLevel), { domains: options.domains, processJobs: options.processJobs });
  return {
    ...runtime,
    database,
    prefix,
    async dispose() {
      await runtime.stop();
      // A runtime given another's prefix (BULLMQ_PREFIX in env) shares it: that one cleans up.
      if (!options.env?.BULLMQ_PREFIX) await dropRedisPrefix(prefix);
      if (!options.database) await database.drop();
    },
  };
}

export const adminHeaders = (extra: Record<string, string> = {}): Record<string, string> => ({
  Authorization: `Bearer ${TEST_ADMIN_TOKEN}`,
  'Content-Type': 'application/json',
  ...extra,
});
