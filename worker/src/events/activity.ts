import type { ActivitySource } from '../core/activity/types';
import { countPerBucket } from '../core/activity/query';
import type { AppContext } from '../core/domain';

/** Ticket orders and tickets migrated per bucket (first written, not updates). */
export const eventsActivity =
  (ctx: AppContext): ActivitySource =>
  async (window) => {
    const [orders, tickets] = await Promise.all([
      countPerBucket(ctx.db, window, { table: 'synchub_event_ticket_orders', column: 'created_at' }),
      countPerBucket(ctx.db, window, { table: 'synchub_event_tickets', column: 'created_at' }),
    ]);
    const zero = window.keys.map(() => 0);
    return [
      { chart: 'events_synced', key: 'orders', values: orders.get('all') ?? zero },
      { chart: 'events_synced', key: 'tickets', values: tickets.get('all') ?? zero },
    ];
  };
