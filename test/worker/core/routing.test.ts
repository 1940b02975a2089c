import { describe, expect, it } from 'vitest';

import { queuesForTopic, topicMatches } from '../../../worker/src/core/intake/routing';
import { eventIdFor, isWooCommercePing } from '../../../worker/src/core/intake/handler';

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
  const headers = (values: Record<string, string>) => (name: string): string | undefined => values[name.toLowerCase()];

  it('prefers our event id, then WooCommerce delivery ids, then the body hash', () => {
    const body = Buffer.from('{}');
    expect(eventIdFor(headers({ 'x-synchub-event-id': 'abc' }), body)).toBe('abc');
    expect(eventIdFor(headers({ 'x-wc-webhook-id': '7', 'x-wc-webhook-delivery-id': '99' }), body)).toBe('wc-7-99');
    expect(eventIdFor(headers({}), body)).toMatch(/^sha256-[0-9a-f]{64}$/);
  });

  it('recognises only the WooCommerce ping form body', () => {
    expect(isWooCommercePing('application/x-www-form-urlencoded', Buffer.from('webhook_id=12'))).toBe(true);
    expect(isWooCommercePing('application/json', Buffer.from('webhook_id=12'))).toBe(false);
    expect(isWooCommercePing('application/x-www-form-urlencoded', Buffer.from('webhook_id=12&x=1'))).toBe(false);
  });
});
