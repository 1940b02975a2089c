import type { Router } from 'express';
import { sql } from 'kysely';
import { z } from 'zod';

import { siigoCredentialsSchema, type SiigoCredentials } from '../connectors/siigo/config';
import { assertTarget } from '../core/egress';
import { route, type RouteContract } from '../core/http/contract';
import { HttpError } from '../core/http/errors';
import { createRouter } from '../core/http/routes';
import { secretForOrigin } from '../core/secret-binding';
import type { StockDomain } from './service';
import { describeFailure, toHttpError } from './http-errors';
import { listChanges } from './store';
import { webhooksConfigured } from './webhooks/subscriptions';
import { sweepRunning } from './sync/sweep';
import { currentSiigo, loadSweepState, resolveWarehouses, savedCredentials, saveWarehouses, SETTING, siigoEnabled, type SiigoOrigin } from './settings';

const syncSchema = z.object({ full: z.boolean().default(false) }).strict();
const changesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  since: z.coerce.number().int().min(0).optional(),
});
const settingsSchema = z
  .object({
    // access_key may be left out to keep the saved one (the admin page never sees it).
    credentials: siigoCredentialsSchema.extend({ access_key: siigoCredentialsSchema.shape.access_key.optional() }).optional(),
    warehouses: z.array(z.string().trim().min(1).max(64)).max(50).optional(),
  })
  .strict();

// A bad `since` is no error: the stream then starts without a backlog.
const streamQuery = z.object({ since: z.string().optional().catch(undefined) });

const SIIGO_FAILURE = '`not_configured` (409), `siigo_auth`, `siigo_unreachable`, `siigo_error` (502), `siigo_circuit_open`, `siigo_rate_limited` (503).';

export const STOCK_ROUTES = {
  sync: {
    method: 'POST',
    path: '/api/v1/stock/sync',
    tag: 'stock',
    auth: 'admin',
    summary: 'Queues a stock sweep now: incremental, or `full`.',
    body: syncSchema,
    responses: {
      202: { description: 'Queued.', schema: z.object({ status: z.literal('queued'), job_id: z.string(), full: z.boolean() }) },
      400: '`validation_error`.',
      409: '`not_configured`: SIIGO is not enabled.',
    },
  },
  changes: {
    method: 'GET',
    path: '/api/v1/stock/changes',
    tag: 'stock',
    auth: 'admin',
    summary: 'The stock changes written (or attempted) to WooCommerce, newest first; `since` = after this change id.',
    query: changesQuery,
    responses: { 200: { description: 'The changes.', schema: z.object({ items: z.array(z.looseObject({ id: z.number() })) }) }, 400: '`validation_error`.' },
  },
  stream: {
    method: 'GET',
    path: '/api/v1/stock/stream',
    tag: 'stock',
    auth: 'admin',
    summary: 'Server-sent events: each stock change as it is written.',
    description: 'The backlog after `Last-Event-ID` (or `?since=`), up to 200 changes, comes first.',
    query: streamQuery,
    responses: { 200: 'A `text/event-stream`, one `change` event per stock change.' },
  },
  stats: {
    method: 'GET',
    path: '/api/v1/stock/stats',
    tag: 'stock',
    auth: 'admin',
    summary: 'Counts for the admin page: products, webhooks, the last sweeps, whether a sweep runs now.',
    responses: { 200: { description: 'The counts.', schema: z.looseObject({ products: z.looseObject({ total: z.number() }), sync_running: z.boolean() }) } },
  },
  getSettings: {
    method: 'GET',
    path: '/api/v1/stock/settings',
    tag: 'stock',
    auth: 'admin',
    summary: 'The SIIGO settings (never the access key: whether one is saved for them) and the warehouses counted.',
    responses: {
      200: { description: 'The settings.', schema: z.looseObject({ enabled: z.boolean(), has_access_key: z.boolean(), warehouses: z.array(z.string()) }) },
    },
  },
  putSettings: {
    method: 'PUT',
    path: '/api/v1/stock/settings',
    tag: 'stock',
    auth: 'admin',
    summary: 'Saves the SIIGO credentials and/or the warehouses; a saved access key stays only for the same API URL, user and Partner-Id.',
    body: settingsSchema,
    responses: {
      200: { description: 'Saved.', schema: z.object({ status: z.literal('saved') }) },
      400: '`validation_error` (nothing is saved), or `secret_required`.',
    },
  },
  testSettings: {
    method: 'POST',
    path: '/api/v1/stock/settings/test',
    tag: 'stock',
    auth: 'admin',
    summary: 'Tests the SIIGO connection in force by listing its warehouses.',
    responses: { 200: { description: '`ok` with the warehouses, or `ok: false` with what failed.', schema: z.looseObject({ ok: z.boolean() }) } },
  },
  warehouses: {
    method: 'GET',
    path: '/api/v1/stock/warehouses',
    tag: 'stock',
    auth: 'admin',
    summary: 'SIIGO’s warehouses and the ones counted.',
    responses: {
      200: { description: 'The warehouses.', schema: z.object({ items: z.array(z.unknown()), selected: z.array(z.string()) }) },
      409: SIIGO_FAILURE,
      502: SIIGO_FAILURE,
      503: SIIGO_FAILURE,
    },
  },
} satisfies Record<string, RouteContract>;

/** Admin routes of the stock domain (mounted behind the admin bearer check in core/http/app.ts). */
export function stockRouter(domain: StockDomain): Router {
  const { ctx } = domain;
  const router = createRouter();

  route(router, STOCK_ROUTES.sync, async (req, res, input) => {
    const body = input.body(req.body ?? {});
    if (!(await siigoEnabled(ctx))) throw new HttpError(409, 'not_configured', 'SIIGO is not enabled: save the SIIGO credentials or set SIIGO_ENABLED.');
    const jobId = await domain.enqueueSweep(body.full, 'manual');
    res.status(202).json({ status: 'queued', job_id: jobId, full: body.full });
  });

  route(router, STOCK_ROUTES.changes, async (_req, res, input) => {
    const query = input.query();
    res.json({ items: await listChanges(ctx.db, query) });
  });

  route(router, STOCK_ROUTES.stream, async (req, res, input) => {
    const lastId = Number(req.get('last-event-id') ?? input.query().since ?? Number.NaN);
    const backlog = Number.isInteger(lastId) && lastId >= 0 ? await listChanges(ctx.db, { limit: 200, since: lastId }) : [];
    await domain.services.live.attach(res, backlog);
  });

  route(router, STOCK_ROUTES.stats, async (_req, res) => {
    const today = new Date();
    today.setUTCHours(0, 0, 0, 0);
    const [products, updatedToday, webhooks, state, configured, running] = await Promise.all([
      ctx.db
        .selectFrom('synchub_stock_products')
        .select((eb) => [
          eb.fn.countAll<number>().as('total'),
          eb.fn.avg<number | string | null>('quantity').as('avg_stock'),
          eb.fn.sum<number>(sql`woo_status = 'updated'`).as('synced'),
          eb.fn.sum<number>(sql`woo_status = 'unknown_sku'`).as('unknown_sku'),
          eb.fn.sum<number>(sql`woo_status = 'not_managed'`).as('not_managed'),
        ])
        .executeTakeFirstOrThrow(),
      ctx.db
        .selectFrom('synchub_stock_changes')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('created_at', '>=', today)
        .where('result', '=', 'updated')
        .executeTakeFirstOrThrow(),
      ctx.db
        .selectFrom('synchub_stock_webhook_logs')
        .select((eb) => [
          eb.fn.countAll<number>().as('total'),
          eb.fn.sum<number>(sql`status = 'processed'`).as('processed'),
          eb.fn.sum<number>(sql`status IN ('rejected', 'error')`).as('failed'),
          eb.fn.sum<number>(sql`received_at >= CURRENT_TIMESTAMP(3) - INTERVAL 1 HOUR`).as('last_hour'),
        ])
        .executeTakeFirstOrThrow(),
      loadSweepState(ctx),
      webhooksConfigured(ctx.db),
      sweepRunning(ctx),
    ]);
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    res.json({
      products: {
        total: Number(products.total),
        synced: Number(products.synced ?? 0),
        unknown_sku: Number(products.unknown_sku ?? 0),
        not_managed: Number(products.not_managed ?? 0),
        updated_today: Number(updatedToday.count),
      },
      webhooks: {
        total: Number(webhooks.total),
        processed: Number(webhooks.processed ?? 0),
        failed: Number(webhooks.failed ?? 0),
        last_hour: Number(webhooks.last_hour ?? 0),
      },
      last_sync: iso(state.lastFinishedAt),
      last_full_sync: iso(state.lastFullAt),
      last_sync_error: state.lastError,
      // The original stock service's fields: mean stock of the known products, whether SIIGO's
      // webhooks are subscribed, whether a sweep runs now (in any process).
      avg_stock: products.avg_stock === null ? null : Math.round(Number(products.avg_stock) * 100) / 100,
      webhooks_configured: configured,
      sync_running: running,
      siigo_connection: await domain.health(),
    });
  });

  route(router, STOCK_ROUTES.getSettings, async (_req, res) => {
    const saved = await savedCredentials(ctx);
    const env = ctx.config.siigo;
    const { origin, accessKey } = await currentSiigo(ctx);
    res.json({
      enabled: await siigoEnabled(ctx),
      source: saved ? 'settings' : 'environment',
      username: origin.username ?? '',
      partner_id: origin.partner_id ?? '',
      api_url: origin.api_url,
      has_access_key: accessKey !== undefined,
      warehouses: await resolveWarehouses(ctx),
      webhook_base_url: env.webhookBaseUrl ?? null,
      company_key: (await ctx.settings.get(SETTING.companyKey)) ?? null,
    });
  });

  route(router, STOCK_ROUTES.putSettings, async (_req, res, input) => {
    // Everything is validated before anything is stored: no partial write.
    const body = input.body();
    let credentials: SiigoCredentials | undefined;
    if (body.credentials) {
      const current = await currentSiigo(ctx);
      const next: SiigoOrigin = {
        api_url: body.credentials.api_url ?? current.origin.api_url,
        username: body.credentials.username,
        partner_id: body.credentials.partner_id,
      };
      // The key in force only stays if the API URL, user and Partner-Id stay: else 400 secret_required.
      const accessKey = secretForOrigin({
        provided: body.credentials.access_key,
        saved: current.accessKey ? { secret: current.accessKey, origin: current.origin } : undefined,
        next,
        field: 'credentials.access_key',
      });
      if (!accessKey)
        throw new HttpError(400, 'validation_error', 'The request is not valid.', {
          fields: { 'credentials.access_key': ['the SIIGO access key is required'] },
        });
      if (body.credentials.api_url !== undefined) await assertTarget(ctx.egress, next.api_url, 'credentials.api_url');
      // Stored whole (API URL included) so the key stays bound to where it was saved for.
      credentials = { username: body.credentials.username, partner_id: body.credentials.partner_id, api_url: next.api_url, access_key: accessKey };
    }
    if (credentials) await ctx.settings.setJson(SETTING.credentials, credentials, { secret: true });
    if (body.warehouses) await saveWarehouses(ctx, body.warehouses);
    // SIIGO just became configured: subscribe its webhooks as a start would.
    if (credentials)
      await domain.enqueueWebhooksSetup().catch((error: unknown) => ctx.logger.warn({ err: error }, 'could not queue the SIIGO webhook subscription'));
    res.json({ status: 'saved' });
  });

  route(router, STOCK_ROUTES.testSettings, async (_req, res) => {
    try {
      const siigo = await domain.services.siigo();
      const warehouses = await siigo.warehouses();
      res.json({ ok: true, warehouses });
    } catch (error) {
      res.json({ ok: false, error: describeFailure(error, ctx.logger) });
    }
  });

  route(router, STOCK_ROUTES.warehouses, async (_req, res) => {
    try {
      const siigo = await domain.services.siigo();
      res.json({ items: await siigo.warehouses(), selected: await resolveWarehouses(ctx) });
    } catch (error) {
      throw toHttpError(error, ctx.logger);
    }
  });

  return router;
}
