import type { Router } from 'express';
import { z } from 'zod';

import type { AppContext } from '../core/domain';
import { route, type RouteContract } from '../core/http/contract';
import { notFound } from '../core/http/errors';
import { createRouter, slashOptional } from '../core/http/routes';
import { idParam, pageQuery } from './validation';

const iso = (value: Date | null): string | null => (value ? new Date(value).toISOString() : null);

const list = <T extends z.ZodType>(item: T) => z.object({ count: z.number().int(), results: z.array(item) });
const event = z.looseObject({
  id: z.number().int(),
  configuration_id: z.number().int(),
  name: z.string(),
  organizer: z.object({ name: z.string(), email: z.string() }),
});

export const EVENTS_READ_ROUTES = {
  events: {
    method: 'GET',
    path: slashOptional('/api/v1/events/'),
    tag: 'events',
    auth: 'admin',
    summary: 'Events in the events store, with their organizer.',
    query: pageQuery,
    responses: { 200: { description: 'One page of events.', schema: list(event) }, 400: '`validation_error`.' },
  },
  event: {
    method: 'GET',
    path: slashOptional('/api/v1/events/:id/'),
    tag: 'events',
    auth: 'admin',
    summary: 'One event with its ticket tiers (valid and void tickets per tier) and its orders per status.',
    params: idParam,
    responses: {
      200: {
        description: 'The event.',
        schema: event.extend({ ticket_tiers: z.array(z.looseObject({ id: z.number().int() })), orders: z.record(z.string(), z.number()) }),
      },
      400: '`validation_error`.',
      404: 'No such event.',
    },
  },
  tickets: {
    method: 'GET',
    path: slashOptional('/api/v1/events/:id/tickets/'),
    tag: 'events',
    auth: 'admin',
    summary: 'One event’s tickets with their order, oldest first.',
    params: idParam,
    query: pageQuery,
    responses: {
      200: { description: 'One page of tickets.', schema: list(z.looseObject({ id: z.number().int(), status: z.string() })) },
      400: '`validation_error`.',
      404: 'No such event.',
    },
  },
} satisfies Record<string, RouteContract>;

/** The events store, read side: `/api/v1/events/…`. */
export function eventsReadRouter(ctx: AppContext): Router {
  const router = createRouter();
  const db = ctx.db;

  route(router, EVENTS_READ_ROUTES.events, async (_req, res, input) => {
    const query = input.query();
    const rows = await db
      .selectFrom('synchub_events as e')
      .innerJoin('synchub_event_organizers as o', 'o.id', 'e.organizer_id')
      .select([
        'e.id',
        'e.configuration_id',
        'e.name',
        'e.description',
        'e.visibility',
        'e.created_at',
        'o.name as organizer_name',
        'o.email as organizer_email',
      ])
      .orderBy('e.id')
      .limit(query.page_size)
      .offset((query.page - 1) * query.page_size)
      .execute();
    const count = await db
      .selectFrom('synchub_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    res.json({
      count: Number(count?.n ?? 0),
      results: rows.map((row) => ({
        ...row,
        id: Number(row.id),
        configuration_id: Number(row.configuration_id),
        created_at: iso(row.created_at),
        organizer: { name: row.organizer_name, email: row.organizer_email },
      })),
    });
  });

  route(router, EVENTS_READ_ROUTES.event, async (_req, res, input) => {
    const { id } = input.params();
    const event = await db
      .selectFrom('synchub_events as e')
      .innerJoin('synchub_event_organizers as o', 'o.id', 'e.organizer_id')
      .select([
        'e.id',
        'e.configuration_id',
        'e.name',
        'e.description',
        'e.visibility',
        'e.created_at',
        'o.name as organizer_name',
        'o.email as organizer_email',
      ])
      .where('e.id', '=', id)
      .executeTakeFirst();
    if (!event) throw notFound(`No event ${id}.`);
    const tiers = await db.selectFrom('synchub_event_ticket_tiers').selectAll().where('event_id', '=', id).orderBy('id').execute();
    const counts = await db
      .selectFrom('synchub_event_tickets')
      .select(['tier_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('event_id', '=', id)
      .groupBy(['tier_id', 'status'])
      .execute();
    const orders = await db
      .selectFrom('synchub_event_ticket_orders')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('event_id', '=', id)
      .groupBy('status')
      .execute();
    const countFor = (tier: number, status: string) => Number(counts.find((row) => Number(row.tier_id) === tier && row.status === status)?.n ?? 0);
    res.json({
      id: Number(event.id),
      configuration_id: Number(event.configuration_id),
      name: event.name,
      description: event.description,
      visibility: event.visibility,
      created_at: iso(event.created_at),
      organizer: { name: event.organizer_name, email: event.organizer_email },
      ticket_tiers: tiers.map((tier) => ({
        id: Number(tier.id),
        name: tier.name,
        is_public: Boolean(tier.is_public),
        woocommerce_product_id: Number(tier.woocommerce_product_id),
        woocommerce_variation_id: Number(tier.woocommerce_variation_id),
        tickets_valid: countFor(Number(tier.id), 'valid'),
        tickets_void: countFor(Number(tier.id), 'void'),
      })),
      orders: Object.fromEntries(orders.map((row) => [row.status, Number(row.n)])),
    });
  });

  route(router, EVENTS_READ_ROUTES.tickets, async (_req, res, input) => {
    const { id } = input.params();
    const query = input.query();
    const exists = await db.selectFrom('synchub_events').select('id').where('id', '=', id).executeTakeFirst();
    if (!exists) throw notFound(`No event ${id}.`);
    const rows = await db
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
      .where('t.event_id', '=', id)
      .orderBy('t.id')
      .limit(query.page_size)
      .offset((query.page - 1) * query.page_size)
      .execute();
    const count = await db
      .selectFrom('synchub_event_tickets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('event_id', '=', id)
      .executeTakeFirst();
    res.json({
      count: Number(count?.n ?? 0),
      results: rows.map((row) => ({
        id: Number(row.id),
        tier_id: Number(row.tier_id),
        woocommerce_order_id: Number(row.woocommerce_order_id),
        woocommerce_order_item_id: Number(row.woocommerce_order_item_id),
        sequence: Number(row.sequence),
        attendee_name: row.attendee_name,
        attendee_email: row.attendee_email,
        price: row.price,
        service_fee: row.service_fee,
        status: row.status,
        issued_at: iso(row.issued_at),
        ordered_at: iso(row.ordered_at),
        paid_at: iso(row.paid_at),
        notify_state: row.notify_state,
      })),
    });
  });

  return router;
}
