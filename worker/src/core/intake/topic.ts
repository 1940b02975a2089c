import { MAX_TOPIC_LENGTH, TOPIC_PATTERN } from '../signing';

export const PAID_TOPIC = 'order.paid';
/** What a WooCommerce order webhook without a usable topic is taken for. */
export const DEFAULT_ORDER_TOPIC = 'order.updated';
/** WooCommerce's own paid statuses (`wc_get_is_paid_statuses()` without filters). */
export const PAID_STATUSES = ['processing', 'completed'] as const;

export const isValidTopic = (topic: string): boolean => TOPIC_PATTERN.test(topic) && topic.length <= MAX_TOPIC_LENGTH;

/** Whether the order JSON says, by its own `status`, that it is paid. No status is not paid. */
export function payloadIsPaid(payload: Record<string, unknown>): boolean {
  const status = payload.status;
  return typeof status === 'string' && (PAID_STATUSES as readonly string[]).includes(status.trim().toLowerCase().replace(/^wc-/, ''));
}

export type TopicDecision = { ok: true; topic: string } | { ok: false; given: string };

/**
 * The topic an event is routed under when nobody signed its topic (a body-only signature, as
 * WooCommerce's native webhooks send). The header is a hint that can be swapped freely on a
 * replayed body, so whether the order is paid comes from the payload: a paid order under any
 * `order.*` topic (or none) is `order.paid`, and `order.paid` on an order that is not paid is only
 * `order.updated`. Other topics are kept (they route to nothing that acts: see routing.ts). Pure.
 */
export function unsignedTopic(claimed: string | undefined, payload: Record<string, unknown>): TopicDecision {
  const given = claimed?.trim().toLowerCase() ?? '';
  if (given !== '' && !isValidTopic(given)) return { ok: false, given: given.slice(0, MAX_TOPIC_LENGTH) };
  const orderTopic = given === '' || given.startsWith('order.');
  if (orderTopic && payloadIsPaid(payload)) return { ok: true, topic: PAID_TOPIC };
  if (given === '' || given === PAID_TOPIC) return { ok: true, topic: DEFAULT_ORDER_TOPIC };
  return { ok: true, topic: given };
}
