/**
 * Odoo failures as small typed classes that decide retry:
 * - `OdooAccessDeniedError` (fault 3, or `authenticate` answering false): credentials are wrong —
 *   no retry, the connector is marked unhealthy and an alert goes out.
 * - `OdooValidationError` (fault 2 UserError/ValidationError, fault 4 AccessError/private method,
 *   fault 1 that is not a concurrency error): the data or rights must be fixed — dead letter with
 *   Odoo's own message.
 * - `OdooUnavailableError` (network, timeout, HTTP 429/5xx, fault 1 serialization failure): retry
 *   with backoff, honouring `Retry-After`.
 */
export type OdooErrorKind = 'access_denied' | 'validation' | 'unavailable';

export class OdooAccessDeniedError extends Error {
  readonly kind = 'access_denied' as const;
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = 'OdooAccessDeniedError';
  }
}

export class OdooValidationError extends Error {
  readonly kind = 'validation' as const;
  readonly retryable = false;
  constructor(
    message: string,
    readonly faultCode: number | null = null,
  ) {
    super(message);
    this.name = 'OdooValidationError';
  }
}

export class OdooUnavailableError extends Error {
  readonly kind = 'unavailable' as const;
  readonly retryable = true;
  constructor(
    message: string,
    readonly retryAfterMs: number | null = null,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'OdooUnavailableError';
  }
}

export type OdooError = OdooAccessDeniedError | OdooValidationError | OdooUnavailableError;

export const isOdooError = (error: unknown): error is OdooError =>
  error instanceof OdooAccessDeniedError || error instanceof OdooValidationError || error instanceof OdooUnavailableError;

const CONCURRENCY_FAULT = /could not serialize access|concurrent update|deadlock detected|lock timeout|SerializationFailure/i;

/** Odoo's fault 1 carries a whole Python traceback; its last non-empty line is the message. */
export function lastTracebackLine(faultString: string): string {
  const lines = faultString
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return (lines[lines.length - 1] ?? faultString).slice(0, 1000);
}

/** Maps an XML-RPC fault of `/xmlrpc/2` (integer codes, see the Odoo reference) to a typed error. */
export function faultToError(faultCode: unknown, faultString: unknown, context: string): OdooError {
  const code = typeof faultCode === 'number' ? faultCode : Number.parseInt(String(faultCode), 10);
  const text = typeof faultString === 'string' ? faultString : String(faultString ?? '');
  switch (code) {
    case 3:
      return new OdooAccessDeniedError(`Odoo denied access (${context}): ${text || 'Access Denied'}. Check the username and API key.`);
    case 2:
      return new OdooValidationError(`Odoo rejected ${context}: ${text}`, 2);
    case 4:
      return new OdooValidationError(`Odoo refused ${context} (access rights): ${text}`, 4);
    default:
      if (CONCURRENCY_FAULT.test(text)) return new OdooUnavailableError(`Odoo hit a concurrent update during ${context}; retrying.`);
      return new OdooValidationError(`Odoo failed on ${context}: ${lastTracebackLine(text)}`, Number.isFinite(code) ? code : 1);
  }
}
