import type { Job } from 'bullmq';
import { z } from 'zod';

import type { AppContext, DomainModule } from '../core/domain';
import { OdooConnector } from './connection';
import { bookingsActivity } from './activity';
import { bookingsDrift } from './drift';
import { BOOKINGS_MIGRATIONS } from './migrations';
import { bookingsRouter } from './routes';
import { BookingsService, JOB_SWEEP, JOB_SYNC_BATCH, JOB_SYNC_ORDER } from './service';
import { BookingStore } from './store';

const orderJob = z.object({ orderId: z.number().int().positive() });
const batchJob = z.object({ orderIds: z.array(z.number().int().positive()).min(1) });

/** One service per app context (routes, jobs and health share its client and caches). */
const services = new WeakMap<AppContext, BookingsService>();
export function bookingsService(ctx: AppContext): BookingsService {
  let service = services.get(ctx);
  if (!service) {
    service = new BookingsService(ctx, new OdooConnector(ctx), new BookingStore(ctx.db));
    services.set(ctx, service);
  }
  return service;
}

/** Bookings: paid WooCommerce orders with YITH booking items → Odoo sale orders, exactly once. */
export const bookingsDomain: DomainModule = {
  name: 'bookings',
  migrations: BOOKINGS_MIGRATIONS,
  adminRouter: (ctx) => bookingsRouter(bookingsService(ctx)),
  processors: (ctx) => ({
    [JOB_SYNC_ORDER]: async (job: Job) => bookingsService(ctx).syncOne(orderJob.parse(job.data).orderId, job),
    [JOB_SYNC_BATCH]: async (job: Job) => bookingsService(ctx).syncBatch(batchJob.parse(job.data).orderIds, job),
    [JOB_SWEEP]: async () => bookingsService(ctx).sweep(),
  }),
  schedules: (ctx) => [{ id: 'bookings-sweep', repeat: { every: ctx.config.bookings.sweepIntervalMs }, jobName: JOB_SWEEP }],
  inbound: { topics: ['order.paid'], handler: (ctx) => (event, job) => bookingsService(ctx).handleInbound(event, job) },
  drift: (ctx) => bookingsDrift(ctx, () => bookingsService(ctx)),
  activity: (ctx) => bookingsActivity(ctx),
  health: async (ctx) => ({ odoo_connection: await bookingsService(ctx).connector.health() }),
  concurrency: 16,
};
