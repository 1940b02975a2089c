import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { signBody } from '../../../worker/src/core/crypto';
import { TEST_WEBHOOK_SECRET } from '../../support/runtime';
import { spellings } from './spellings';
import { acceptedSiigoLogs, errorCode, expectUnchanged, send, snapshot, startHostileWorker, type HostileWorker, type RawResponse } from './support';

// Every public route: wrong methods and other spellings of its path, sent with valid credentials
// so that only the transport decides. Each case checks the status and that nothing was written.
let worker: HostileWorker;

beforeAll(async () => {
  worker = await startHostileWorker();
});
afterAll(async () => {
  await worker?.runtime.dispose();
});

interface PublicRoute {
  name: string;
  method: 'GET' | 'POST';
  path: () => string;
  /** Index in path().split('/') of a secret parameter, left as it is by the spellings. */
  param?: number;
  /** Served with and without the trailing slash by design. */
  slashOptional?: boolean;
  /** Credentials and framing for `body` (a signature is over the exact bytes). */
  headers: (body: string) => Record<string, string>;
  siigo?: boolean;
}

const WOO_ORDER_HEADERS = (body: string) => ({
  'Content-Type': 'application/json',
  'X-WC-Webhook-Topic': 'order.paid',
  'X-WC-Webhook-ID': '7',
  'X-WC-Webhook-Delivery-ID': `${Date.now()}${Math.random()}`.replace('.', ''),
  'X-WC-Webhook-Signature': signBody(body, TEST_WEBHOOK_SECRET),
});
const bearer = () => ({ 'Content-Type': 'application/json', Authorization: `Bearer ${worker.integrationToken}` });

const PUBLIC_ROUTES: PublicRoute[] = [
  { name: 'POST /webhook/order', method: 'POST', path: () => '/webhook/order', slashOptional: true, headers: WOO_ORDER_HEADERS },
  { name: 'POST /webhook/order/', method: 'POST', path: () => '/webhook/order/', slashOptional: true, headers: WOO_ORDER_HEADERS },
  {
    name: 'POST /api/integrations/woocommerce/webhook/',
    method: 'POST',
    path: () => '/api/integrations/woocommerce/webhook/',
    slashOptional: true,
    headers: bearer,
  },
  {
    name: 'POST /api/integrations/woocommerce/webhook',
    method: 'POST',
    path: () => '/api/integrations/woocommerce/webhook',
    slashOptional: true,
    headers: bearer,
  },
  {
    name: 'POST /api/webhooks/receive/{key}',
    method: 'POST',
    path: () => `/api/webhooks/receive/${worker.siigoKey}`,
    param: 4,
    headers: () => ({ 'Content-Type': 'application/json' }),
    siigo: true,
  },
  {
    name: 'POST /api/webhooks/receive?key=',
    method: 'POST',
    path: () => '/api/webhooks/receive',
    headers: () => ({ 'Content-Type': 'application/json' }),
    siigo: true,
  },
  { name: 'GET /api/integrations/woocommerce/health/', method: 'GET', path: () => '/api/integrations/woocommerce/health/', headers: bearer },
  { name: 'GET /health', method: 'GET', path: () => '/health', headers: () => ({}) },
];

/** The SIIGO route takes its key from the query: keep it on every spelling. */
const withQuery = (route: PublicRoute, path: string) =>
  route.name.endsWith('?key=') ? `${path}${path.includes('?') ? '&' : '?'}key=${worker.siigoKey}` : path;

/**
 * Another spelling falls through to the admin check. On the SIIGO route a path ending in `/.`
 * is `/api/webhooks/receive/:key` with key "." to any router: its handler refuses the key (and
 * may count the failure per IP).
 */
function refused(route: PublicRoute, response: RawResponse): boolean {
  if (response.status === 401 && errorCode(response) === 'unauthorized') return true;
  return route.siigo === true && (response.status === 401 || response.status === 429);
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

describe.each(PUBLIC_ROUTES)('$name', (route) => {
  it('answers any other method with 405 and Allow, writing nothing', async () => {
    const before = await snapshot(worker.runtime);
    const accepted = await acceptedSiigoLogs(worker.runtime);
    for (const method of METHODS.filter((each) => each !== route.method && !(route.method === 'GET' && each === 'HEAD'))) {
      const body = '{"id":1}';
      const response = await send(worker.runtime.url, method, withQuery(route, route.path()), { headers: route.headers(body), body });
      expect(response.status, method).toBe(405);
      expect(response.headers.allow, method).toContain(route.method);
      if (method !== 'HEAD') expect(errorCode(response), method).toBe('method_not_allowed');
    }
    await expectUnchanged(worker.runtime, before, accepted);
  });

  it('serves no other spelling of its path: each is refused (401), nothing written', async () => {
    const before = await snapshot(worker.runtime);
    const accepted = await acceptedSiigoLogs(worker.runtime);
    const path = route.path();
    const variants = spellings({ path, params: new Set(route.param === undefined ? [] : [route.param]), slashOptional: route.slashOptional === true }).filter(
      (spelling) => spelling.kind === 'other',
    );
    expect(variants.length).toBeGreaterThan(15);
    const misses: string[] = [];
    for (const variant of variants) {
      // A well-formed, authenticated delivery: only the spelling is wrong.
      const body = JSON.stringify({ id: 1, event_id: `spelling-${variant.name}`, event_type: 'product.updated', product: { id: 1, name: 'x' } });
      const response = await send(worker.runtime.url, route.method, withQuery(route, variant.path), {
        headers: route.headers(body),
        body: route.method === 'GET' ? undefined : body,
      });
      if (!refused(route, response)) misses.push(`${variant.path} (${variant.name}) → ${response.status} ${errorCode(response)}`);
    }
    expect(misses).toEqual([]);
    await expectUnchanged(worker.runtime, before, accepted, { siigoRefusals: route.siigo });
  });
});
