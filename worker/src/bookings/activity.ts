import { sql } from 'kysely';

import type { ActivitySource } from '../core/activity/types';
import { countPerBucket } from '../core/activity/query';
import type { AppContext } from '../core/domain';

/** Booking orders sent to Odoo (links made) and orders that failed for good, per bucket. */
export const bookingsActivity =
  (ctx: AppContext): ActivitySource =>
  async (window) => {
    const [sent, failed] = await Promise.all([
      countPerBucket(ctx.db, window, { table: 'synchub_bookings_links', column: 'created_at' }),
      countPerBucket(ctx.db, window, { table: 'synchub_bookings_orders', column: 'updated_at', where: sql`status = 'failed'` }),
    ]);
    const zero = window.keys.map(() => 0);
    return [
      { chart: 'bookings_sent', key: 'sent', values: sent.get('all') ?? zero },
      { chart: 'bookings_sent', key: 'failed', values: failed.get('all') ?? zero },
    ];
  };
