import type { Db } from '../../core/db';

export interface Page {
  page: number;
  page_size: number;
}

const EVENT_COLUMNS = [
  'e.id',
  'e.configuration_id',
  'e.name',
  'e.description',
  'e.visibility',
  'e.created_at',
  'o.name as organizer_name',
  'o.email as organizer_email',
] as const;

const offset = (page: Page) => (page.page - 1) * page.page_size;

/** The events store, read side: every query behind `/api/v1/events/…`. */
export class EventsReadStore {
  constructor(private readonly db: Db) {}

  private events() {
    return this.db.selectFrom('synchub_events as e').innerJoin('synchub_event_organizers as o', 'o.id', 'e.organizer_id').select(EVENT_COLUMNS);
  }

  async listEvents(page: Page) {
    const rows = await this.events().orderBy('e.id').limit(page.page_size).offset(offset(page)).execute();
    const count = await this.db
      .selectFrom('synchub_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    return { count: Number(count?.n ?? 0), rows };
  }

  /** The event, its tiers, its tickets per tier and status, its orders per status; undefined when absent. */
  async eventDetail(id: number) {
    const event = await this.events().where('e.id', '=', id).executeTakeFirst();
    if (!event) return undefined;
    const tiers = await this.db.selectFrom('synchub_event_ticket_tiers').selectAll().where('event_id', '=', id).orderBy('id').execute();
    const ticketCounts = await this.db
      .selectFrom('synchub_event_tickets')
      .select(['tier_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('event_id', '=', id)
      .groupBy(['tier_id', 'status'])
      .execute();
    const orderCounts = await this.db
      .selectFrom('synchub_event_ticket_orders')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('event_id', '=', id)
      .groupBy('status')
      .execute();
    return { event, tiers, ticketCounts, orderCounts };
  }

  async eventExists(id: number): Promise<boolean> {
    return (await this.db.selectFrom('synchub_events').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
  }

  async listTickets(eventId: number, page: Page) {
    const rows = await this.db
      .selectFrom('synchub_event_tickets as t')
      .innerJoin('synchub_event_ticket_orders as o', 'o.id', 't.ticket_order_id')
      .select([
        't.id',
        't.tier_id',
        't.woocommerce_order_item_id',
        't.sequence',
        't.attendee_name',
        't.attendee_email',
        't.price',
        't.service_fee',
        't.status',
        't.issued_at',
        't.notify_state',
        'o.woocommerce_order_id',
        'o.ordered_at',
        'o.paid_at',
      ])
      .where('t.event_id', '=', eventId)
      .orderBy('t.id')
      .limit(page.page_size)
      .offset(offset(page))
      .execute();
    const count = await this.db
      .selectFrom('synchub_event_tickets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('event_id', '=', eventId)
      .executeTakeFirst();
    return { count: Number(count?.n ?? 0), rows };
  }
}

export type EventRow = Awaited<ReturnType<EventsReadStore['listEvents']>>['rows'][number];
export type TicketRow = Awaited<ReturnType<EventsReadStore['listTickets']>>['rows'][number];
