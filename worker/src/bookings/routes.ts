import type { Router } from 'express';
import { z } from 'zod';

import { odooConnectionSchema } from '../connectors/odoo';
import { HttpError, notFound, parseOrThrow } from '../core/http/errors';
import { createRouter } from '../core/http/routes';
import { ODOO_SETTINGS, OPTIONS_SETTINGS } from './connection';
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

/** Thin admin routes of the bookings domain (mounted behind the admin bearer check in core/http/app.ts). */
export function bookingsRouter(service: BookingsService): Router {
  const router = createRouter();
  const { connector, store } = service;

  router.get('/api/v1/bookings/settings', async (_req, res) => {
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

  router.put('/api/v1/bookings/settings', async (req, res) => {
    const body = parseOrThrow(settingsBody, req.body ?? {});
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

  router.post('/api/v1/bookings/test-connection', async (req, res) => {
    const body = parseOrThrow(testBody, req.body ?? {});
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

  router.get('/api/v1/bookings/orders', async (req, res) => {
    const query = parseOrThrow(listQuery, req.query);
    res.json(await store.listOrders(query));
  });

  router.post('/api/v1/bookings/orders/:id/retry', async (req, res) => {
    const { id } = parseOrThrow(orderIdParam, req.params);
    if ((await store.loadOrders([id])).size === 0) throw notFound(`Order ${id} has not reached the worker.`);
    res.status(202).json({ status: 'queued', ...(await service.manual(id)) });
  });

  router.post('/sync/manual', async (req, res) => {
    const body = parseOrThrow(manualBody, req.body ?? {});
    if (body.order_id !== undefined && (await store.loadOrders([body.order_id])).size === 0) {
      throw notFound(`Order ${body.order_id} has not reached the worker; it arrives with its order.paid webhook (use "Send test order" or re-save the order).`);
    }
    res.status(202).json({ status: 'queued', ...(await service.manual(body.order_id)) });
  });

  return router;
}

export { ODOO_SETTINGS, OPTIONS_SETTINGS };
