import { describe, expect, it } from 'vitest';

import { limiterFor } from '../../../../worker/src/connectors/siigo/config';
import {
  errorForResponse,
  SiigoAuthError,
  SiigoRateLimitError,
  SiigoRequestError,
  SiigoUnavailableError,
} from '../../../../worker/src/connectors/siigo/errors';
import { changedAtOf, quantityFor, siigoDateTime } from '../../../../worker/src/connectors/siigo/mappers';

describe('errorForResponse decides retry', () => {
  const body = (code: string) => ({ Status: 0, Errors: [{ Code: code, Message: 'm' }] });
  it.each([
    [429, body('requests_limit'), SiigoRateLimitError, true],
    [400, body('requests_limit'), SiigoRateLimitError, true],
    [401, body('unauthorized'), SiigoAuthError, false],
    [403, body('forbidden'), SiigoAuthError, false],
    [500, body('unhandled_error'), SiigoUnavailableError, true],
    [503, body('service_unavailable'), SiigoUnavailableError, true],
    [504, null, SiigoUnavailableError, true],
    [408, body('request_timeout'), SiigoUnavailableError, true],
    [400, body('parameter_required'), SiigoRequestError, false],
    [404, body('not_found'), SiigoRequestError, false],
  ])('%i %j → %s', (status, payload, kind, retryable) => {
    const error = errorForResponse(status, payload, null);
    expect(error).toBeInstanceOf(kind);
    expect(error.retryable).toBe(retryable);
  });

  it('reads the 429 body without an Errors array and Retry-After', () => {
    const error = errorForResponse(429, { Status: '429', Message: 'too many' }, '7');
    expect(error).toBeInstanceOf(SiigoRateLimitError);
    expect((error as SiigoRateLimitError).retryAfterMs).toBe(7_000);
    expect(error.message).toContain('too many');
  });
});

describe('limiterFor keeps every sliding window under the limit', () => {
  it.each([
    [100, 60_000],
    [10, 60_000],
    [5, 1_000],
    [1, 60_000],
    [3, 60_000],
    [1_000, 60_000],
  ])('limit %i per %i ms', (limit, windowMs) => {
    const { max, duration } = limiterFor(limit, windowMs);
    expect(max).toBeGreaterThanOrEqual(1);
    // A sliding window overlaps at most ceil(windowMs / duration) + 1 fixed windows… bounded by the limit.
    const windows = max === 1 && duration > windowMs ? 1 : Math.floor(windowMs / duration) + 1;
    expect(max * windows).toBeLessThanOrEqual(limit);
  });
});

describe('quantityFor', () => {
  const product = {
    stock_control: true,
    active: true,
    available_quantity: 12,
    warehouses: [
      { id: '1', name: 'A', quantity: 7 },
      { id: '2', name: 'B', quantity: 5 },
    ],
  };
  it.each([
    ['all warehouses', product, [], 12],
    ['one warehouse', product, ['2'], 5],
    ['two warehouses', product, ['1', '2'], 12],
    ['unknown warehouse', product, ['9'], 0],
    ['no stock control', { ...product, stock_control: false }, [], null],
    ['inactive = not sellable', { ...product, active: false }, [], 0],
    ['negative floored', { ...product, available_quantity: -3 }, [], 0],
    ['fractional rounded down', { ...product, available_quantity: 2.7 }, [], 2],
  ])('%s', (_name, input, warehouses, expected) => {
    expect(quantityFor(input, warehouses)).toBe(expected);
  });
});

describe('dates', () => {
  it('takes the latest change time and formats updated_start', () => {
    expect(changedAtOf(['2026-01-01T00:00:00Z', null, '2026-01-02T00:00:00Z', 'garbage'])).toBe(Date.parse('2026-01-02T00:00:00Z'));
    expect(changedAtOf([null, undefined])).toBeNull();
    expect(siigoDateTime(Date.parse('2026-03-04T05:06:07.890Z'))).toBe('2026-03-04T05:06:07Z');
  });
});
