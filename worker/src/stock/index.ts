import type { AppContext, Domain } from '../core/domain';
import { createRouter } from '../core/http/routes';
import { StockDomain, SWEEP_JOB } from './service';
import { stockActivity } from './activity';
import { stockDrift } from './drift';
import { STOCK_MIGRATIONS } from './migrations';
import { PRUNE_JOB } from './sync/retention';
import { stockRouter } from './routes';
import { webhookAdminRouter, webhookReceiveRouter } from './webhooks/routes';

/**
 * Stock: SIIGO inventory → WooCommerce stock, matched SIIGO `code` = WooCommerce SKU. SIIGO
 * webhooks for speed, a 5-minute incremental sweep (full daily) as the safety net.
 */
export function createStockDomain(ctx: AppContext): Domain {
  const stock = new StockDomain(ctx);
  return {
    name: 'stock',
    migrations: STOCK_MIGRATIONS,
    concurrency: 4,
    publicRouter: () => webhookReceiveRouter(stock),
    adminRouter() {
      const router = createRouter();
      router.use(webhookAdminRouter(stock));
      router.use(stockRouter(stock));
      return router;
    },
    processors: () => stock.processors(),
    schedules: () => [
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
    async start() {
      await stock.enqueueWebhooksSetup();
    },
    drift: () => stockDrift(ctx),
    activity: () => stockActivity(ctx),
    health: async () => ({ siigo_connection: await stock.health() }),
    close: () => stock.close(),
  };
}
