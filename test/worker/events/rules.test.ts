import { hash } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import type { SourceOrder } from '../../../worker/src/connectors/woocommerce-db/types';
import { fromCents, percentOf, splitCents, toCents } from '../../../worker/src/events/sync/money';
import { fingerprintSeed, formatDuration, isPaid, mapOrder, notifiesAttendees, ORDER_MAPPING_VERSION, tierName } from '../../../worker/src/events/rules';
import { dueSlot, latestSlot } from '../../../worker/src/events/sync/schedule';

const order = (overrides: Partial<SourceOrder> = {}): SourceOrder => ({
  id: 501,
  status: 'wc-completed',
  currency: 'COP',
  total: '238.00',
  tax: '38.00',
  createdAt: '2021-03-04T15:00:00.000Z',
  paidAt: '2021-03-04T15:05:00.000Z',
  billing: { firstName: 'Zoë', lastName: 'Núñez', email: 'zoe@example.com', phone: '' },
  items: [
    { id: 9, orderId: 501, name: 'VIP', productId: 10, variationId: 12, quantity: 2, subtotal: '200.00', total: '200.00', tax: '38.00' },
    { id: 8, orderId: 501, name: 'General', productId: 10, variationId: 11, quantity: 1, subtotal: '50.00', total: '50.00', tax: '9.50' },
  ],
  attendees: [],
  ...overrides,
});

describe('money', () => {
  it.each([
    ['12.345', 1235],
    ['12.344', 1234],
    ['-3.5', -350],
    ['100', 10000],
    ['abc', 0],
    ['0.005', 1],
    [' 7.5 ', 750],
    [7.5, 750],
    ['0012.30', 1230],
    ['1.999', 200],
    ['-12.345', -1235],
    ['99999999.995', 10_000_000_000],
    ['12.', 0],
    ['.5', 0],
    ['1e3', 0],
    ['1-2', 0],
  ])('toCents(%s) = %d', (input, cents) => expect(toCents(input)).toBe(cents));

  it.each([
    [10000, 750, 750],
    [333, 750, 25],
    [101, 50, 1],
    [-1000, 1000, -100],
  ])('percentOf(%d, %d bp) = %d', (cents, bp, fee) => expect(percentOf(cents, bp)).toBe(fee));

  it.each([
    [1000, 3, [334, 333, 333]],
    [5, 2, [3, 2]],
    [0, 2, [0, 0]],
  ])('splitCents(%d, %d) adds up', (cents, parts, expected) => {
    expect(splitCents(cents, parts)).toEqual(expected);
    expect(splitCents(cents, parts).reduce((a, b) => a + b, 0)).toBe(cents);
  });

  it('formats cents', () => expect([fromCents(1234), fromCents(-5), fromCents(0)]).toEqual(['12.34', '-0.05', '0.00']));
});

describe('rules', () => {
  it.each([
    ['wc-completed', ['wc-completed', 'wc-processing'], true],
    ['wc-processing', ['completed', 'processing'], true],
    ['wc-on-hold', ['wc-completed', 'wc-processing'], false],
    ['wc-refunded', ['wc-completed'], false],
    ['trash', ['wc-completed'], false],
  ])('isPaid(%s, %j) = %s', (status, paid, expected) => expect(isPaid(status, paid)).toBe(expected));

  it('maps a paid order to one ticket per unit with fee, billing attendee and the paid date', () => {
    const mapped = mapOrder(order(), { paidStatuses: ['wc-completed'], serviceFeePercentage: '10' });
    expect(mapped).toMatchObject({ status: 'active', subtotal: '250.00', tax: '47.50', serviceFee: '25.00', total: '322.50', buyerName: 'Zoë Núñez' });
    expect(mapped.tickets.map((ticket) => [ticket.itemId, ticket.sequence, ticket.price, ticket.serviceFee])).toEqual([
      [8, 1, '50.00', '5.00'],
      [9, 1, '100.00', '10.00'],
      [9, 2, '100.00', '10.00'],
    ]);
    expect(mapped.tickets.every((ticket) => ticket.issuedAt === '2021-03-04T15:05:00.000Z' && ticket.attendeeEmail === 'zoe@example.com')).toBe(true);
  });

  it('uses ticket-plugin attendees per product and variation, billing for the rest', () => {
    const mapped = mapOrder(
      order({ attendees: [{ ticketPostId: 1, productId: 10, variationId: 12, firstName: 'Ана', lastName: '', email: 'ana@example.org' }] }),
      { paidStatuses: ['wc-completed'], serviceFeePercentage: 0 },
    );
    expect(mapped.tickets.map((ticket) => ticket.attendeeEmail)).toEqual(['zoe@example.com', 'ana@example.org', 'zoe@example.com']);
    expect(mapped.tickets[1]?.attendeeName).toBe('Ана');
  });

  it('marks an unpaid order void, falls back to the created date, and hashes content', () => {
    const unpaid = mapOrder(order({ status: 'wc-cancelled', paidAt: null }), { paidStatuses: ['wc-completed'], serviceFeePercentage: 0 });
    expect(unpaid.status).toBe('void');
    expect(unpaid.tickets[0]?.issuedAt).toBe('2021-03-04T15:00:00.000Z');
    const same = mapOrder(order(), { paidStatuses: ['wc-completed'], serviceFeePercentage: 0 });
    const again = mapOrder(order(), { paidStatuses: ['wc-completed'], serviceFeePercentage: 0 });
    const changed = mapOrder(order({ billing: { firstName: 'Zoe', lastName: 'Núñez', email: 'zoe@example.com', phone: '' } }), {
      paidStatuses: ['wc-completed'],
      serviceFeePercentage: 0,
    });
    expect(same.hash).toBe(again.hash);
    expect(changed.hash).not.toBe(same.hash);
  });

  it('keeps the content hash of an unchanged order stable across releases (a new format would rewrite every stored order once)', () => {
    const mapped = mapOrder(order(), { paidStatuses: ['wc-completed'], serviceFeePercentage: 0 });
    expect(mapped.hash).toBe('3575a02724330df78bfe9cf975711880270a56f8ffd336550913a02dfa0c3097');
  });

  it.each([
    ['', 'Gala', 'Gala — VIP', true, 'Tickets Gala (Migrated from WooCommerce) — Gala — VIP'],
    ['Entradas {EventName}', 'Gala', 'Gala', false, 'Entradas Gala'],
    ['{EventName}: {ProductName}', 'Gala', 'VIP', true, 'Gala: VIP'],
  ])('tierName(%j)', (template, event, product, variation, expected) => expect(tierName(template, event, product, variation)).toBe(expected));

  it.each([
    [0, '00:00:00'],
    [61_000, '00:01:01'],
    [3_600_000 * 27 + 5_000, '27:00:05'],
  ])('formatDuration(%d) = %s', (ms, text) => expect(formatDuration(ms)).toBe(text));

  it.each([
    [false, false, true],
    [true, false, false],
    [false, true, false],
  ])('notifies (migrationMode=%s, configuration migration=%s) = %s', (migrationMode, configurationIsMigration, expected) =>
    expect(notifiesAttendees({ migrationMode, configurationIsMigration })).toBe(expected),
  );
});

describe('schedule', () => {
  const at = (iso: string) => new Date(iso);
  it.each([
    ['hourly', '2026-11-23T10:37:00Z', 'UTC', '2026-11-23T10:00:00.000Z'],
    ['daily', '2026-11-23T10:37:00Z', 'UTC', '2026-11-23T02:00:00.000Z'],
    ['daily', '2026-11-23T01:59:00Z', 'UTC', '2026-11-22T02:00:00.000Z'],
    ['daily', '2026-11-23T07:30:00Z', 'America/Bogota', '2026-11-23T07:00:00.000Z'],
    ['daily', '2026-11-23T06:59:00Z', 'America/Bogota', '2026-11-22T07:00:00.000Z'],
    ['weekly', '2026-11-25T12:00:00Z', 'UTC', '2026-11-23T02:00:00.000Z'],
    ['weekly', '2026-11-23T01:00:00Z', 'UTC', '2026-11-16T02:00:00.000Z'],
    ['monthly', '2026-11-23T12:00:00Z', 'UTC', '2026-11-01T02:00:00.000Z'],
    ['monthly', '2026-01-01T01:00:00Z', 'UTC', '2025-12-01T02:00:00.000Z'],
    // 02:00 does not exist on the spring-forward day: the slot is where the gap starts (02:00 CET).
    ['daily', '2026-03-29T03:00:00Z', 'Europe/Madrid', '2026-03-29T01:00:00.000Z'],
    ['daily', '2026-11-23T10:00:00Z', 'Asia/Tehran', '2026-11-22T22:30:00.000Z'],
  ] as const)('latestSlot(%s, %s, %s) = %s', (frequency, now, tz, expected) => {
    expect(latestSlot(frequency, at(now), tz)?.toISOString()).toBe(expected);
  });

  it('is due once per slot and never before the configuration existed', () => {
    const now = at('2026-11-23T10:37:00Z');
    expect(latestSlot('manual', now, 'UTC')).toBeNull();
    expect(dueSlot('hourly', now, 'UTC', null, at('2026-11-23T08:00:00Z'))?.toISOString()).toBe('2026-11-23T10:00:00.000Z');
    expect(dueSlot('hourly', now, 'UTC', at('2026-11-23T10:00:00Z'), at('2026-11-23T08:00:00Z'))).toBeNull();
    expect(dueSlot('daily', now, 'UTC', null, at('2026-11-23T09:00:00Z'))).toBeNull();
  });
});

describe('fingerprint seed', () => {
  const RULES = { paidStatuses: ['wc-completed', 'wc-processing'], serviceFeePercentage: '7.50' };

  it('is the same for the same rules however they are spelled, and differs when anything that maps an order differs', () => {
    const seed = fingerprintSeed(RULES, [10, 11, 12], 'America/Bogota');
    expect(
      fingerprintSeed({ paidStatuses: ['processing', 'WC-COMPLETED', 'wc-completed'], serviceFeePercentage: 7.5 }, [12, 10, 11, 10], 'America/Bogota'),
    ).toBe(seed);
    const others = [
      fingerprintSeed({ ...RULES, paidStatuses: ['wc-completed'] }, [10, 11, 12], 'America/Bogota'),
      fingerprintSeed({ ...RULES, serviceFeePercentage: '7.51' }, [10, 11, 12], 'America/Bogota'),
      fingerprintSeed(RULES, [10, 11], 'America/Bogota'),
      fingerprintSeed(RULES, [10, 11, 12], 'Europe/Madrid'),
    ];
    expect(new Set([seed, ...others]).size).toBe(5);
  });

  /**
   * Fingerprints stored under one ORDER_MAPPING_VERSION stand for mapOrder's output of that
   * version. If this digest moves, mapOrder maps an unchanged order differently: bump
   * ORDER_MAPPING_VERSION (so re-scans reload every order) and record the new digest beside it.
   */
  const MAPPING_DIGESTS: Record<number, string> = {
    1: '5b561bc64be7e7b3e974f13c66ee00ba01d738073fe2a5dc4143b4b1d3831581',
  };

  it('ORDER_MAPPING_VERSION moves whenever mapOrder output moves', () => {
    const base = order({ billing: { firstName: ' Zoë', lastName: 'Núñez ', email: ' zoe@example.com', phone: '' } });
    const orders: SourceOrder[] = [
      base,
      order({ status: 'wc-on-hold', paidAt: null }),
      order({
        items: [...base.items, { id: 7, orderId: 501, name: 'Gone', productId: 10, variationId: 11, quantity: 0, subtotal: '0', total: '0', tax: '0' }],
      }),
      order({
        attendees: [
          { ticketPostId: 70, productId: 10, variationId: 12, firstName: 'Ana', lastName: 'Pérez', email: 'ana@example.com' },
          { ticketPostId: null, productId: 10, variationId: 11, firstName: '', lastName: '', email: '' },
        ],
      }),
    ];
    const outputs = orders.flatMap((source) => [mapOrder(source, RULES), mapOrder(source, { ...RULES, serviceFeePercentage: 0 })]);
    expect(hash('sha256', JSON.stringify(outputs)), 'mapOrder output moved: bump ORDER_MAPPING_VERSION and record the digest').toBe(
      MAPPING_DIGESTS[ORDER_MAPPING_VERSION],
    );
  });
});
