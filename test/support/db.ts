import { randomBytes } from 'node:crypto';

import { Redis } from 'ioredis';
import { createConnection } from 'mysql2/promise';

export const MYSQL_ROOT_URL = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh database per test file, so suites never see each other's rows. */
export async function createTestDatabase(label = 't'): Promise<TestDatabase> {
  const name = `synchub_${label}_${randomBytes(4).toString('hex')}`;
  const root = new URL(MYSQL_ROOT_URL);
  const connection = await createConnection({
    host: root.hostname,
    port: Number(root.port || 3306),
    user: decodeURIComponent(root.username || 'root'),
    password: decodeURIComponent(root.password) || undefined,
  });
  await connection.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await connection.end();
  return {
    name,
    url: `${MYSQL_ROOT_URL}/${name}`,
    async drop() {
      const c = await createConnection({
        host: root.hostname,
        port: Number(root.port || 3306),
        user: decodeURIComponent(root.username || 'root'),
        password: decodeURIComponent(root.password) || undefined,
      });
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}

/** Every prefix uniquePrefix handed out in this process: their keys are dropped at the end of each test file (test/support/drop-prefixes.ts). */
export const prefixesMade = new Set<string>();

export function uniquePrefix(label = 'test'): string {
  const prefix = `synchub-${label}-${randomBytes(4).toString('hex')}`;
  prefixesMade.add(prefix);
  return prefix;
}

/** Removes the Redis keys under a unique prefix once its runs are over (queues, limits, locks). */
export async function dropRedisPrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 1000 }) as AsyncIterable<string[]>) {
      if (keys.length > 0) await redis.unlink(...keys);
    }
  } finally {
    redis.disconnect();
  }
}
