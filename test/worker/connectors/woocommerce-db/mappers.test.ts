import { serialize } from 'php-serialize';
import { describe, expect, it } from 'vitest';

import { storeTimezone } from '../../../../worker/src/connectors/woocommerce-db/client';
import { sqlLocalToIso, sqlUtcToIso, unixToIso } from '../../../../worker/src/connectors/woocommerce-db/dates';
import { classifyDriverError, WooDbConfigError, WooDbSchemaError, WooDbUnavailableError } from '../../../../worker/src/connectors/woocommerce-db/errors';
import {
  attendeeFromTicketPost,
  attendeesFromOrderMeta,
  itemMatches,
  lineItemFromMeta,
  metaMap,
  netOfRefunds,
  refundedFromMeta,
} from '../../../../worker/src/connectors/woocommerce-db/mappers';
import { maybeUnserialize } from '../../../../worker/src/connectors/woocommerce-db/serialize';

describe('WooCommerce date formats', () => {
  it.each([
    ['2024-02-29 23:59:58', '2024-02-29T23:59:58.000Z'],
    ['0000-00-00 00:00:00', null],
    ['2024-02-29T23:59:58', '2024-02-29T23:59:58.000Z'],
    ['2024-02-29 23:59:58.123456', '2024-02-29T23:59:58.000Z'],
    ['2024-02-29', null],
    ['2024-2-29 23:59:58', null],
    ['', null],
    [null, null],
  ])('sqlUtcToIso(%j) = %j', (input, expected) => expect(sqlUtcToIso(input)).toBe(expected));

  it.each([
    ['2019-03-01 10:00:00', 'America/Bogota', '2019-03-01T15:00:00.000Z'],
    ['2019-07-01 10:00:00', 'Europe/Madrid', '2019-07-01T08:00:00.000Z'],
    ['2019-01-01 10:00:00', 'Europe/Madrid', '2019-01-01T09:00:00.000Z'],
    ['2019-01-01 10:00:00', '+03:30', '2019-01-01T06:30:00.000Z'],
    ['2019-01-01 10:00:00', '-05:00', '2019-01-01T15:00:00.000Z'],
  ])('sqlLocalToIso(%s, %s) = %s', (input, tz, expected) => expect(sqlLocalToIso(input, tz)).toBe(expected));

  it.each([
    ['1551448800', '2019-03-01T14:00:00.000Z'],
    ['0', null],
    ['2019-03-01', null],
  ])('unixToIso(%s) = %j', (input, expected) => expect(unixToIso(input)).toBe(expected));

  it.each([
    ['America/Bogota', '', 'America/Bogota'],
    ['', '-5', '-05:00'],
    [undefined, '3.5', '+03:30'],
    [undefined, undefined, '+00:00'],
  ])('storeTimezone(%j, %j) = %s', (name, offset, expected) => expect(storeTimezone(name, offset)).toBe(expected));
});

describe('WooCommerce meta mappers', () => {
  it('reads a line item and matches products and variations', () => {
    const item = lineItemFromMeta(
      { id: 3, orderId: 9, name: 'VIP' },
      { _product_id: '10', _variation_id: '12', _qty: '3', _line_total: '90.5', _line_tax: 'x' },
    );
    expect(item).toMatchObject({ productId: 10, variationId: 12, quantity: 3, total: '90.5', tax: '0' });
    expect(itemMatches(item, [10])).toBe(true);
    expect(itemMatches(item, [12])).toBe(true);
    expect(itemMatches({ productId: 20, variationId: 0 }, [10, 0])).toBe(false);
  });

  it('a repeated meta key reads as its newest row (highest meta id), in whatever order the rows come', () => {
    const rows = [
      { mid: 41, k: '_billing_email', v: 'new@example.com' },
      { mid: 7, k: '_billing_email', v: 'old@example.com' },
      { mid: '40', k: '_qty', v: '2' },
      { mid: '9', k: '_qty', v: '5' },
      { mid: 12, k: null, v: 'ignored' },
    ];
    for (const order of [rows, [...rows].reverse()]) {
      expect(Object.fromEntries(metaMap(order))).toEqual({ _billing_email: 'new@example.com', _qty: '2' });
    }
    // Rows without their meta id are taken to be in meta id order: the last wins.
    expect(
      metaMap([
        { k: '_qty', v: '1' },
        { k: '_qty', v: '3' },
      ]).get('_qty'),
    ).toBe('3');
  });

  it('unserializes PHP values like maybe_unserialize, multibyte lengths included', () => {
    expect(maybeUnserialize(serialize({ a: 'José', b: [1, 2] }))).toEqual({ a: 'José', b: [1, 2] });
    expect(maybeUnserialize('plain text')).toBe('plain text');
    expect(maybeUnserialize('a:1:{broken')).toBe('a:1:{broken');
  });

  it('reads FooEvents attendees from serialized order meta and from ticket posts', () => {
    const meta = serialize({
      1: {
        1: {
          WooCommerceEventsProductID: '10',
          WooCommerceEventsVariationID: '11',
          WooCommerceEventsAttendeeName: 'محمد',
          WooCommerceEventsAttendeeLastName: 'رضایی',
          WooCommerceEventsAttendeeEmail: 'm@example.ir',
        },
        2: { nope: true },
      },
    });
    expect(attendeesFromOrderMeta(meta)).toEqual([
      { ticketPostId: null, productId: 10, variationId: 11, firstName: 'محمد', lastName: 'رضایی', email: 'm@example.ir' },
    ]);
    expect(attendeesFromOrderMeta('not serialized')).toEqual([]);
    expect(
      attendeeFromTicketPost(
        5,
        metaMap([
          { k: 'WooCommerceEventsProductID', v: '10' },
          { k: 'WooCommerceEventsAttendeeEmail', v: ' a@b.c ' },
        ]),
      ),
    ).toMatchObject({ ticketPostId: 5, productId: 10, variationId: 0, email: 'a@b.c' });
    expect(attendeeFromTicketPost(6, metaMap([]))).toBeNull();
  });
});

describe('driver error classes', () => {
  it.each([
    [{ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }, WooDbUnavailableError, true],
    [{ code: 'PROTOCOL_SEQUENCE_TIMEOUT', message: 'Query inactivity timeout' }, WooDbUnavailableError, true],
    [{ code: 'ER_ACCESS_DENIED_ERROR', message: 'Access denied' }, WooDbConfigError, false],
    [{ code: 'ER_NO_SUCH_TABLE', message: "Table 'x.wp_posts' doesn't exist" }, WooDbSchemaError, false],
  ])('%j → %s', (input, kind, retryable) => {
    const error = classifyDriverError(input);
    expect(error).toBeInstanceOf(kind);
    expect((error as WooDbUnavailableError).retryable).toBe(retryable);
  });
  it('passes unknown errors through', () => {
    const error = new Error('boom');
    expect(classifyDriverError(error)).toBe(error);
  });
});

describe('refunds', () => {
  const item = { id: 3, orderId: 9, name: 'Ticket', productId: 10, variationId: 0, quantity: 3, subtotal: '75.00', total: '75.00', tax: '0' };
  const line = (qty: string, total: string, tax = '0') =>
    new Map([
      ['_qty', qty],
      ['_line_total', total],
      ['_line_tax', tax],
    ]);

  it.each([
    ['no refund', undefined, { quantity: 3, total: '75.00', tax: '0' }],
    ['one ticket refunded (negative line, as WooCommerce stores it)', refundedFromMeta([line('-1', '-25.00')]), { quantity: 2, total: '50.00', tax: '0' }],
    ['two partial refunds add up', refundedFromMeta([line('-1', '-25.00'), line('-1', '-25.00', '-1.5')]), { quantity: 1, total: '25.00', tax: '-1.5' }],
    ['refunded more than bought stays at zero', refundedFromMeta([line('-5', '-75.00')]), { quantity: 0, total: '0.00', tax: '0' }],
  ])('%s', (_name, refunded, expected) => {
    expect(netOfRefunds(item, refunded)).toMatchObject(expected);
  });
});
