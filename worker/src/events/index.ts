import { WooCommerceDb } from '../connectors/woocommerce-db/client';
import { resolveWooDbConfig } from '../connectors/woocommerce-db/config';
import { WooDbConfigError } from '../connectors/woocommerce-db/errors';
import type { AppContext, Domain } from '../core/domain';
import { createRouter } from '../core/http/routes';
import { eventsActivity } from './activity';
import { eventsDrift } from './drift';
import { eventsProcessors, inboundHandler, JOBS } from './jobs';
import { EventsMailer } from './notify/mailer';
import { EVENTS_MIGRATIONS } from './migrations';
import { eventsReadRouter } from './reads/routes';
import { configurationsRouter } from './routes';
import { storeConnectionRouter } from './connection/routes';
import { storeConnectionHealth } from './connection/health';
import type { SyncDeps } from './sync/run';
import './schema';

/**
 * Store connections per sync: one carries the streamed read of the order ids while it lasts, two
 * carry the pages' reads, so a full run's fingerprint queries overlap on the store's cores (a
 * forced re-scan of 100k orders: 5.59 s against 6.04 s with two, the mean of nine runs each).
 */
const STORE_CONNECTIONS = 3;

/**
 * Events: WooCommerce event-ticket orders → the worker's events store. Manual, scheduled
 * (15-minute tick) and live (`order.paid`) syncs; see docs in DESIGN and issue 3.
 */
export function createEventsDomain(ctx: AppContext, options: { now?: () => number } = {}): Domain {
  const mailer = new EventsMailer(ctx.config.mail.smtpUrl, ctx.config.mail.adminEmails, ctx.logger, ctx.config.events.emailLocale);
  const deps: SyncDeps = {
    ctx,
    now: options.now,
    async openWooDb() {
      const resolved = await resolveWooDbConfig(ctx.config, ctx.settings);
      if (!resolved.success) {
        const fields = resolved.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
        throw new WooDbConfigError(`The WooCommerce database is not configured (WOOCOMMERCE_MYSQL_*): ${fields}`);
      }
      return WooCommerceDb.open(resolved.data, STORE_CONNECTIONS);
    },
    async enqueueNotify(eventId, key) {
      await ctx.queues
        .get('events')
        .add(
          JOBS.notify,
          { eventId },
          { jobId: `notify-${eventId}-${key}`, attempts: 5, backoff: { type: 'exponential', delay: Math.max(1_000, ctx.config.events.retryDelayMs / 4) } },
        );
    },
  };

  return {
    name: 'events',
    migrations: EVENTS_MIGRATIONS,
    concurrency: 10,
    adminRouter() {
      const router = createRouter();
      router.use(configurationsRouter(ctx, deps));
      router.use(storeConnectionRouter(ctx));
      router.use(eventsReadRouter(ctx));
      return router;
    },
    processors: () => eventsProcessors(ctx, deps, mailer),
    schedules: () => [
      { id: 'events-tick', repeat: { every: ctx.config.events.tickEveryMs }, jobName: JOBS.tick, opts: { attempts: 1 } },
      { id: 'events-cleanup', repeat: { pattern: '0 2 * * 0', tz: ctx.config.events.timezone }, jobName: JOBS.cleanup, opts: { attempts: 3 } },
    ],
    inbound: { topics: ['order.paid'], handler: inboundHandler(ctx, deps) },
    drift: () => eventsDrift(ctx),
    health: async () => ({ store_connection: await storeConnectionHealth(ctx) }),
    activity: () => eventsActivity(ctx),
    async close() {
      mailer.close();
    },
  };
}
