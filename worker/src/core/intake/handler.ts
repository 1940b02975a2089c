import { createHash } from 'node:crypto';

import { verifySignature } from '../crypto';
import { HttpError } from '../http/errors';
import { utf8Text } from '../http/raw';
import type { Logger } from '../logger';
import { SIGNATURE_HEADERS, verifyV2, type HeaderReader, type SignedFields } from '../signing';
import type { InboundDispatcher } from './dispatcher';
import type { InboundEventStore } from './store';
import { unsignedTopic } from './topic';

export type { HeaderReader };

export interface IntakeDeps {
  store: InboundEventStore;
  dispatcher: InboundDispatcher;
  webhookSecret: () => string | undefined;
  logger: Logger;
  /** The clock signatures are checked against (tests). */
  now?: () => number;
}

export interface IntakeReply {
  status: number;
  body: Record<string, unknown>;
}

/** WooCommerce pings a new webhook with a form body `webhook_id=<id>` and no signature. */
export function isWooCommercePing(contentType: string | undefined, body: Buffer): boolean {
  return (contentType ?? '').includes('application/x-www-form-urlencoded') && /^webhook_id=\d+$/.test(body.toString('utf8').trim());
}

/** Which signature vouched for the request: ours (v2, headers included) or WooCommerce's (body only). */
export type Authentication = { kind: 'v2'; fields: SignedFields } | { kind: 'body-only' };

/**
 * A request carrying `X-SyncHub-Signature` is judged by it alone (no fallback to the weaker
 * body-only form); otherwise WooCommerce's `X-WC-Webhook-Signature` over the body.
 */
export function authenticate(header: HeaderReader, body: Buffer, secret: string, nowMs: number): Authentication {
  if (header(SIGNATURE_HEADERS.signature) !== undefined) {
    const verdict = verifyV2(header, body, secret, 'plugin-to-worker', nowMs);
    if (!verdict.ok) throw new HttpError(401, verdict.code, verdict.message);
    return { kind: 'v2', fields: verdict.fields };
  }
  const signature = header('x-wc-webhook-signature');
  if (!signature) throw new HttpError(401, 'missing_signature', 'Neither X-SyncHub-Signature nor X-WC-Webhook-Signature is present.');
  if (!verifySignature(body, secret, signature)) throw new HttpError(401, 'invalid_signature', 'The webhook signature does not match.');
  return { kind: 'body-only' };
}

function parseOrder(body: Buffer): { text: string; payload: Record<string, unknown> } {
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
  return { text, payload: payload as Record<string, unknown> };
}

/**
 * `POST /webhook/order`, free of any HTTP framework: verify, persist, then acknowledge. Throws
 * HttpError for bad input; nothing is written in that case.
 *
 * With a v2 signature the event id and topic are signed and taken as sent. With a body-only
 * signature no header is trusted: the event id is the body's SHA-256 (a replayed body under a new
 * delivery id is the same event) and the topic follows the payload (see topic.ts).
 */
export async function acceptOrderWebhook(header: HeaderReader, body: Buffer, deps: IntakeDeps): Promise<IntakeReply> {
  if (isWooCommercePing(header('content-type'), body)) return { status: 200, body: { status: 'ok', message: 'Webhook ping received.' } };
  const secret = deps.webhookSecret();
  if (!secret) throw new HttpError(503, 'not_configured', 'WEBHOOK_SECRET is not set on the worker.');
  const auth = authenticate(header, body, secret, (deps.now ?? Date.now)());
  const { text, payload } = parseOrder(body);
  const bodySha256 = createHash('sha256').update(body).digest('hex');

  let eventId: string;
  let topic: string;
  if (auth.kind === 'v2') {
    ({ eventId, topic } = auth.fields);
  } else {
    const decided = unsignedTopic(header('x-wc-webhook-topic'), payload);
    if (!decided.ok) throw new HttpError(400, 'invalid_topic', `"${decided.given}" is not a topic such as order.updated.`);
    topic = decided.topic;
    eventId = `sha256-${bodySha256}`;
    // Rows stored before body-only deliveries were keyed by their hash, or under a v2 event id.
    const earlier = await deps.store.findByBody(bodySha256);
    if (earlier) return { status: 200, body: { status: 'skipped', event_id: earlier.eventId, reason: 'duplicate body' } };
  }

  const id = payload.id;
  const resourceId = typeof id === 'number' || typeof id === 'string' ? String(id).slice(0, 100) : null;
  const outcome = await deps.store.accept({
    eventId,
    topic,
    source: header('x-wc-webhook-source')?.slice(0, 255) ?? null,
    resourceId,
    payload: text,
    bodySha256,
  });
  if (outcome.status === 'duplicate') return { status: 200, body: { status: 'skipped', event_id: eventId, reason: 'duplicate event id' } };
  // Acknowledged once persisted; if Redis is down the sweeper enqueues it later.
  deps.dispatcher.enqueue({ id: outcome.id, topic }).catch((error: unknown) => {
    deps.logger.warn({ err: error, eventId }, 'enqueue failed; the intake sweeper will retry');
  });
  return { status: 202, body: { status: 'accepted', event_id: eventId } };
}
