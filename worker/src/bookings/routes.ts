import type { Router } from 'express';
import { z } from 'zod';

import { odooConnectionSchema } from '../connectors/odoo';
import { route, type RouteContract } from '../core/http/contract';
import { HttpError, notFound } from '../core/http/errors';
import { createRouter } from '../core/http/routes';
import { ODOO_SETTINGS, OPTIONS_SETTINGS } from './odoo/connection';
import type { BookingsService } from './service';

const settingsBody = z
  .object({
    url: odooConnectionSchema.shape.url.optional(),
    db: odooConnectionSchema.shape.db.optional(),
    username: odooConnectionSchema.shape.username.optional(),
    api_key: odooConnectionSchema.shape.apiKey.optional(),
    confirm_orders: z.boolean().optional(),
    create_invoices: z.boolean().optional(),
  })
  .strict();

const testBody = z
  .object({
    url: odooConnectionSchema.shape.url,
    db: odooConnectionSchema.shape.db,
    username: odooConnectionSchema.shape.username,
    api_key: odooConnectionSchema.shape.apiKey.optional(),
  })
  .strict()
  .partial();

const touchesConnection = (body: { url?: string; db?: string; username?: string; api_key?: string }): boolean =>
  body.url !== undefined || body.db !== undefined || body.username !== undefined || body.api_key !== undefined;

const listQuery = z.object({ status: z.enum(['pending', 'synced', 'failed']).optional(), limit: z.coerce.number().int().min(1).max(500).default(50) });
const orderIdParam = z.object({ id: z.coerce.number().int().positive('must be a WooCommerce order id') });
const manualBody = z.object({ order_id: z.coerce.number().int().positive('must be a WooCommerce order id').optional() }).strict();

const queued = z.object({ status: z.literal('queued'), mode: z.enum(['single', 'batch']), orders: z.number().int(), jobs: z.number().int() });

export const BOOKINGS_ROUTES = {
  getSettings: {
    method: 'GET',
    path: '/api/v1/bookings/settings',
    tag: 'bookings',
    auth: 'admin',
    summary: 'The Odoo connection (never the API key: whether one is saved for it), the order options and the last health check.',
    responses: {
      200: {
        description: 'The settings.',
        schema: z.object({
          url: z.string().nullable(),
          db: z.string().nullable(),
          username: z.string().nullable(),
          has_api_key: z.boolean(),
          configured: z.boolean(),
          confirm_orders: z.boolean(),
          create_invoices: z.boolean(),
          health: z.unknown(),
        }),
      },
    },
  },
  putSettings: {
    method: 'PUT',
    path: '/api/v1/bookings/settings',
    tag: 'bookings',
    auth: 'admin',
    summary: 'Saves the Odoo connection and options; fields left out keep their value, and a saved API key stays only for the same URL, database and login.',
    body: settingsBody,
    responses: {
      200: { description: 'Saved.', schema: z.object({ status: z.literal('saved'), configured: z.boolean() }) },
      400: '`validation_error` (nothing is saved), e.g. `create_invoices` without `confirm_orders`, a new connection without its API key, or a URL the egress policy refuses.',
    },
  },
  testConnection: {
    method: 'POST',
    path: '/api/v1/bookings/test-connection',
    tag: 'bookings',
    auth: 'admin',
    summary: 'Tests the saved Odoo connection, or the one in the body (unsaved; the saved key only for the same connection).',
    body: testBody,
    responses: {
      200: { description: 'The test’s outcome (`ok` and what failed).', schema: z.looseObject({ ok: z.boolean() }) },
      400: '`validation_error`.',
    },
  },
  orders: {
    method: 'GET',
    path: '/api/v1/bookings/orders',
    tag: 'bookings',
    auth: 'admin',
    summary: 'Booking orders received, newest first, by sync status.',
    query: listQuery,
    responses: { 200: 'The orders and their sync state.', 400: '`validation_error`.' },
  },
  retryOrder: {
    method: 'POST',
    path: '/api/v1/bookings/orders/:id/retry',
    tag: 'bookings',
    auth: 'admin',
    summary: 'Queues one received order for another sync.',
    params: orderIdParam,
    responses: { 202: { description: 'Queued.', schema: queued }, 400: '`validation_error`.', 404: 'The order has not reached the worker.' },
  },
  manualSync: {
    method: 'POST',
    path: '/sync/manual',
    tag: 'bookings',
    auth: 'admin',
    summary: 'Queues a sync of one order (`order_id`) or of every pending and failed order.',
    body: manualBody,
    responses: { 202: { description: 'Queued.', schema: queued }, 400: '`validation_error`.', 404: 'The order has not reached the worker.' },
  },
} satisfies Record<string, RouteContract>;

/** Thin admin routes of the bookings domain (mounted behind the admin bearer check in core/http/app.ts). */
export function bookingsRouter(service: BookingsService): Router {
  const router = createRouter();
  const { connector, store } = service;

  route(router, BOOKINGS_ROUTES.getSettings, async (_req, res) => {
    const { origin, apiKey } = await connector.current();
    const connection = await connector.connection();
    const options = await connector.options();
    res.json({
      url: origin.url ?? null,
      db: origin.db ?? null,
      username: origin.username ?? null,
      // Only a key bound to this URL, database and login counts.
      has_api_key: apiKey !== undefined,
      configured: connection !== undefined,
      confirm_orders: options.confirmOrders,
      create_invoices: options.createInvoices,
      health: (await connector.readHealth()) ?? null,
    });
  });

  route(router, BOOKINGS_ROUTES.putSettings, async (req, res, input) => {
    const body = input.body(req.body ?? {});
    // Everything is decided before anything is stored: a 400 leaves the saved settings as they were.
    const connection = touchesConnection(body) ? await connector.withChange(body) : undefined;
    const options = await connector.options();
    const nextOptions = { confirmOrders: body.confirm_orders ?? options.confirmOrders, createInvoices: body.create_invoices ?? options.createInvoices };
    if (nextOptions.createInvoices && !nextOptions.confirmOrders) {
      throw new HttpError(400, 'validation_error', 'The request is not valid.', {
        fields: { create_invoices: ['needs confirm_orders: Odoo invoices confirmed orders only'] },
      });
    }
    if (body.url !== undefined) await connector.checkTarget(body.url, 'url');
    await connector.saveSettings(connection, nextOptions);
    res.json({ status: 'saved', configured: (await connector.connection()) !== undefined });
  });

  route(router, BOOKINGS_ROUTES.testConnection, async (req, res, input) => {
    const body = input.body(req.body ?? {});
    if (!touchesConnection(body)) {
      res.json(await connector.test());
      return;
    }
    // A candidate only gets the saved key if it is the connection the key was saved for.
    const candidate = odooConnectionSchema.safeParse(await connector.withChange(body));
    if (!candidate.success) {
      throw new HttpError(400, 'validation_error', 'The request is not valid.', {
        fields: Object.fromEntries(
          candidate.error.issues.map((issue) => [issue.path.join('.') === 'apiKey' ? 'api_key' : issue.path.join('.'), [issue.message]]),
        ),
      });
    }
    if (body.url !== undefined) await connector.checkTarget(candidate.data.url, 'url');
    res.json(await connector.test(candidate.data));
  });

  route(router, BOOKINGS_ROUTES.orders, async (_req, res, input) => {
    const query = input.query();
    res.json(await store.listOrders(query));
  });

  route(router, BOOKINGS_ROUTES.retryOrder, async (_req, res, input) => {
    const { id } = input.params();
    if ((await store.loadOrders([id])).size === 0) throw notFound(`Order ${id} has not reached the worker.`);
    res.status(202).json({ status: 'queued', ...(await service.manual(id)) });
  });

  route(router, BOOKINGS_ROUTES.manualSync, async (req, res, input) => {
    const body = input.body(req.body ?? {});
    if (body.order_id !== undefined && (await store.loadOrders([body.order_id])).size === 0) {
      throw notFound(`Order ${body.order_id} has not reached the worker; it arrives with its order.paid webhook (use "Send test order" or re-save the order).`);
    }
    res.status(202).json({ status: 'queued', ...(await service.manual(body.order_id)) });
  });

  return router;
}

export { ODOO_SETTINGS, OPTIONS_SETTINGS };
