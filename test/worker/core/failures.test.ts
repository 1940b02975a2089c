import { UnrecoverableError } from 'bullmq';
import { describe, expect, it } from 'vitest';

import { EmbeddingsPermanentError, EmbeddingsRetryableError } from '../../../worker/src/connectors/embeddings';
import { OdooAccessDeniedError, OdooUnavailableError, OdooValidationError } from '../../../worker/src/connectors/odoo/errors';
import { SiigoAuthError, SiigoRateLimitError, SiigoRequestError, SiigoUnavailableError } from '../../../worker/src/connectors/siigo/errors';
import { StoreRejectedError, StoreUnavailableError } from '../../../worker/src/connectors/store/errors';
import { WooDbSchemaError, WooDbUnavailableError } from '../../../worker/src/connectors/woocommerce-db/errors';
import { isConnectorError, isFinalAttempt, isPermanent, parseRetryAfter, peerHttpError, PermanentFailure, toJobError } from '../../../worker/src/core/failures';
import { HttpError } from '../../../worker/src/core/http/errors';

describe('every connector error family implements the ConnectorError contract', () => {
  it.each([
    ['embeddings retryable', new EmbeddingsRetryableError('503', 503, 2_000), true],
    ['embeddings permanent', new EmbeddingsPermanentError('401', 401), false],
    ['odoo unavailable', new OdooUnavailableError('down'), true],
    ['odoo validation', new OdooValidationError('bad field', 2), false],
    ['odoo access denied', new OdooAccessDeniedError('wrong key'), false],
    ['siigo unavailable', new SiigoUnavailableError('timeout'), true],
    ['siigo rate limit', new SiigoRateLimitError('slow down', 7_000), true],
    ['siigo auth', new SiigoAuthError('blocked', 401), false],
    ['siigo request', new SiigoRequestError('bad parameter', 400), false],
    ['store unavailable', new StoreUnavailableError('502', 502), true],
    ['store rejected', new StoreRejectedError('bad signature', 401), false],
    ['store database unreachable', new WooDbUnavailableError('refused'), true],
    ['not a store database', new WooDbSchemaError('no wc tables'), false],
  ])('%s', (_label, error, retryable) => {
    expect(isConnectorError(error)).toBe(true);
    expect(error.retryable).toBe(retryable);
    expect(isPermanent(error)).toBe(!retryable);
    // Their own names, not BullMQ's: the class says what failed.
    expect(error.name).not.toBe('UnrecoverableError');
  });

  it('plain errors and non-errors are not connector errors, and not permanent', () => {
    expect(isConnectorError(new Error('x'))).toBe(false);
    expect(isConnectorError({ retryable: false, message: 'shaped, not an Error' })).toBe(false);
    expect(isPermanent(new Error('x'))).toBe(false);
    expect(isPermanent('a string')).toBe(false);
  });
});

describe('permanent failures', () => {
  it('a domain failure, BullMQ’s own class and an error named like it are permanent', () => {
    class MissingThing extends PermanentFailure {}
    expect(new MissingThing('no email').name).toBe('MissingThing');
    expect(isPermanent(new MissingThing('no email'))).toBe(true);
    expect(isPermanent(new UnrecoverableError('stop'))).toBe(true);
    const named = new Error('from another copy of bullmq');
    named.name = 'UnrecoverableError';
    expect(isPermanent(named)).toBe(true);
  });

  it('toJobError turns a permanent error into UnrecoverableError with its message and cause, and leaves the rest', () => {
    const validation = new OdooValidationError('Odoo rejected sale.order.create: bad tax', 2);
    const mapped = toJobError(validation);
    expect(mapped).toBeInstanceOf(UnrecoverableError);
    expect((mapped as Error).message).toBe(validation.message);
    expect((mapped as Error).cause).toBe(validation);
    const transient = new OdooUnavailableError('down', 5_000);
    expect(toJobError(transient)).toBe(transient);
    const plain = new Error('bug');
    expect(toJobError(plain)).toBe(plain);
    const already = new UnrecoverableError('x');
    expect(toJobError(already)).toBe(already);
  });
});

describe('isFinalAttempt', () => {
  const job = (attemptsMade: number, attempts?: number) => ({ attemptsMade, opts: attempts === undefined ? {} : { attempts } });
  it.each([
    ['first of three', job(0, 3), undefined, false],
    ['second of three', job(1, 3), undefined, false],
    ['third of three', job(2, 3), undefined, true],
    ['no attempts option means one', job(0), undefined, true],
    ['a permanent error ends it early', job(0, 3), new StoreRejectedError('401', 401), true],
    ['a retryable error does not', job(0, 3), new StoreUnavailableError('503', 503), false],
  ])('%s', (_label, state, error, expected) => {
    expect(isFinalAttempt(state, error)).toBe(expected);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it.each([
    ['seconds', '3', 3_000],
    ['zero', '0', 0],
    ['fractional seconds', '0.25', 250],
    ['an HTTP date', 'Thu, 01 Jan 2026 00:00:10 GMT', 10_000],
    ['a date in the past', 'Wed, 31 Dec 2025 23:00:00 GMT', 0],
    ['garbage', 'soon', null],
    ['empty', '', null],
    ['absent', null, null],
  ])('%s', (_label, value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});

describe('peerHttpError', () => {
  it('503 when another try can help, 502 when the peer refused, in our words', () => {
    const retry = peerHttpError(new EmbeddingsRetryableError('HTTP 503: upstream secret detail', 503), 'embeddings_unavailable', 'Try again.');
    expect(retry).toBeInstanceOf(HttpError);
    expect(retry).toMatchObject({ status: 503, code: 'embeddings_unavailable', message: 'Try again.' });
    expect(peerHttpError(new EmbeddingsPermanentError('HTTP 401', 401), 'embeddings_unavailable', 'No.')).toMatchObject({ status: 502 });
  });

  it('anything else passes through for the app’s 500', () => {
    const bug = new TypeError('undefined is not a function');
    expect(peerHttpError(bug, 'x', 'y')).toBe(bug);
  });
});
