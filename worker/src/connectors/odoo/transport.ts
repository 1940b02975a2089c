import { serializeMethodCall } from 'xmlrpc/lib/serializer';

import { egressRefusal, readBodyCapped, strictFetch, type FetchLike } from '../../core/egress';
import { parseRetryAfter } from '../../core/failures';
import { faultToError, OdooUnavailableError, OdooValidationError } from './errors';
import { DEFAULT_MAX_RESPONSE_BYTES, isXmlContentType, parseMethodResponse } from './xmlrpc-response';

export type OdooService = 'common' | 'object';

/** One XML-RPC call to `/xmlrpc/2/<service>`; throws the typed errors of errors.ts. */
export interface OdooTransport {
  call(service: OdooService, method: string, params: unknown[], context: string): Promise<unknown>;
}

/**
 * XML-RPC over fetch: the `xmlrpc` package's serializer and (checked) deserializer, with a
 * per-call timeout covering the whole body (its own client has none), a cap on the answer's size,
 * and HTTP status handling (429/5xx retryable, `Retry-After` honoured).
 */
export class XmlRpcTransport implements OdooTransport {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
    private readonly maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES,
    /** The runtime's egress fetch (target policy); the strict one when none is given. */
    private readonly fetchImpl: FetchLike = strictFetch,
  ) {}

  async call(service: OdooService, method: string, params: unknown[], context: string): Promise<unknown> {
    const url = `${this.baseUrl.replace(/\/+$/, '')}/xmlrpc/2/${service}`;
    let response: Response;
    let text: string | null;
    try {
      response = await this.fetchImpl(url, {
        method: 'POST',
        headers: { 'Content-Type': 'text/xml', Accept: 'text/xml', 'User-Agent': 'SyncHub-Worker' },
        body: serializeMethodCall(method, params),
        signal: AbortSignal.timeout(this.timeoutMs),
        // The API key travels in the body: a 307/308 must not carry it to another origin.
        redirect: 'error',
      });
      text = await readBodyCapped(response.body, this.maxResponseBytes, response.headers.get('content-length'));
    } catch (error) {
      // A refused target will not become allowed by retrying: the URL must change.
      const refused = egressRefusal(error);
      if (refused) throw Object.assign(new OdooValidationError(refused.message, null), { cause: refused });
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      const reason = timedOut
        ? `no answer within ${this.timeoutMs} ms`
        : error instanceof Error
          ? error.cause instanceof Error
            ? error.cause.message
            : error.message
          : String(error);
      throw new OdooUnavailableError(`Odoo did not answer ${context}: ${reason}.`);
    }
    if (response.status === 429 || response.status >= 500) {
      throw new OdooUnavailableError(
        `Odoo answered HTTP ${response.status} to ${context}.`,
        parseRetryAfter(response.headers.get('retry-after')),
        response.status,
      );
    }
    if (response.status >= 400) {
      throw new OdooValidationError(`Odoo answered HTTP ${response.status} at ${url}; check the Odoo URL.`, null);
    }
    if (text === null) {
      throw new OdooValidationError(
        `Odoo's answer to ${context} is larger than ${this.maxResponseBytes} bytes (ODOO_MAX_RESPONSE_BYTES); ask for fewer records or raise the limit.`,
        null,
      );
    }
    if (!isXmlContentType(response.headers.get('content-type'))) {
      throw new OdooValidationError(
        `Odoo answered ${context} with ${JSON.stringify(response.headers.get('content-type')?.slice(0, 80))}, not XML; check the Odoo URL.`,
        null,
      );
    }
    const parsed = await parseMethodResponse(text);
    if ('value' in parsed) return parsed.value;
    if ('faultCode' in parsed) throw faultToError(parsed.faultCode, parsed.faultString, context);
    if ('refused' in parsed) throw new OdooValidationError(`Odoo's answer to ${context} was refused: ${parsed.refused}.`, null);
    throw new OdooUnavailableError(`Odoo sent an unreadable answer to ${context} (${parsed.malformed}).`);
  }
}
