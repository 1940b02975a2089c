import { sql } from 'kysely';

import type { AppContext, Domain, HealthFields } from './domain';

export interface HealthReport {
  status: 'healthy' | 'degraded';
  database: boolean;
  redis: boolean;
  /** The store's database (events and the bookings sweep read it). */
  store_connection: boolean | null;
  odoo_connection: boolean | null;
  siigo_connection: boolean | null;
  queues: Record<string, { waiting: number; active: number; failed: number; delayed: number }>;
}

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);

/** What anyone may see: up or not. Peers, queues and their sizes are for the admin token. */
export type Liveness = Pick<HealthReport, 'status'>;

export async function checkHealth(ctx: AppContext, domains: Domain[], options: { queues: boolean } = { queues: true }): Promise<HealthReport> {
  const [database, redis] = await Promise.all([
    withTimeout(sql`SELECT 1`.execute(ctx.db), 2_000).then(
      () => true,
      () => false,
    ),
    withTimeout(ctx.redis.ping(), 2_000).then(
      (reply) => reply === 'PONG',
      () => false,
    ),
  ]);
  const queues = redis && options.queues ? await withTimeout(ctx.queues.counts(), 2_000).catch(() => ({})) : {};
  const connectors: HealthFields = {};
  for (const domain of domains) {
    if (!domain.health) continue;
    Object.assign(connectors, await withTimeout(domain.health(), 5_000).catch(() => ({})));
  }
  const store = connectors.store_connection ?? null;
  const odoo = connectors.odoo_connection ?? null;
  const siigo = connectors.siigo_connection ?? null;
  const healthy = database && redis && store !== false && odoo !== false && siigo !== false;
  return { status: healthy ? 'healthy' : 'degraded', database, redis, store_connection: store, odoo_connection: odoo, siigo_connection: siigo, queues };
}
