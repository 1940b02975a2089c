import type { Router } from 'express';
import { z } from 'zod';

import type { AppContext } from '../../core/domain';
import { route, type RouteContract } from '../../core/http/contract';
import { notFound } from '../../core/http/errors';
import { createRouter, slashOptional } from '../../core/http/routes';
import { EventsReadStore, type EventRow, type TicketRow } from './store';
import { idParam, pageQuery } from '../validation';

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

const eventView = (row: EventRow) => ({
  id: Number(row.id),
  configuration_id: Number(row.configuration_id),
  name: row.name,
  description: row.description,
  visibility: row.visibility,
  created_at: iso(row.created_at),
  organizer: { name: row.organizer_name, email: row.organizer_email },
});

const ticketView = (row: TicketRow) => ({
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
});

/** The events store, read side: `/api/v1/events/…`. */
export function eventsReadRouter(ctx: AppContext): Router {
  const router = createRouter();
  const store = new EventsReadStore(ctx.db);

  route(router, EVENTS_READ_ROUTES.events, async (_req, res, input) => {
    const { count, rows } = await store.listEvents(input.query());
    // The list has always carried the organizer's columns flat as well.
    res.json({ count, results: rows.map((row) => ({ ...row, ...eventView(row) })) });
  });

  route(router, EVENTS_READ_ROUTES.event, async (_req, res, input) => {
    const { id } = input.params();
    const detail = await store.eventDetail(id);
    if (!detail) throw notFound(`No event ${id}.`);
    const countFor = (tier: number, status: string) => Number(detail.ticketCounts.find((row) => Number(row.tier_id) === tier && row.status === status)?.n ?? 0);
    res.json({
      ...eventView(detail.event),
      ticket_tiers: detail.tiers.map((tier) => ({
        id: Number(tier.id),
        name: tier.name,
        is_public: Boolean(tier.is_public),
        woocommerce_product_id: Number(tier.woocommerce_product_id),
        woocommerce_variation_id: Number(tier.woocommerce_variation_id),
        tickets_valid: countFor(Number(tier.id), 'valid'),
        tickets_void: countFor(Number(tier.id), 'void'),
      })),
      orders: Object.fromEntries(detail.orderCounts.map((row) => [row.status, Number(row.n)])),
    });
  });

  route(router, EVENTS_READ_ROUTES.tickets, async (_req, res, input) => {
    const { id } = input.params();
    if (!(await store.eventExists(id))) throw notFound(`No event ${id}.`);
    const { count, rows } = await store.listTickets(id, input.query());
    res.json({ count, results: rows.map(ticketView) });
  });

  return router;
}
