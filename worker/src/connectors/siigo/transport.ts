import { z } from 'zod';

import { egressRefusal, strictFetch } from '../../core/egress';
import type { SiigoConfig } from './config';
import { errorForResponse, SiigoAuthError, SiigoProtocolError, SiigoRequestError, SiigoUnavailableError } from './errors';
import { authResponseSchema } from './schemas';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** One HTTP request to SIIGO, as plain data (it travels through the call queue). */
export interface SiigoRequest {
  method: HttpMethod;
  path: string;
  query?: Record<string, string | number>;
  body?: unknown;
}

export interface SiigoResponse {
  status: number;
  body: unknown;
}

export type FetchLike = typeof fetch;

/** Builds the URL of a SIIGO path (`/auth`, `/v1/products`…). */
export function siigoUrl(apiUrl: string, request: Pick<SiigoRequest, 'path' | 'query'>): string {
  const url = new URL(request.path.replace(/^\/+/, ''), apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`);
  for (const [name, value] of Object.entries(request.query ?? {})) url.searchParams.set(name, String(value));
  return url.toString();
}

/**
 * The wire: JSON over HTTPS with `Partner-Id` on every request and a timeout (SIIGO recommends
 * ≥ 120 s). Network failures and timeouts become SiigoUnavailableError; non-2xx answers the
 * class errorForResponse picks.
 */
export class SiigoTransport {
  constructor(
    private readonly config: Pick<SiigoConfig, 'apiUrl' | 'partnerId' | 'timeoutMs' | 'username' | 'accessKey'>,
    /** The runtime's egress fetch (target policy); the strict one when none is given. */
    private readonly fetchImpl: FetchLike = strictFetch,
  ) {}

  async send(request: SiigoRequest, token: string | null): Promise<SiigoResponse> {
    const headers: Record<string, string> = { Accept: 'application/json', 'Partner-Id': this.config.partnerId };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (request.body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await this.fetchImpl(siigoUrl(this.config.apiUrl, request), {
        method: request.method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(this.config.timeoutMs),
        redirect: 'error',
      });
    } catch (error) {
      // Refused by the target policy: nothing was sent, and retrying cannot help (nor should the breaker count it).
      const refused = egressRefusal(error);
      if (refused) throw new SiigoRequestError(refused.message, null, refused.code);
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new SiigoUnavailableError(
        timedOut
          ? `SIIGO did not answer within ${this.config.timeoutMs} ms`
          : `SIIGO is unreachable: ${error instanceof Error ? error.message : String(error)}`,
        null,
        timedOut ? 'request_timeout' : 'network_error',
      );
    }
    const text = await response.text().catch(() => '');
    let body: unknown = null;
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text) as unknown;
      } catch {
        body = text.slice(0, 500);
      }
    }
    if (response.status < 200 || response.status >= 300) throw errorForResponse(response.status, body, response.headers.get('retry-after'));
    return { status: response.status, body };
  }

  /** POST /auth → token and lifetime in ms. Wrong credentials → SiigoAuthError with SIIGO's message. */
  async authenticate(): Promise<{ token: string; expiresInMs: number }> {
    let response: SiigoResponse;
    try {
      response = await this.send({ method: 'POST', path: '/auth', body: { username: this.config.username, access_key: this.config.accessKey } }, null);
    } catch (error) {
      if (error instanceof SiigoAuthError) {
        throw new SiigoAuthError(`SIIGO refused the API user or access key (${error.message})`, 401, 'unauthorized');
      }
      throw error;
    }
    const parsed = authResponseSchema.safeParse(response.body);
    if (!parsed.success) throw new SiigoProtocolError(`SIIGO /auth answered without a token: ${z.prettifyError(parsed.error)}`);
    return { token: parsed.data.access_token, expiresInMs: parsed.data.expires_in * 1000 };
  }
}
