import { createHash } from 'node:crypto';

import { z } from 'zod';

import { resolveWooDbConfig, type WooDbConfig } from '../../connectors/woocommerce-db/config';
import { probeConnection } from '../../connectors/woocommerce-db/probe';
import type { AppContext } from '../../core/domain';

/** How long a probe's answer stands before `/health` probes the store database again. */
const HEALTH_TTL_MS = 60_000;

const knownSchema = z.object({ key: z.string(), ok: z.boolean(), at: z.number() });

const healthKey = (ctx: AppContext) => `${ctx.config.queuePrefix}:events:store-health`;

/** Which connection an answer is about: a changed host, user, database or tunnel is not yet tested. */
const connectionKey = (config: WooDbConfig): string =>
  createHash('sha256')
    .update(
      JSON.stringify([
        config.host,
        config.port,
        config.user,
        config.database,
        config.ssh?.host ?? null,
        config.ssh?.port ?? null,
        config.ssh?.username ?? null,
      ]),
    )
    .digest('hex')
    .slice(0, 24);

/** Records a probe of the connection in force (a "Test connection" of it counts as one). */
export async function recordStoreHealth(ctx: AppContext, config: WooDbConfig, ok: boolean): Promise<void> {
  await ctx.redis.set(healthKey(ctx), JSON.stringify({ key: connectionKey(config), ok, at: Date.now() }), 'PX', HEALTH_TTL_MS * 10);
}

/**
 * `/health` store_connection: null when the store database is not configured, else whether the
 * connection in force answered (SSH stage included), probed again when the last answer is older
 * than HEALTH_TTL_MS, so the Overview's checklist turns green only on a connection that works.
 */
export async function storeConnectionHealth(ctx: AppContext): Promise<boolean | null> {
  const resolved = await resolveWooDbConfig(ctx.config, ctx.settings).catch(() => undefined);
  if (!resolved?.success) return null;
  const config = resolved.data;
  const known = knownSchema.safeParse(JSON.parse((await ctx.redis.get(healthKey(ctx))) ?? 'null'));
  if (known.success && known.data.key === connectionKey(config) && Date.now() - known.data.at < HEALTH_TTL_MS) return known.data.ok;
  const probe = await probeConnection(config);
  await recordStoreHealth(ctx, config, probe.ok);
  return probe.ok;
}
