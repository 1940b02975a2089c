import { randomBytes } from 'node:crypto';

import { createConnection } from 'mysql2/promise';

export const MYSQL_ROOT_URL = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh database per test file, so suites never see each other's rows. */
export async function createTestDatabase(label = 't'): Promise<TestDatabase> {
  const name = `synchub_${label}_${randomBytes(4).toString('hex')}`;
  const root = new URL(MYSQL_ROOT_URL);
  const connection = await createConnection({ host: root.hostname, port: Number(root.port || 3306), user: decodeURIComponent(root.username || 'root'), password: decodeURIComponent(root.password) || undefined });
  await connection.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await connection.end();
  return {
    name,
    url: `${MYSQL_ROOT_URL}/${name}`,
    async drop() {
      const c = await createConnection({ host: root.hostname, port: Number(root.port || 3306), user: decodeURIComponent(root.username || 'root'), password: decodeURIComponent(root.password) || undefined });
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}

export const uniquePrefix = (label = 'test'): string => `synchub-${label}-${randomBytes(4).toString('hex')}`;
