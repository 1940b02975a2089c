import { createHash } from 'node:crypto';

import { SiigoClient } from '../connectors/siigo/client';
import { companyIdFor, type SiigoConfig } from '../connectors/siigo/config';
import { SiigoGateway } from '../connectors/siigo/gateway';
import { StoreClient } from '../connectors/store/client';
import type { AppContext } from '../core/domain';
import { LiveFeed } from './sync/live';
import { resolveSiigoConfig, resolveStoreConfig } from './settings';

/**
 * Per-runtime parts of the stock domain: the SIIGO gateway of the configured company (rebuilt
 * when the credentials change), the store client and the live feed.
 */
export class StockServices {
  readonly live: LiveFeed;
  private gateway: { key: string; gateway: SiigoGateway } | null = null;
  private building: Promise<SiigoGateway> | null = null;

  constructor(readonly ctx: AppContext) {
    this.live = new LiveFeed(ctx.redis, `${ctx.queues.prefix}:stock:changes`, ctx.config.stock.sseHeartbeatMs, ctx.logger);
  }

  async siigo(): Promise<SiigoClient> {
    return new SiigoClient(await this.currentGateway());
  }

  /** The gateway if one is running (health must not start one). */
  activeGateway(): SiigoGateway | null {
    return this.gateway?.gateway ?? null;
  }

  store(): StoreClient {
    return new StoreClient(resolveStoreConfig(this.ctx), this.ctx.egress.fetch);
  }

  async close(): Promise<void> {
    const current = this.gateway;
    this.gateway = null;
    await Promise.all([current?.gateway.close(), this.live.close()]);
  }

  private async currentGateway(): Promise<SiigoGateway> {
    const config = await resolveSiigoConfig(this.ctx);
    const key = gatewayKey(config);
    if (this.gateway?.key === key) return this.gateway.gateway;
    this.building ??= (async () => {
      const previous = this.gateway;
      const gateway = this.newGateway(config);
      this.gateway = { key, gateway };
      if (previous) {
        await previous.gateway.clearToken();
        await previous.gateway.close();
      }
      return gateway;
    })().finally(() => {
      this.building = null;
    });
    return this.building;
  }

  private newGateway(config: SiigoConfig): SiigoGateway {
    return new SiigoGateway({
      config,
      redis: this.ctx.redis,
      prefix: this.ctx.queues.prefix,
      sealer: this.ctx.secretBox,
      logger: this.ctx.logger,
      fetchImpl: this.ctx.egress.fetch,
    });
  }
}

/** Rebuild the gateway when anything that reaches SIIGO changes (only a digest of the key is kept). */
function gatewayKey(config: SiigoConfig): string {
  return createHash('sha256')
    .update(`${companyIdFor(config)}\n${config.partnerId}\n${config.accessKey}`)
    .digest('hex');
}
