import { describe, expect, it } from 'vitest';

import type { StockReading } from '../../../worker/src/connectors/siigo/mappers';
import {
  isStaleNotification,
  latestPerCode,
  pageCount,
  planChanges,
  previousQuantity,
  sweepStart,
  webhookDedupeKey,
  type LedgerEntry,
} from '../../../worker/src/stock/rules';

const reading = (code: string, quantity: number | null, changedAt: number | null = 1_000): StockReading => ({
  siigoId: `id-${code}`,
  code,
  name: code,
  quantity,
  warehouses: [],
  changedAt,
});
const entry = (code: string, quantity: number | null, siigoChangedAt: number | null = 1_000): LedgerEntry => ({ code, quantity, siigoChangedAt });

describe('planChanges', () => {
  it.each([
    ['new product → changed', [reading('A', 5)], [], { changed: ['A'], unchanged: [], stale: [] }],
    ['same quantity → unchanged', [reading('A', 5)], [entry('A', 5)], { changed: [], unchanged: ['A'], stale: [] }],
    ['new quantity → changed', [reading('A', 6, 2_000)], [entry('A', 5)], { changed: ['A'], unchanged: [], stale: [] }],
    ['older reading → stale', [reading('A', 6, 500)], [entry('A', 5, 1_000)], { changed: [], unchanged: [], stale: ['A'] }],
    ['no stock control → unchanged', [reading('A', null)], [], { changed: [], unchanged: ['A'], stale: [] }],
    ['reading without a time is not stale', [reading('A', 6, null)], [entry('A', 5)], { changed: ['A'], unchanged: [], stale: [] }],
    ['same code twice → newest wins', [reading('A', 1, 2_000), reading('A', 9, 3_000)], [entry('A', 5)], { changed: ['A'], unchanged: [], stale: [] }],
  ])('%s', (_name, readings, ledger, expected) => {
    const plan = planChanges(readings, new Map(ledger.map((item) => [item.code, item])));
    expect({
      changed: plan.changed.map((change) => change.reading.code),
      unchanged: plan.unchanged.map((item) => item.code),
      stale: plan.stale.map((item) => item.code),
    }).toEqual(expected);
  });

  it.each([
    ['unknown SKU, same quantity, daily full sweep → retried', { wooStatus: 'unknown_sku' as const }, true, ['A']],
    ['not managed, same quantity, daily full sweep → retried', { wooStatus: 'not_managed' as const }, true, ['A']],
    ['unknown SKU, same quantity, incremental sweep → left', { wooStatus: 'unknown_sku' as const }, false, []],
    ['updated, same quantity, full sweep → left', { wooStatus: 'updated' as const }, true, []],
  ])('%s', (_name, status, retryUnsynced, expected) => {
    const plan = planChanges([reading('A', 5)], new Map([['A', { ...entry('A', 5), ...status }]]), { retryUnsynced });
    expect(plan.changed.map((change) => change.reading.code)).toEqual(expected);
  });

  it('carries the old quantity and the newest reading', () => {
    const plan = planChanges([reading('A', 1, 2_000), reading('A', 9, 3_000)], new Map([['A', entry('A', 5)]]));
    expect(plan.changed[0]?.oldQuantity).toBe(5);
    expect(plan.changed[0]?.reading.quantity).toBe(9);
  });
});

describe('small rules', () => {
  it('latestPerCode keeps one reading per code', () => {
    expect(latestPerCode([reading('A', 1, 5), reading('B', 2), reading('A', 3, 4)]).map((item) => [item.code, item.quantity])).toEqual([
      ['A', 1],
      ['B', 2],
    ]);
  });

  it.each([
    [{ full: true, cursor: 10_000, skewMs: 100 }, null],
    [{ full: false, cursor: null, skewMs: 100 }, null],
    [{ full: false, cursor: 10_000, skewMs: 100 }, 9_900],
    [{ full: false, cursor: 50, skewMs: 100 }, 0],
  ])('sweepStart %j → %j', (input, expected) => {
    expect(sweepStart(input)).toBe(expected);
  });

  it.each([
    [0, 100, 1],
    [100, 100, 1],
    [101, 100, 2],
    [10_000, 100, 100],
  ])('pageCount(%i, %i) = %i', (total, size, expected) => {
    expect(pageCount(total, size)).toBe(expected);
  });

  it('dedupe keys: same product + time collide, a new time or body does not', () => {
    const base = { siigoId: 'p1', topic: 't', changedAt: 5, bodyHash: 'aaa' };
    expect(webhookDedupeKey(base)).toBe(webhookDedupeKey({ ...base, bodyHash: 'bbb' }));
    expect(webhookDedupeKey(base)).not.toBe(webhookDedupeKey({ ...base, changedAt: 6 }));
    expect(webhookDedupeKey({ ...base, changedAt: null })).not.toBe(webhookDedupeKey({ ...base, changedAt: null, bodyHash: 'bbb' }));
  });

  it.each([
    [500, entry('A', 1, 1_000), true],
    [1_000, entry('A', 1, 1_000), false],
    [null, entry('A', 1, 1_000), false],
    [500, undefined, false],
    [500, entry('A', 1, null), false],
  ])('isStaleNotification(%j, %j) = %j', (changedAt, ledger, expected) => {
    expect(isStaleNotification(changedAt, ledger)).toBe(expected);
  });
});

describe('previousQuantity', () => {
  it.each([
    ['the plugin said what WooCommerce held', { status: 'updated' as const, previous_quantity: 3 }, null, 3],
    ['the plugin wins over the last SIIGO reading', { status: 'updated' as const, previous_quantity: 3 }, 12, 3],
    ['no answer (older plugin) → the ledger', { status: 'updated' as const, previous_quantity: null }, 7, 7],
    ['not managed → the ledger', { status: 'not_managed' as const, previous_quantity: 4 }, null, null],
  ])('%s', (_name, result, ledger, expected) => {
    expect(previousQuantity(result, ledger)).toBe(expected);
  });
});
