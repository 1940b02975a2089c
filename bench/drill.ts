// npm run drill — fault drills: the real worker processes, their own MariaDB and Redis, the
// protocol-faithful fakes (Odoo, SIIGO + the plugin's stock endpoint, embeddings), load in all four
// domains, faults one after another; then end-to-end checks and bench/results/drill.json.
// The drill's MariaDB/Redis are its own (ports 18510/18511), so they can be crashed freely.
import os from 'node:os';
import path from 'node:path';

import { OwnMariaDb, OwnRedis } from './drill/services';

const MYSQL_PORT = Number(process.env.DRILL_MYSQL_PORT ?? 18510);
const REDIS_PORT = Number(process.env.DRILL_REDIS_PORT ?? 18511);

async function main(): Promise<void> {
  const mariadb = new OwnMariaDb(path.join(os.tmpdir(), `synchub_drill_mariadb_${MYSQL_PORT}`), MYSQL_PORT);
  const redis = new OwnRedis(path.join(os.tmpdir(), `synchub_drill_redis_${REDIS_PORT}`), REDIS_PORT);
  await mariadb.install();
  await mariadb.start();
  await redis.start();
  // test/support/db.ts and the WooCommerce fixture read these when first imported.
  process.env.TEST_MYSQL_URL = mariadb.rootUrl;
  process.env.REDIS_URL = redis.url;
  const { runDrill } = await import('./drill/run.js');
  try {
    await runDrill({ mariadb, redis });
  } finally {
    await redis.kill().catch(() => undefined);
    await mariadb.stop().catch(() => undefined);
    mariadb.remove();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
