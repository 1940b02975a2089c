import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { z } from 'zod';

import { notificationSchema } from '../../connectors/siigo/schemas';
import { assertTarget } from '../../core/egress';
import { route, type RouteContract } from '../../core/http/contract';
import { HttpError } from '../../core/http/errors';
import { createRouter } from '../../core/http/routes';
import { UnauthenticatedLimiter } from '../../core/http/unauthenticated-limit';
import { toHttpError } from '../http-errors';
import { WEBHOOK_LOG_STATUSES } from '../schema';
import type { StockDomain } from '../service';
import { localSubscriptions, recordSubscriptions, setupSubscriptions } from './subscriptions';
import { insertLog, isWebhookKey, receiveWebhook, testWebhookSchema, WEBHOOK_JOB } from './receive';

const setupSchema = z.object({ base_url: z.string().trim().url().optional() }).strict();
const subscriptionsQuery = z.object({ refresh: z.enum(['true', 'false', '1', '0']).optional() }).strict();

const logsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  status: z.enum(WEBHOOK_LOG_STATUSES).optional(),
  topic: z.string().trim().max(100).optional(),
  code: z.string().trim().max(100).optional(),
});

const accepted = z.object({ status: z.literal('accepted'), log_id: z.number().int() });
const receive = (path: string, how: string) =>
  ({
    method: 'POST',
    path,
    tag: 'stock',
    auth: 'callback_key',
    summary: `A SIIGO webhook (product or stock change), with the callback key ${how}.`,
    description:
      'The key is checked before the body is read; callers without it are rate-limited per address. The body is read as sent (any media type) and validated by `receiveWebhook` (a rejection is logged).',
    body: notificationSchema,
    bodyType: '*/*',
    responses: {
      200: { description: 'A duplicate delivery: skipped.', schema: z.object({ status: z.literal('skipped'), reason: z.string(), log_id: z.number().int() }) },
      202: { description: 'Logged and queued.', schema: accepted },
      400: '`malformed_json` or `invalid_notification` (logged as `rejected`).',
      403: '`wrong_company` or `wrong_user`: the notification is for another SIIGO account (logged as `rejected`).',
      401: '`invalid_key`: the callback key is missing or wrong.',
      413: 'Over 1 MB.',
      429: 'Too many refused calls from this address.',
    },
  }) satisfies RouteContract;

export const WEBHOOK_RECEIVE_ROUTES = {
  withKeyInPath: receive('/api/webhooks/receive/:key', 'as the last path segment'),
  withKeyInQuery: receive('/api/webhooks/receive', 'as `?key=`'),
} satisfies Record<string, RouteContract>;

export const WEBHOOK_ADMIN_ROUTES = {
  setup: {
    method: 'POST',
    path: '/api/webhooks/setup',
    tag: 'stock',
    auth: 'admin',
    summary: 'Subscribes SIIGO’s webhooks to this worker (callback URL from `base_url` or WEBHOOK_BASE_URL), replacing stale ones.',
    body: setupSchema,
    responses: {
      201: {
        description: 'Subscribed.',
        schema: z.object({ callback_url_configured: z.literal(true), created: z.unknown(), kept: z.unknown(), removed: z.unknown() }),
      },
      400: '`missing_base_url`, `validation_error`, or a base URL the egress policy refuses.',
      409: '`not_configured`.',
      502: 'SIIGO refused or did not answer.',
      503: 'SIIGO asks to slow down, or its circuit is open.',
    },
  },
  subscriptions: {
    method: 'GET',
    path: '/api/webhooks/subscriptions',
    tag: 'stock',
    auth: 'admin',
    summary: 'The SIIGO webhook subscriptions as recorded; `refresh=true` reads SIIGO first.',
    query: subscriptionsQuery,
    responses: {
      200: { description: 'The subscriptions.', schema: z.object({ items: z.array(z.unknown()), count: z.number().int(), recorded_at: z.unknown() }) },
      400: '`validation_error`.',
      502: 'SIIGO refused or did not answer (refresh only).',
    },
  },
  logs: {
    method: 'GET',
    path: '/api/webhooks/logs',
    tag: 'stock',
    auth: 'admin',
    summary: 'Received SIIGO webhooks, newest first, with filters.',
    query: logsQuery,
    responses: {
      200: { description: 'The log rows.', schema: z.object({ items: z.array(z.looseObject({ id: z.number().int(), status: z.string() })) }) },
      400: '`validation_error`.',
    },
  },
  test: {
    method: 'POST',
    path: '/api/webhooks/test',
    tag: 'stock',
    auth: 'admin',
    summary: 'Simulates a SIIGO stock webhook for one product code (logged and processed as a real one).',
    body: testWebhookSchema,
    responses: { 202: { description: 'Queued.', schema: accepted.extend({ job: z.string() }) }, 400: '`validation_error`.' },
  },
} satisfies Record<string, RouteContract>;

/** Inbound SIIGO webhooks: public, authenticated by the callback key in the URL. */
export function webhookReceiveRouter(domain: StockDomain): Router {
  const { ctx } = domain;
  const router = createRouter();
  const raw = express.raw({ type: () => true, limit: '1mb' });

  const limiter = new UnauthenticatedLimiter(
    ctx.redis,
    `${ctx.config.queuePrefix}:siigo-webhook-unauth`,
    ctx.config.stock.unauthenticatedPerMinute,
    ctx.logger,
  );
  const keyOf = (req: Request): string | undefined =>
    typeof req.params.key === 'string' ? req.params.key : typeof req.query.key === 'string' ? req.query.key : undefined;
  const refused = () => new HttpError(401, 'invalid_key', 'The callback key is missing or wrong.');

  // Before the body is read: a caller without the key costs one settings lookup, writes nothing,
  // and is limited per address; only a log line (no payload, no key) records it.
  const requireKey: RequestHandler = async (req, _res, next) => {
    if (await isWebhookKey(ctx, keyOf(req))) return next();
    const error = await limiter.refuse(req.ip, refused());
    // Once an address is limited its further calls are logged at debug only, so they cannot flood the log either.
    ctx.logger[error.status === 429 ? 'debug' : 'warn']({ ip: req.ip, status: error.status }, 'SIIGO webhook refused: missing or wrong callback key');
    next(error);
  };

  const receiveHook = async (req: Request, res: Response): Promise<void> => {
    const rawBody = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    const verdict = await receiveWebhook(ctx, { key: keyOf(req), rawBody });
    if (verdict.status === 'unauthenticated') throw refused();
    if (verdict.status === 'rejected') return void res.status(verdict.httpStatus).json({ error: { code: verdict.code, message: verdict.message } });
    if (verdict.status === 'duplicate') return void res.status(200).json({ status: 'skipped', reason: 'duplicate delivery', log_id: verdict.logId });
    await domain.enqueueWebhook(verdict.logId);
    res.status(202).json({ status: 'accepted', log_id: verdict.logId });
  };

  route(router, WEBHOOK_RECEIVE_ROUTES.withKeyInPath, requireKey, raw, receiveHook);
  route(router, WEBHOOK_RECEIVE_ROUTES.withKeyInQuery, requireKey, raw, receiveHook);

  return router;
}

/** The admin side of SIIGO webhooks: subscribe, list, logs, simulate. */
export function webhookAdminRouter(domain: StockDomain): Router {
  const { ctx } = domain;
  const router = createRouter();

  route(router, WEBHOOK_ADMIN_ROUTES.setup, async (req, res, input) => {
    const body = input.body(req.body ?? {});
    const baseUrl = body.base_url ?? ctx.config.siigo.webhookBaseUrl;
    if (!baseUrl) throw new HttpError(400, 'missing_base_url', 'Set WEBHOOK_BASE_URL (the public URL SIIGO can reach) or send base_url.');
    // The callback URL carries the webhook key: it may only name a target the policy allows.
    if (body.base_url !== undefined) await assertTarget(ctx.egress, body.base_url, 'base_url');
    try {
      const siigo = await domain.services.siigo();
      const partnerId = (await domain.siigoConfig()).partnerId;
      const result = await setupSubscriptions(ctx, siigo, { baseUrl, applicationId: partnerId });
      res.status(201).json({ callback_url_configured: true, created: result.created, kept: result.kept, removed: result.removed });
    } catch (error) {
      throw toHttpError(error, ctx.logger);
    }
  });

  /** The subscriptions as recorded locally (no SIIGO call); `?refresh=true` re-reads SIIGO first. */
  route(router, WEBHOOK_ADMIN_ROUTES.subscriptions, async (_req, res, input) => {
    const query = input.query();
    if (query.refresh === 'true' || query.refresh === '1') {
      try {
        const siigo = await domain.services.siigo();
        await recordSubscriptions(ctx, await siigo.subscriptions());
      } catch (error) {
        throw toHttpError(error, ctx.logger);
      }
    }
    const items = await localSubscriptions(ctx.db);
    res.json({ items, count: items.length, recorded_at: items[0]?.recorded_at ?? null });
  });

  route(router, WEBHOOK_ADMIN_ROUTES.logs, async (_req, res, input) => {
    const query = input.query();
    let builder = ctx.db
      .selectFrom('synchub_stock_webhook_logs')
      .select(['id', 'topic', 'product_code', 'siigo_id', 'status', 'http_status', 'message', 'received_at', 'processed_at'])
      .orderBy('id', 'desc')
      .limit(query.limit);
    if (query.status) builder = builder.where('status', '=', query.status);
    if (query.topic) builder = builder.where('topic', '=', query.topic);
    if (query.code) builder = builder.where('product_code', '=', query.code);
    const rows = await builder.execute();
    res.json({
      items: rows.map((row) => ({
        ...row,
        id: Number(row.id),
        received_at: row.received_at.toISOString(),
        processed_at: row.processed_at ? row.processed_at.toISOString() : null,
      })),
    });
  });

  route(router, WEBHOOK_ADMIN_ROUTES.test, async (_req, res, input) => {
    const body = input.body();
    const logId = await insertLog(ctx.db, {
      status: 'received',
      httpStatus: 202,
      topic: 'test',
      code: body.product_id,
      payload: JSON.stringify(body),
      message: 'simulated from the admin API',
    });
    await domain.enqueueWebhook(logId);
    res.status(202).json({ status: 'accepted', log_id: logId, job: WEBHOOK_JOB });
  });

  return router;
}
