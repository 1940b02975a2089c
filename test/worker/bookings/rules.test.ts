import { describe, expect, it } from 'vitest';

import { parseBookingOrder, wallClockFromTimestamp, type BookingOrder } from '../../../worker/src/bookings/orders/parse';
import { partnerInput, productInputs, saleOrderInput } from '../../../worker/src/bookings/odoo/plan';
import {
  clientOrderRef,
  discountFromFees,
  discountPercent,
  MissingEmailError,
  serviceProductCode,
  serviceProductName,
} from '../../../worker/src/bookings/rules';
import { PAID_AT, wcOrder } from './fixtures';

const slot = (persons: number, quantity = 1) => ({
  itemId: 1,
  productId: 42,
  className: 'Yoga',
  start: '2026-12-01 18:30',
  end: null,
  persons,
  personTypes: [],
  bookingId: null,
  quantity,
  unitPrice: 10,
  subtotal: 10 * quantity,
  subtotalTax: 0,
  taxRateIds: [] as number[],
});
const order = (slots: ReturnType<typeof slot>[], discount: number | null = null): BookingOrder => ({
  id: 1,
  number: '1',
  email: 'a@example.com',
  name: 'A',
  phone: null,
  paidAt: '2026-11-20T10:00:00.000Z',
  slots,
  discountPercent: discount,
  currency: null,
  pricesIncludeTax: false,
  taxRates: [],
  fees: [],
  total: null,
  totalTax: null,
});

describe('volume discount: the one the customer was charged, never recomputed', () => {
  it.each([
    ['4 persons, nothing travelled with the order', [slot(4)], null, 0],
    ['4 classes, nothing travelled with the order', [slot(1), slot(1), slot(1), slot(1)], null, 0],
    ['the cart applied 7 % to 1 person', [slot(1)], 7, 7],
    ['the cart applied nothing to 9 persons', [slot(9)], 0, 0],
    ['an out-of-range value is clamped', [slot(1)], 140, 100],
  ])('%s → %d %%', (_label, slots, applied, expected) => {
    expect(discountPercent(order(slots, applied))).toBe(expected);
  });

  it.each([
    ['a 5 % discount fee on 40.00', [{ total: -2 }], [slot(1, 4)], 5],
    ['two negative fees add up', [{ total: -1 }, { total: -1 }], [slot(1, 4)], 5],
    ['a positive fee is not a discount', [{ total: 3 }], [slot(1, 4)], 0],
    ['no fees', [], [slot(4)], 0],
    ['7.5 % of 33.33 rounds to two decimals', [{ total: -2.5 }], [{ ...slot(1), unitPrice: 33.33 }], 7.5],
    ['no subtotal', [{ total: -2 }], [{ ...slot(1), unitPrice: 0 }], 0],
  ])('from fee lines: %s → %d %%', (_label, fees, slots, expected) => {
    expect(discountFromFees(fees, slots)).toBe(expected);
  });

  it('reads the cart decision first, then the fee lines, from a webhook payload', () => {
    const withMeta = parseBookingOrder({
      ...wcOrder(61, { slots: [{ persons: 4 }], discountPercent: 0 }),
      fee_lines: [{ name: 'Volume discount (5%)', total: '-1.50' }],
    });
    expect(withMeta.kind === 'bookings' && withMeta.order.discountPercent).toBe(0);
    const fromFees = parseBookingOrder({ ...wcOrder(62, { slots: [{ persons: 4 }] }), fee_lines: [{ name: 'Volume discount (5%)', total: '-1.50' }] });
    expect(fromFees.kind === 'bookings' && fromFees.order.discountPercent).toBe(5);
    const neither = parseBookingOrder(wcOrder(63, { slots: [{ persons: 4 }] }));
    expect(neither.kind === 'bookings' && discountPercent(neither.order)).toBe(0);
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
    const parsed = parseBookingOrder(
      wcOrder(55, {
        slots: [
          { persons: 3, subtotal: '45.00' },
          { name: 'Pilates', start: '2026-12-02 09:00', persons: 1 },
        ],
      }),
    );
    expect(parsed.kind).toBe('bookings');
    if (parsed.kind !== 'bookings') return;
    expect(parsed.order).toMatchObject({
      id: 55,
      number: '55',
      email: 'ana55@example.com',
      name: 'Ana García',
      paidAt: PAID_AT.toISOString(),
      discountPercent: null,
    });
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
    const parsed = parseBookingOrder(wcOrder(60, { slots: [{ persons: 2 }, { persons: 2 }, { persons: 1, start: '2026-12-05 10:00' }], discountPercent: 5 }));
    if (parsed.kind !== 'bookings') throw new Error('expected bookings');
    const products = productInputs(parsed.order, 'en');
    expect(products.map((product) => product.defaultCode)).toEqual(['WCB-42-202612011830-P2', 'WCB-42-202612051000-P1']);
    const ids = new Map(products.map((product, index) => [product.defaultCode, 10 + index]));
    const input = saleOrderInput(parsed.order, 7, ids, 'en');
    expect(input).toMatchObject({ partnerId: 7, clientOrderRef: 'WC-60', origin: 'WooCommerce #60' });
    expect(input.dateOrder.toISOString()).toBe(PAID_AT.toISOString());
    expect(input.lines.map((line) => [line.productId, line.quantity, line.priceUnit, line.discount])).toEqual([
      [10, 1, 30, 5],
      [10, 1, 30, 5],
      [11, 1, 30, 5],
    ]);
  });
});
