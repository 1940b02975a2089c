import type { AppContext, DomainModule } from '../core/domain';
import { createRouter } from '../core/http/routes';
import { StockDomain, SWEEP_JOB } from './domain-services';
import { stockActivity } from './activity';
import { stockDrift } from './drift';
import { STOCK_MIGRATIONS } from './migrations';
import { PRUNE_JOB } from './retention';
import { stockRouter } from './routes-stock';
import { webhookAdminRouter, webhookReceiveRouter } from './routes-webhooks';

/**
 * Stock: SIIGO inventory → WooCommerce stock, matched SIIGO `code` = WooCommerce SKU. SIIGO
 * webhooks for speed, a 5-minute incremental sweep (full daily) as the safety net.
 */
export function createStockModule(): DomainModule {
  const domains = new Map<AppContext, StockDomain>();
  const domainFor = (ctx: AppContext): StockDomain => {
    let domain = domains.get(ctx);
    if (!domain) {
      domain = new StockDomain(ctx);
      domains.set(ctx, domain);
    }
    return domain;
  };
  return {
    name: 'stock',
    migrations: STOCK_MIGRATIONS,
    concurrency: 4,
    publicRouter: (ctx) => webhookReceiveRouter(domainFor(ctx)),
    adminRouter(ctx) {
      const router = createRouter();
      router.use(webhookAdminRouter(domainFor(ctx)));
      router.use(stockRouter(domainFor(ctx)));
      return router;
    },
    processors: (ctx) => domainFor(ctx).processors(),
    schedules: (ctx) => [
      {
        id: 'stock-sweep',
        repeat: { every: ctx.config.stock.sweepIntervalMs },
        jobName: SWEEP_JOB,
        data: { full: false, source: 'scheduled_sync' },
        opts: { attempts: 1 },
      },
      {
        id: 'stock-full-sweep',
        repeat: { pattern: ctx.config.stock.fullSweepPattern, tz: 'UTC' },
        jobName: SWEEP_JOB,
        data: { full: true, source: 'scheduled_sync' },
        opts: { attempts: 1 },
      },
      { id: 'stock-prune', repeat: { pattern: '30 3 * * *', tz: 'UTC' }, jobName: PRUNE_JOB, opts: { attempts: 3 } },
    ],
    async start(ctx) {
      await domainFor(ctx).enqueueWebhooksSetup();
    },
    drift: (ctx) => stockDrift(ctx),
    activity: (ctx) => stockActivity(ctx),
    health: async (ctx) => ({ siigo_connection: await domainFor(ctx).health() }),
    async close() {
      const all = [...domains.values()];
      domains.clear();
      await Promise.all(all.map((domain) => domain.close()));
    },
  };
}

export const stockModule = createStockModule();
