import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

/**
 * Sync Hub's own request signature (v2), for calls between the plugin and the worker in both
 * directions. It binds what a body-only signature leaves open: when the request was signed, its
 * event id, its topic and which direction it travels. The signed bytes are
 *
 *   synchub-v2:<purpose>\n<timestamp>\n<event id>\n<topic>\n<raw body>
 *
 * Header values cannot hold a line feed, so the fields split one way only. The purpose label keeps
 * a signature of one direction from being valid in the other with the one shared WEBHOOK_SECRET.
 */
export const SIGNATURE_VERSION = 'v2';

/** How far a signature's timestamp may be from this clock, in either direction. */
export const SIGNATURE_WINDOW_SECONDS = 300;

export const PURPOSES = ['plugin-to-worker', 'worker-to-plugin'] as const;
export type SignaturePurpose = (typeof PURPOSES)[number];

export const SIGNATURE_HEADERS = {
  timestamp: 'X-SyncHub-Timestamp',
  eventId: 'X-SyncHub-Event-Id',
  topic: 'X-SyncHub-Topic',
  signature: 'X-SyncHub-Signature',
} as const;

/** Our event ids are UUIDs; anything of this shape fits the 191-character unique column. */
export const EVENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,190}$/;
/** `order.paid`, `stock.update`, `action.woocommerce_payment_complete`. */
export const TOPIC_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/;
export const MAX_TOPIC_LENGTH = 100;

export interface SignedFields {
  /** Unix seconds. */
  timestamp: number;
  eventId: string;
  topic: string;
}

export function signingInput(purpose: SignaturePurpose, fields: SignedFields, body: Buffer | string): Buffer {
  const head = `synchub-${SIGNATURE_VERSION}:${purpose}\n${fields.timestamp}\n${fields.eventId}\n${fields.topic}\n`;
  return Buffer.concat([Buffer.from(head, 'utf8'), typeof body === 'string' ? Buffer.from(body, 'utf8') : body]);
}

/** `v2=` + base64 of the raw HMAC-SHA256 of the signing input. */
export function signV2(secret: string, purpose: SignaturePurpose, fields: SignedFields, body: Buffer | string): string {
  return `${SIGNATURE_VERSION}=${createHmac('sha256', secret)
    .update(signingInput(purpose, fields, body))
    .digest('base64')}`;
}

/** The four headers of a v2-signed request; a fresh event id unless one is given. */
export function signedHeaders(
  secret: string,
  purpose: SignaturePurpose,
  input: { topic: string; body: Buffer | string; eventId?: string; nowMs?: number },
): Record<string, string> {
  const fields: SignedFields = { timestamp: Math.floor((input.nowMs ?? Date.now()) / 1000), eventId: input.eventId ?? randomUUID(), topic: input.topic };
  return {
    [SIGNATURE_HEADERS.timestamp]: String(fields.timestamp),
    [SIGNATURE_HEADERS.eventId]: fields.eventId,
    [SIGNATURE_HEADERS.topic]: fields.topic,
    [SIGNATURE_HEADERS.signature]: signV2(secret, purpose, fields, input.body),
  };
}

export type HeaderReader = (name: string) => string | undefined;

export type V2Verdict =
  { ok: true; fields: SignedFields } | { ok: false; code: 'incomplete_signature' | 'invalid_signature' | 'signature_expired'; message: string };

const fail = (code: 'incomplete_signature' | 'invalid_signature' | 'signature_expired', message: string): V2Verdict => ({ ok: false, code, message });

/**
 * Checks a v2 signature: every signed header present and well formed, the HMAC (constant time),
 * then the timestamp within ±SIGNATURE_WINDOW_SECONDS of `nowMs`. Only a correctly signed request
 * learns that its timestamp was the problem. Pure apart from the HMAC.
 */
export function verifyV2(header: HeaderReader, body: Buffer, secret: string, purpose: SignaturePurpose, nowMs: number): V2Verdict {
  const value = (name: string) => header(name)?.trim() ?? '';
  const given = value(SIGNATURE_HEADERS.signature);
  const separator = given.indexOf('=');
  if (separator < 0 || given.slice(0, separator) !== SIGNATURE_VERSION || separator === given.length - 1)
    return fail('invalid_signature', `${SIGNATURE_HEADERS.signature} must be "v2=<base64 HMAC-SHA256>".`);
  const timestamp = value(SIGNATURE_HEADERS.timestamp);
  const eventId = value(SIGNATURE_HEADERS.eventId);
  const topic = value(SIGNATURE_HEADERS.topic);
  if (!/^\d{1,12}$/.test(timestamp)) return fail('incomplete_signature', `${SIGNATURE_HEADERS.timestamp} must be the Unix time in seconds.`);
  if (!EVENT_ID_PATTERN.test(eventId)) return fail('incomplete_signature', `${SIGNATURE_HEADERS.eventId} is missing or not an event id.`);
  if (!TOPIC_PATTERN.test(topic) || topic.length > MAX_TOPIC_LENGTH)
    return fail('incomplete_signature', `${SIGNATURE_HEADERS.topic} is missing or not a topic such as order.paid.`);

  const fields: SignedFields = { timestamp: Number(timestamp), eventId, topic };
  const expected = Buffer.from(signV2(secret, purpose, fields, body), 'utf8');
  const presented = Buffer.from(given, 'utf8');
  if (expected.length !== presented.length || !timingSafeEqual(expected, presented)) return fail('invalid_signature', 'The request signature does not match.');

  const skew = fields.timestamp - Math.floor(nowMs / 1000);
  if (skew < -SIGNATURE_WINDOW_SECONDS)
    return fail('signature_expired', `The signature is older than ${SIGNATURE_WINDOW_SECONDS} seconds; sign the request again.`);
  if (skew > SIGNATURE_WINDOW_SECONDS)
    return fail('signature_expired', `The signature is dated more than ${SIGNATURE_WINDOW_SECONDS} seconds ahead; check the sender's clock.`);
  return { ok: true, fields };
}
