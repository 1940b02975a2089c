import { Cluster, Redis, type RedisOptions } from 'ioredis';

import type { Config } from './config';

/** A single Redis or a Redis Cluster: BullMQ and the worker's own keys take either. */
export type RedisClient = Redis | Cluster;

/**
 * Opens the worker's Redis connection: a Cluster client when REDIS_CLUSTER_NODES names seed
 * nodes (user, password and TLS then come from REDIS_URL), else one Redis at REDIS_URL.
 * BullMQ needs maxRetriesPerRequest null on connections its workers use.
 */
export function connectRedis(config: Pick<Config, 'redisUrl' | 'redisCluster'>, role: string): RedisClient {
  const common: RedisOptions = {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    connectionName: `synchub:${role}`,
    showFriendlyErrorStack: process.env.SYNCHUB_DEBUG_REDIS === '1',
  };
  if (config.redisCluster.length === 0) return new Redis(config.redisUrl, common);
  const url = new URL(config.redisUrl);
  return new Cluster(config.redisCluster, {
    enableReadyCheck: true,
    showFriendlyErrorStack: common.showFriendlyErrorStack,
    redisOptions: {
      ...common,
      username: url.username ? decodeURIComponent(url.username) : undefined,
      password: url.password ? decodeURIComponent(url.password) : undefined,
      tls: url.protocol === 'rediss:' ? {} : undefined,
    },
  });
}

/** A second connection like `client` (same nodes and options), for subscribers and blocking reads. */
export function duplicateClient(client: RedisClient): RedisClient {
  return client instanceof Cluster ? client.duplicate() : client.duplicate();
}

/** The node-level clients to scan keys on: every master of a cluster, or the one Redis. */
export function scanTargets(client: RedisClient): Redis[] {
  return client instanceof Cluster ? client.nodes('master') : [client];
}
