import { parseRetryAfter } from '../../core/failures';

/**
 * Typed failures of the SIIGO connector. Each says whether retrying can help, like BullMQ's
 * UnrecoverableError / RateLimitError / DelayedError.
 */
export abstract class SiigoError extends Error {
  abstract readonly retryable: boolean;
  /** Whether the breaker counts it (errors SIIGO would count towards blocking the API user). */
  abstract readonly countsAsFailure: boolean;
  constructor(
    message: string,
    readonly status: number | null = null,
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Network error, timeout, 5xx: try again later. */
export class SiigoUnavailableError extends SiigoError {
  readonly retryable = true;
  readonly countsAsFailure = true;
}

/** 429 `requests_limit`; `retryAfterMs` from Retry-After when SIIGO sends it. */
export class SiigoRateLimitError extends SiigoError {
  readonly retryable = true;
  readonly countsAsFailure = true;
  constructor(
    message: string,
    readonly retryAfterMs: number | null,
  ) {
    super(message, 429, 'requests_limit');
  }
}

/** Wrong API user / access key, or the user is blocked: retrying makes it worse. */
export class SiigoAuthError extends SiigoError {
  readonly retryable = false;
  readonly countsAsFailure = true;
}

/** 4xx other than 401/429 (bad parameter, not found, missing Partner-Id…). */
export class SiigoRequestError extends SiigoError {
  readonly retryable = false;
  readonly countsAsFailure = false;
}

/** The breaker is open: no call was made. */
export class SiigoCircuitOpenError extends SiigoError {
  readonly retryable = true;
  readonly countsAsFailure = false;
  constructor(readonly retryAfterMs: number) {
    super(`SIIGO calls are paused after repeated failures; next probe in ${Math.ceil(retryAfterMs / 1000)} s`, null, 'circuit_open');
  }
}

/** SIIGO answered 2xx with a body that does not have the documented shape. */
export class SiigoProtocolError extends SiigoError {
  readonly retryable = false;
  readonly countsAsFailure = false;
}

/** Serialisable form, so an error can travel back through the rate-limited call queue. */
export interface SiigoErrorData {
  kind: 'unavailable' | 'rate_limit' | 'auth' | 'request' | 'circuit_open' | 'protocol';
  message: string;
  status: number | null;
  code: string | null;
  retryAfterMs: number | null;
}

export function toErrorData(error: SiigoError): SiigoErrorData {
  const retryAfterMs = error instanceof SiigoRateLimitError || error instanceof SiigoCircuitOpenError ? error.retryAfterMs : null;
  const kind: SiigoErrorData['kind'] =
    error instanceof SiigoRateLimitError
      ? 'rate_limit'
      : error instanceof SiigoAuthError
        ? 'auth'
        : error instanceof SiigoRequestError
          ? 'request'
          : error instanceof SiigoCircuitOpenError
            ? 'circuit_open'
            : error instanceof SiigoProtocolError
              ? 'protocol'
              : 'unavailable';
  return { kind, message: error.message, status: error.status, code: error.code, retryAfterMs };
}

export function fromErrorData(data: SiigoErrorData): SiigoError {
  switch (data.kind) {
    case 'rate_limit':
      return new SiigoRateLimitError(data.message, data.retryAfterMs);
    case 'auth':
      return new SiigoAuthError(data.message, data.status, data.code);
    case 'request':
      return new SiigoRequestError(data.message, data.status, data.code);
    case 'circuit_open':
      return new SiigoCircuitOpenError(data.retryAfterMs ?? 0);
    case 'protocol':
      return new SiigoProtocolError(data.message, data.status, data.code);
    default:
      return new SiigoUnavailableError(data.message, data.status, data.code);
  }
}

/** SIIGO's error body: `{Status, Errors: [{Code, Message}]}`, or `{Status, Message}` on some 429s. */
export function describeErrorBody(body: unknown): { code: string | null; message: string | null } {
  if (body === null || typeof body !== 'object') return { code: null, message: null };
  const record = body as { Errors?: unknown; Message?: unknown; message?: unknown };
  if (Array.isArray(record.Errors) && record.Errors.length > 0) {
    const first = record.Errors[0] as { Code?: unknown; Message?: unknown };
    return { code: typeof first.Code === 'string' ? first.Code : null, message: typeof first.Message === 'string' ? first.Message : null };
  }
  const message = typeof record.Message === 'string' ? record.Message : typeof record.message === 'string' ? record.message : null;
  return { code: null, message };
}

/** Maps an HTTP answer that is not 2xx to the error class that decides retry. */
export function errorForResponse(status: number, body: unknown, retryAfter: string | null, now = Date.now()): SiigoError {
  const { code, message } = describeErrorBody(body);
  const text = `SIIGO answered ${status}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''}`;
  if (status === 429 || code === 'requests_limit') return new SiigoRateLimitError(text, parseRetryAfter(retryAfter, now));
  if (status === 401 || status === 403) return new SiigoAuthError(text, status, code ?? 'unauthorized');
  if (status === 408 || status >= 500) return new SiigoUnavailableError(text, status, code);
  return new SiigoRequestError(text, status, code);
}
