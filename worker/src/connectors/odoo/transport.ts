import { Readable } from 'node:stream';

import { serializeMethodCall } from 'xmlrpc/lib/serializer';
import Deserializer from 'xmlrpc/lib/deserializer';

import { egressRefusal, strictFetch, type FetchLike } from '../../core/egress';
import { faultToError, OdooUnavailableError, OdooValidationError, parseRetryAfter } from './errors';

export type OdooService = 'common' | 'object';

/** One XML-RPC call to `/xmlrpc/2/<service>`; throws the typed errors of errors.ts. */
export interface OdooTransport {
  call(service: OdooService, method: string, params: unknown[], context: string): Promise<unknown>;
}

function parseResponse(xml: string): Promise<{ value: unknown } | { faultCode: unknown; faultString: unknown } | { malformed: string }> {
  return new Promise((resolve) => {
    new Deserializer().deserializeMethodResponse(Readable.from(Buffer.from(xml, 'utf8')), (error, value) => {
      if (!error) resolve({ value });
      else if (error.faultCode !== undefined) resolve({ faultCode: error.faultCode, faultString: error.faultString });
      else resolve({ malformed: error.message });
    });
  });
}

/**
 * XML-RPC over fetch: the `xmlrpc` package's serializer and deserializer, with a per-call timeout
 * (its own client has none) and HTTP status handling (429/5xx retryable, `Retry-After` honoured).
 */
export class XmlRpcTransport implements OdooTransport {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
    /** The runtime's egress fetch (target policy); the strict one when none is given. */
    private readonly fetchImpl: FetchLike = strictFetch,
  ) {}

  async call(service: OdooService, method: string, params: unknown[], context: string): Promise<unknown> {
    const url = `${this.baseUrl.replace(/\/+$/, '')}/xmlrpc/2/${service}`;
    let response: Response;
    let text: string;
    try {
      response = await this.fetchImpl(url, {
        method: 'POST',
        headers: { 'Content-Type': 'text/xml', Accept: 'text/xml', 'User-Agent': 'SyncHub-Worker' },
        body: serializeMethodCall(method, params),
        signal: AbortSignal.timeout(this.timeoutMs),
        // The API key travels in the body: a 307/308 must not carry it to another origin.
        redirect: 'error',
      });
      text = await response.text();
    } catch (error) {
      // A refused target will not become allowed by retrying: the URL must change.
      const refused = egressRefusal(error);
      if (refused) throw Object.assign(new OdooValidationError(refused.message, null), { cause: refused });
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      const reason = timedOut ? `no answer within ${this.timeoutMs} ms` : error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      throw new OdooUnavailableError(`Odoo did not answer ${context}: ${reason}.`);
    }
    if (response.status === 429 || response.status >= 500) {
      throw new OdooUnavailableError(`Odoo answered HTTP ${response.status} to ${context}.`, parseRetryAfter(response.headers.get('retry-after')), response.status);
    }
    if (response.status >= 400) {
      throw new OdooValidationError(`Odoo answered HTTP ${response.status} at ${url}; check the Odoo URL.`, null);
    }
    const parsed = await parseResponse(text);
    if ('value' in parsed) return parsed.value;
    if ('faultCode' in parsed) throw faultToError(parsed.faultCode, parsed.faultString, context);
    throw new OdooUnavailableError(`Odoo sent an unreadable answer to ${context} (${parsed.malformed}).`);
  }
}
