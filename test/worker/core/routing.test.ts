import { describe, expect, it } from 'vitest';

import { queuesForTopic, topicMatches } from '../../../worker/src/core/intake/routing';
import { isWooCommercePing } from '../../../worker/src/core/intake/handler';
import { unsignedTopic } from '../../../worker/src/core/intake/topic';

describe('topic routing', () => {
  it.each([
    ['order.paid', 'order.paid', true],
    ['order.*', 'order.paid', true],
    ['order.*', 'order.refunded', true],
    ['order.*', 'product.updated', false],
    ['order.paid', 'order.updated', false],
    ['order.*', 'orders.paid', false],
  ])('%s matches %s → %s', (pattern, topic, expected) => {
    expect(topicMatches(pattern, topic)).toBe(expected);
  });

  it('fans out to every subscribed queue once and defaults to maintenance', () => {
    const subs = [
      { queue: 'events' as const, topics: ['order.paid'] },
      { queue: 'bookings' as const, topics: ['order.*', 'order.paid'] },
      { queue: 'products' as const, topics: ['product.*'] },
    ];
    expect(queuesForTopic('order.paid', subs)).toEqual(['events', 'bookings']);
    expect(queuesForTopic('product.deleted', subs)).toEqual(['products']);
    expect(queuesForTopic('coupon.created', subs)).toEqual(['maintenance']);
  });
});

describe('intake helpers', () => {
  it.each([
    // [X-WC-Webhook-Topic, payload status, routed topic]: the payload decides "paid", the header never escalates.
    ['order.updated', 'processing', 'order.paid'],
    ['order.created', 'completed', 'order.paid'],
    ['order.updated', 'wc-completed', 'order.paid'],
    [undefined, 'processing', 'order.paid'],
    ['order.paid', 'pending', 'order.updated'],
    ['order.paid', 'on-hold', 'order.updated'],
    ['order.paid', undefined, 'order.updated'],
    ['ORDER.PAID', 'failed', 'order.updated'],
    ['order.updated', 'cancelled', 'order.updated'],
    [undefined, undefined, 'order.updated'],
    ['order.deleted', undefined, 'order.deleted'],
    ['product.updated', 'processing', 'product.updated'],
    ['action.woocommerce_payment_complete', undefined, 'action.woocommerce_payment_complete'],
  ])('unsigned topic %s on an order with status %s → %s', (claimed, status, expected) => {
    expect(unsignedTopic(claimed, status === undefined ? { id: 1 } : { id: 1, status })).toEqual({ ok: true, topic: expected });
  });

  it('refuses an unsigned topic that is not a topic', () => {
    expect(unsignedTopic('DROP TABLE', { id: 1, status: 'processing' })).toEqual({ ok: false, given: 'drop table' });
  });

  it('recognises only the WooCommerce ping form body', () => {
    expect(isWooCommercePing('application/x-www-form-urlencoded', Buffer.from('webhook_id=12'))).toBe(true);
    expect(isWooCommercePing('application/json', Buffer.from('webhook_id=12'))).toBe(false);
    expect(isWooCommercePing('application/x-www-form-urlencoded', Buffer.from('webhook_id=12&x=1'))).toBe(false);
  });
});
