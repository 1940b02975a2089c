import type { Job } from 'bullmq';
import { z } from 'zod';

import type { AppContext, Domain } from '../core/domain';
import { OdooConnector } from './odoo/connection';
import { bookingsActivity } from './activity';
import { bookingsDrift } from './drift';
import { BOOKINGS_MIGRATIONS } from './migrations';
import { bookingsRouter } from './routes';
import { BookingsService, JOB_SWEEP, JOB_SYNC_BATCH, JOB_SYNC_ORDER } from './service';
import { BookingStore } from './store';

const orderJob = z.object({ orderId: z.number().int().positive() });
const batchJob = z.object({ orderIds: z.array(z.number().int().positive()).min(1) });

/** The bookings domain as built for one runtime; `service` is what its routes, jobs and health share. */
export interface BookingsDomain extends Domain {
  readonly service: BookingsService;
}

/** Bookings: paid WooCommerce orders with YITH booking items → Odoo sale orders, exactly once. */
export function createBookingsDomain(ctx: AppContext): BookingsDomain {
  const service = new BookingsService(ctx, new OdooConnector(ctx), new BookingStore(ctx.db));
  return {
    name: 'bookings',
    service,
    migrations: BOOKINGS_MIGRATIONS,
    concurrency: 16,
    adminRouter: () => bookingsRouter(service),
    processors: () => ({
      [JOB_SYNC_ORDER]: async (job: Job) => service.syncOne(orderJob.parse(job.data).orderId, job),
      [JOB_SYNC_BATCH]: async (job: Job) => service.syncBatch(batchJob.parse(job.data).orderIds, job),
      [JOB_SWEEP]: async () => service.sweep(),
    }),
    schedules: () => [{ id: 'bookings-sweep', repeat: { every: ctx.config.bookings.sweepIntervalMs }, jobName: JOB_SWEEP }],
    inbound: { topics: ['order.paid'], handler: (event, job) => service.handleInbound(event, job) },
    drift: () => bookingsDrift(ctx, service),
    activity: () => bookingsActivity(ctx),
    health: async () => ({ odoo_connection: await service.connector.health() }),
  };
}
