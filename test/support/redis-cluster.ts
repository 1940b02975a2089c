import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

import { Cluster } from 'ioredis';

const run = promisify(execFile);
const SCRIPT = path.resolve(__dirname, '../../scripts/redis-cluster.sh');

export interface TestRedisCluster {
  /** host:port,… for REDIS_CLUSTER_NODES. */
  nodes: string;
  client(): Cluster;
  stop(): Promise<void>;
}

/**
 * A real 3-master Redis Cluster on loopback, started by scripts/redis-cluster.sh (Debian's
 * redis-server in cluster mode). TEST_REDIS_CLUSTER_PORT picks the first port (the bus ports are
 * 10000 above); otherwise a random free-looking range is tried.
 */
export async function startRedisCluster(masters = 3): Promise<TestRedisCluster> {
  const fixed = process.env.TEST_REDIS_CLUSTER_PORT;
  let lastError: unknown;
  for (let attempt = 0; attempt < (fixed ? 1 : 5); attempt += 1) {
    const base = fixed ? Number(fixed) : 20_000 + Math.floor(Math.random() * 9_000);
    try {
      const { stdout } = await run('bash', [SCRIPT, 'start', String(base), String(masters)], { timeout: 60_000 });
      const nodes = stdout.trim().split('\n').pop() ?? '';
      const clients: Cluster[] = [];
      return {
        nodes,
        client() {
          const client = new Cluster(
            nodes.split(',').map((entry) => ({ host: entry.split(':')[0] as string, port: Number(entry.split(':')[1]) })),
            { redisOptions: { maxRetriesPerRequest: 3 } },
          );
          clients.push(client);
          return client;
        },
        async stop() {
          for (const client of clients) client.disconnect();
          await run('bash', [SCRIPT, 'stop', String(base), String(masters)], { timeout: 60_000 });
        },
      };
    } catch (error) {
      lastError = error;
    }
  }
  throw new Error(`could not start a Redis Cluster: ${lastError instanceof Error ? lastError.message : String(lastError)}`);
}
