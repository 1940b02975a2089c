import { createHash } from 'node:crypto';

import { verifySignature } from '../crypto';
import { HttpError } from '../http/errors';
import { utf8Text } from '../http/raw';
import type { Logger } from '../logger';
import type { InboundDispatcher } from './dispatcher';
import type { InboundEventStore } from './store';

const TOPIC = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/;

export type HeaderReader = (name: string) => string | undefined;

export interface IntakeDeps {
  store: InboundEventStore;
  dispatcher: InboundDispatcher;
  webhookSecret: () => string | undefined;
  logger: Logger;
}

export interface IntakeReply {
  status: number;
  body: Record<string, unknown>;
}

/** WooCommerce pings a new webhook with a form body `webhook_id=<id>` and no signature. */
export function isWooCommercePing(contentType: string | undefined, body: Buffer): boolean {
  return (contentType ?? '').includes('application/x-www-form-urlencoded') && /^webhook_id=\d+$/.test(body.toString('utf8').trim());
}

/** Our plugin's event id, else WooCommerce's webhook + delivery ids, else the body's hash. */
export function eventIdFor(header: HeaderReader, body: Buffer): string {
  const own = header('x-synchub-event-id')?.trim();
  if (own) return own.slice(0, 191);
  const webhookId = header('x-wc-webhook-id')?.trim();
  const deliveryId = header('x-wc-webhook-delivery-id')?.trim();
  if (webhookId && deliveryId) return `wc-${webhookId}-${deliveryId}`.slice(0, 191);
  return `sha256-${createHash('sha256').update(body).digest('hex')}`;
}

/**
 * `POST /webhook/order`, free of any HTTP framework: verify, persist, then acknowledge. Throws
 * HttpError for bad input; nothing is written in that case.
 */
export async function acceptOrderWebhook(header: HeaderReader, body: Buffer, deps: IntakeDeps): Promise<IntakeReply> {
  if (isWooCommercePing(header('content-type'), body)) return { status: 200, body: { status: 'ok', message: 'Webhook ping received.' } };
  const secret = deps.webhookSecret();
  if (!secret) throw new HttpError(503, 'not_configured', 'WEBHOOK_SECRET is not set on the worker.');
  const signature = header('x-wc-webhook-signature');
  if (!signature) throw new HttpError(401, 'missing_signature', 'The X-WC-Webhook-Signature header is missing.');
  if (!verifySignature(body, secret, signature)) throw new HttpError(401, 'invalid_signature', 'The webhook signature does not match.');

  const text = utf8Text(body);
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'malformed_json', 'The request body is not valid JSON.');
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new HttpError(400, 'invalid_body', 'The request body must be a JSON object (a WooCommerce order).');
  }
  const topic = (header('x-synchub-topic') ?? header('x-wc-webhook-topic') ?? 'order.updated').trim().toLowerCase();
  if (!TOPIC.test(topic) || topic.length > 100) throw new HttpError(400, 'invalid_topic', `"${topic.slice(0, 100)}" is not a topic such as order.paid.`);
  const id = (payload as { id?: unknown }).id;
  const resourceId = typeof id === 'number' || typeof id === 'string' ? String(id).slice(0, 100) : null;

  const eventId = eventIdFor(header, body);
  const outcome = await deps.store.accept({ eventId, topic, source: header('x-wc-webhook-source')?.slice(0, 255) ?? null, resourceId, payload: text });
  if (outcome.status === 'duplicate') return { status: 200, body: { status: 'skipped', event_id: eventId, reason: 'duplicate event id' } };
  // Acknowledged once persisted; if Redis is down the sweeper enqueues it later.
  deps.dispatcher.enqueue({ id: outcome.id, topic }).catch((error: unknown) => {
    deps.logger.warn({ err: error, eventId }, 'enqueue failed; the intake sweeper will retry');
  });
  return { status: 202, body: { status: 'accepted', event_id: eventId } };
}
