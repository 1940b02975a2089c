import { createHash } from 'node:crypto';

import express, { Router, type Request } from 'express';

import { verifySignature } from '../crypto';
import { HttpError } from '../http/errors';
import type { Logger } from '../logger';
import type { InboundDispatcher } from './dispatcher';
import type { InboundEventStore } from './store';

export const BODY_LIMIT = '1mb';

const TOPIC = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/;

/** WooCommerce pings a new webhook with a form body `webhook_id=<id>` and no signature. */
export function isWooCommercePing(contentType: string | undefined, body: Buffer): boolean {
  return (contentType ?? '').includes('application/x-www-form-urlencoded') && /^webhook_id=\d+$/.test(body.toString('utf8').trim());
}

/** Our plugin's event id, else WooCommerce's webhook + delivery ids, else the body's hash. */
export function eventIdFor(req: Pick<Request, 'get'>, body: Buffer): string {
  const own = req.get('x-synchub-event-id')?.trim();
  if (own) return own.slice(0, 191);
  const webhookId = req.get('x-wc-webhook-id')?.trim();
  const deliveryId = req.get('x-wc-webhook-delivery-id')?.trim();
  if (webhookId && deliveryId) return `wc-${webhookId}-${deliveryId}`.slice(0, 191);
  return `sha256-${createHash('sha256').update(body).digest('hex')}`;
}

export function intakeRouter(options: {
  store: InboundEventStore;
  dispatcher: InboundDispatcher;
  webhookSecret: () => string | undefined;
  logger: Logger;
}): Router {
  const router = Router();
  const raw = express.raw({ type: () => true, limit: BODY_LIMIT });

  router.post('/webhook/order', raw, async (req, res) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (isWooCommercePing(req.get('content-type'), body)) {
      res.status(200).json({ status: 'ok', message: 'Webhook ping received.' });
      return;
    }
    const secret = options.webhookSecret();
    if (!secret) throw new HttpError(503, 'not_configured', 'WEBHOOK_SECRET is not set on the worker.');
    const signature = req.get('x-wc-webhook-signature');
    if (!signature) throw new HttpError(401, 'missing_signature', 'The X-WC-Webhook-Signature header is missing.');
    if (!verifySignature(body, secret, signature)) throw new HttpError(401, 'invalid_signature', 'The webhook signature does not match.');

    let payload: unknown;
    try {
      payload = JSON.parse(body.toString('utf8'));
    } catch {
      throw new HttpError(400, 'malformed_json', 'The request body is not valid JSON.');
    }
    if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
      throw new HttpError(400, 'invalid_body', 'The request body must be a JSON object (a WooCommerce order).');
    }
    const topic = (req.get('x-synchub-topic') ?? req.get('x-wc-webhook-topic') ?? 'order.updated').trim().toLowerCase();
    if (!TOPIC.test(topic) || topic.length > 100) throw new HttpError(400, 'invalid_topic', `"${topic.slice(0, 100)}" is not a topic such as order.paid.`);
    const id = (payload as { id?: unknown }).id;
    const resourceId = typeof id === 'number' || typeof id === 'string' ? String(id).slice(0, 100) : null;

    const eventId = eventIdFor(req, body);
    const outcome = await options.store.accept({
      eventId,
      topic,
      source: req.get('x-wc-webhook-source')?.slice(0, 255) ?? null,
      resourceId,
      payload: body.toString('utf8'),
    });
    if (outcome.status === 'duplicate') {
      res.status(200).json({ status: 'skipped', event_id: eventId, reason: 'duplicate event id' });
      return;
    }
    res.status(202).json({ status: 'accepted', event_id: eventId });
    // Acknowledged once persisted; if Redis is down now the sweeper enqueues it later.
    options.dispatcher.enqueue({ id: outcome.id, topic }).catch((error: unknown) => {
      options.logger.warn({ err: error, eventId }, 'enqueue failed; the intake sweeper will retry');
    });
  });

  return router;
}
