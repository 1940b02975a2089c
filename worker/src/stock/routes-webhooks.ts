import express, { type Request, type RequestHandler, type Router } from 'express';
import { z } from 'zod';

import { assertTarget } from '../core/egress';
import { HttpError, parseOrThrow } from '../core/http/errors';
import { createRouter } from '../core/http/routes';
import { UnauthenticatedLimiter } from '../core/http/unauthenticated-limit';
import { toHttpError } from './http-errors';
import { WEBHOOK_LOG_STATUSES } from './schema';
import type { StockDomain } from './domain-services';
import { localSubscriptions, recordSubscriptions, setupSubscriptions } from './subscriptions';
import { insertLog, isWebhookKey, receiveWebhook, testWebhookSchema, WEBHOOK_JOB } from './webhooks';

const setupSchema = z.object({ base_url: z.string().trim().url().optional() }).strict();
const subscriptionsQuery = z.object({ refresh: z.enum(['true', 'false', '1', '0']).optional() }).strict();

const logsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  status: z.enum(WEBHOOK_LOG_STATUSES).optional(),
  topic: z.string().trim().max(100).optional(),
  code: z.string().trim().max(100).optional(),
});

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

  const receive: RequestHandler = async (req, res) => {
    const rawBody = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    const verdict = await receiveWebhook(ctx, { key: keyOf(req), rawBody });
    if (verdict.status === 'unauthenticated') throw refused();
    if (verdict.status === 'rejected') return void res.status(verdict.httpStatus).json({ error: { code: verdict.code, message: verdict.message } });
    if (verdict.status === 'duplicate') return void res.status(200).json({ status: 'skipped', reason: 'duplicate delivery', log_id: verdict.logId });
    await domain.enqueueWebhook(verdict.logId);
    res.status(202).json({ status: 'accepted', log_id: verdict.logId });
  };

  router.post('/api/webhooks/receive/:key', requireKey, raw, receive);
  router.post('/api/webhooks/receive', requireKey, raw, receive);

  return router;
}

/** The admin side of SIIGO webhooks: subscribe, list, logs, simulate. */
export function webhookAdminRouter(domain: StockDomain): Router {
  const { ctx } = domain;
  const router = createRouter();

  router.post('/api/webhooks/setup', async (req, res) => {
    const body = parseOrThrow(setupSchema, req.body ?? {});
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
  router.get('/api/webhooks/subscriptions', async (req, res) => {
    const query = parseOrThrow(subscriptionsQuery, req.query);
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

  router.get('/api/webhooks/logs', async (req, res) => {
    const query = parseOrThrow(logsQuery, req.query);
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

  router.post('/api/webhooks/test', async (req, res) => {
    const body = parseOrThrow(testWebhookSchema, req.body);
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
