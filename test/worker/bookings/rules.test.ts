import { describe, expect, it } from 'vitest';

import { parseBookingOrder, wallClockFromTimestamp, type BookingOrder } from '../../../worker/src/bookings/order';
import { partnerInput, productInputs, saleOrderInput } from '../../../worker/src/bookings/plan';
import { clientOrderRef, discountPercent, MissingEmailError, serviceProductCode, serviceProductName } from '../../../worker/src/bookings/rules';
import { PAID_AT, wcOrder } from './fixtures';

const rule = { enabled: true, threshold: 4, percent: 5 };
const slot = (persons: number, quantity = 1) => ({ itemId: 1, productId: 42, className: 'Yoga', start: '2026-12-01 18:30', end: null, persons, personTypes: [], bookingId: null, quantity, unitPrice: 10 });
const order = (slots: ReturnType<typeof slot>[], discount: number | null = null): BookingOrder => ({ id: 1, number: '1', email: 'a@example.com', name: 'A', phone: null, paidAt: '2026-11-20T10:00:00.000Z', slots, discountPercent: discount });

describe('volume discount rule', () => {
  it.each([
    ['3 persons in one class', [slot(3)], null, rule, 0],
    ['4 persons in one class', [slot(4)], null, rule, 5],
    ['2 persons × 2 quantity', [slot(2, 2)], null, rule, 5],
    ['4 classes of 1 person', [slot(1), slot(1), slot(1), slot(1)], null, rule, 5],
    ['3 classes of 1 person', [slot(1), slot(1), slot(1)], null, rule, 0],
    ['rule off', [slot(9)], null, { ...rule, enabled: false }, 0],
    ['threshold 10', [slot(9)], null, { ...rule, threshold: 10 }, 0],
    ['cart applied 7 %', [slot(1)], 7, rule, 7],
    ['cart applied nothing', [slot(9)], 0, rule, 0],
  ])('%s → %d %%', (_label, slots, applied, which, expected) => {
    expect(discountPercent(order(slots, applied), which)).toBe(expected);
  });
});

describe('service product naming', () => {
  it.each([
    ['en', 2, 'Yoga - 2026-12-01 18:30 (2 persons)'],
    ['en', 1, 'Yoga - 2026-12-01 18:30 (1 person)'],
    ['es', 3, 'Yoga - 2026-12-01 18:30 (3 personas)'],
    ['fa', 3, 'Yoga - 2026-12-01 18:30 (3 نفر)'],
  ] as const)('%s, %d persons', (locale, persons, expected) => {
    expect(serviceProductName(slot(persons), locale)).toBe(expected);
  });

  it('derives a stable internal reference from product, start and persons', () => {
    expect(serviceProductCode(slot(2))).toBe('WCB-42-202612011830-P2');
    expect(serviceProductCode(slot(3))).not.toBe(serviceProductCode(slot(2)));
    expect(clientOrderRef({ number: '1234' })).toBe('WC-1234');
  });
});

describe('parsing the order.paid body', () => {
  it('reads booking slots from line item meta_data', () => {
    const parsed = parseBookingOrder(wcOrder(55, { slots: [{ persons: 3, subtotal: '45.00' }, { name: 'Pilates', start: '2026-12-02 09:00', persons: 1 }] }));
    expect(parsed.kind).toBe('bookings');
    if (parsed.kind !== 'bookings') return;
    expect(parsed.order).toMatchObject({ id: 55, number: '55', email: 'ana55@example.com', name: 'Ana García', paidAt: PAID_AT.toISOString(), discountPercent: null });
    expect(parsed.order.slots).toEqual([
      expect.objectContaining({ className: 'Yoga Flow', start: '2026-12-01 18:30', persons: 3, unitPrice: 45, bookingId: 5000 }),
      expect.objectContaining({ className: 'Pilates', start: '2026-12-02 09:00', persons: 1, bookingId: 5001 }),
    ]);
  });

  it('falls back to YITH data alone (wall-clock timestamps, person type map)', () => {
    const parsed = parseBookingOrder(wcOrder(56, { slots: [{ yithOnly: true, persons: 4, start: '2026-12-03 07:15' }] }));
    expect(parsed.kind === 'bookings' && parsed.order.slots[0]).toMatchObject({ start: '2026-12-03 07:15', persons: 4, bookingId: 5000 });
    expect(wallClockFromTimestamp(Date.parse('2026-12-03T07:15:00Z') / 1000)).toBe('2026-12-03 07:15');
  });

  it.each([
    ['no booking items', wcOrder(57, { plainItems: true }), 'no_bookings'],
    ['a pending order', { ...wcOrder(61), status: 'pending' }, 'not_paid'],
    ['a cancelled order', { ...wcOrder(62), status: 'cancelled' }, 'not_paid'],
    ['a completed order', { ...wcOrder(63), status: 'completed' }, 'bookings'],
    ['an order without status', { ...wcOrder(64), status: undefined }, 'bookings'],
    ['not an order', { hello: 'world' }, 'invalid'],
    ['an array', [1, 2], 'invalid'],
    ['a negative id', { id: -3 }, 'invalid'],
  ])('classifies %s', (_label, payload, kind) => {
    expect(parseBookingOrder(payload).kind).toBe(kind);
  });

  it('keeps the discount the cart applied', () => {
    const parsed = parseBookingOrder(wcOrder(58, { discountPercent: 5 }));
    expect(parsed.kind === 'bookings' && parsed.order.discountPercent).toBe(5);
  });
});

describe('planning the Odoo records', () => {
  it('refuses an order without an email with a clear reason', () => {
    const parsed = parseBookingOrder(wcOrder(59, { email: null }));
    if (parsed.kind !== 'bookings') throw new Error('expected bookings');
    expect(() => partnerInput(parsed.order)).toThrow(MissingEmailError);
    expect(() => partnerInput(parsed.order)).toThrow(/no customer email/);
  });

  it('builds one product per slot and a sale order with discount on every line', () => {
    const parsed = parseBookingOrder(wcOrder(60, { slots: [{ persons: 2 }, { persons: 2 }, { persons: 1, start: '2026-12-05 10:00' }] }));
    if (parsed.kind !== 'bookings') throw new Error('expected bookings');
    const products = productInputs(parsed.order, 'en');
    expect(products.map((product) => product.defaultCode)).toEqual(['WCB-42-202612011830-P2', 'WCB-42-202612051000-P1']);
    const ids = new Map(products.map((product, index) => [product.defaultCode, 10 + index]));
    const input = saleOrderInput(parsed.order, 7, ids, rule, 'en');
    expect(input).toMatchObject({ partnerId: 7, clientOrderRef: 'WC-60', origin: 'WooCommerce #60' });
    expect(input.dateOrder.toISOString()).toBe(PAID_AT.toISOString());
    expect(input.lines.map((line) => [line.productId, line.quantity, line.priceUnit, line.discount])).toEqual([
      [10, 1, 30, 5],
      [10, 1, 30, 5],
      [11, 1, 30, 5],
    ]);
  });
});
