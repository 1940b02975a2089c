import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createRouter, listRoutes, type RouteInfo } from '../../../worker/src/core/http/routes';
import { adminHeaders, startTestRuntime, TEST_ADMIN_TOKEN, type TestRuntime } from '../../support/runtime';
import { concretePaths, spellings, type ConcretePath } from './spellings';
import { errorCode, rows, send, snapshot, type RawResponse, type Snapshot } from './support';

// Every admin route, as the running app mounted it: a route added later is covered here unedited.
let runtime: TestRuntime;
let routes: RouteInfo[];
let before: Snapshot;

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const JSON_HEADERS = { 'Content-Type': 'application/json' };

beforeAll(async () => {
  // No queue workers: a job enqueued by a request that should have been refused stays visible.
  runtime = await startTestRuntime({ processJobs: false });
  routes = runtime.routes.admin;
  before = await snapshot(runtime);
});
afterAll(async () => {
  await runtime?.dispose();
});

interface Target extends ConcretePath {
  methods: string[];
}

/** Each concrete admin path once, with the methods it is served for. */
function targets(): Target[] {
  const byPath = new Map<string, Target>();
  for (const route of routes) {
    for (const concrete of concretePaths(route.path)) {
      const found = byPath.get(concrete.path);
      if (found) found.methods.push(route.method);
      else byPath.set(concrete.path, { ...concrete, methods: [route.method] });
    }
  }
  return [...byPath.values()];
}

const describeMiss = (method: string, path: string, what: string, response: RawResponse) =>
  `${method} ${path} (${what}) → ${response.status} ${errorCode(response)}`;

/** Runs every request (8 at a time) and returns those whose answer `ok` refused. */
async function sweep(
  requests: Array<{ method: string; path: string; what: string; headers?: Record<string, string>; body?: string }>,
  ok: (response: RawResponse) => boolean,
): Promise<string[]> {
  const misses: string[] = [];
  for (let index = 0; index < requests.length; index += 8) {
    await Promise.all(
      requests.slice(index, index + 8).map(async ({ method, path, what, headers, body }) => {
        const response = await send(runtime.url, method, path, { headers, body });
        if (!ok(response)) misses.push(describeMiss(method, path, what, response));
      }),
    );
  }
  return misses;
}

const unauthorized = (response: RawResponse) => response.status === 401 && errorCode(response) === 'unauthorized';

describe('admin routes as mounted', () => {
  it('lists every domain’s admin routes from the running app', () => {
    const keys = routes.map((route) => `${route.method} ${route.path}`);
    expect(keys).toEqual(
      expect.arrayContaining([
        'GET /api/v1/jobs/failed',
        'POST /api/v1/integrations/tokens/generate{/}',
        'DELETE /api/v1/integrations/tokens/:id{/}',
        'PUT /api/v1/sync-woocommerce/configurations/:id{/}',
        'GET /api/v1/events/:id/tickets{/}',
        'POST /sync/manual',
        'POST /api/v1/bookings/test-connection',
        'PUT /api/v1/stock/settings',
        'GET /api/webhooks/logs',
        'POST /api/webhooks/test',
      ]),
    );
    // Public routes are not mounted behind the admin check, and the admin ones are not public.
    expect(keys.filter((key) => /\/health|\/webhooks\/receive|woocommerce\/(webhook|health)/.test(key))).toEqual([]);
    expect(runtime.routes.public.map((route) => `${route.method} ${route.path}`).sort()).toEqual(
      // Catalogue search authenticates itself (admin or integration token; see products/search.test.ts).
      [
        'GET /api/integrations/woocommerce/health/',
        'GET /api/v1/products/search{/}',
        'GET /health',
        'POST /api/webhooks/receive',
        'POST /api/webhooks/receive/:key',
      ].sort(),
    );
    expect(targets().length).toBeGreaterThanOrEqual(40);
  });

  it('refuses at start a router that matches loosely or is mounted below /', () => {
    const loose = express.Router();
    loose.get('/api/v1/x', (_req, res) => res.end());
    const outer = createRouter();
    outer.use(loose);
    expect(() => listRoutes(outer)).toThrow(/loosely/);
    const nested = createRouter();
    nested.use('/api/v1', createRouter());
    expect(() => listRoutes(nested)).toThrow(/below "\/"/);
  });
});

describe('every admin route without the admin token', () => {
  it('answers 401 to its own spelling, with every method', async () => {
    const requests = targets().flatMap((target) =>
      METHODS.map((method) => ({
        method,
        path: target.path,
        what: target.methods.includes(method) ? 'served method' : 'wrong method',
        headers: JSON_HEADERS,
        body: method === 'GET' || method === 'HEAD' ? undefined : '{}',
      })),
    );
    // HEAD answers carry no body: check the status only.
    expect(await sweep(requests, (response) => response.status === 401 && (response.text === '' || errorCode(response) === 'unauthorized'))).toEqual([]);
  });

  it('answers 401 to every other spelling of its path (case, %-encoding, //, ./, ../, ;, trailing /, ?)', async () => {
    const requests = targets().flatMap((target) =>
      spellings(target).flatMap((spelling) =>
        target.methods
          .filter((method) => method !== 'HEAD')
          .map((method) => ({
            method,
            path: spelling.path,
            what: spelling.name,
            headers: JSON_HEADERS,
            body: method === 'GET' ? undefined : '{"name":"hostile"}',
          })),
      ),
    );
    expect(requests.length).toBeGreaterThan(1_000);
    expect(await sweep(requests, unauthorized)).toEqual([]);
  });

  it('answers 401 to a wrong, malformed or misplaced token', async () => {
    const wrong: Array<[string, Record<string, string>, string]> = [
      ['another bearer token', { Authorization: 'Bearer not-the-admin-token-0123456789' }, ''],
      ['the token with one character more', { Authorization: `Bearer ${TEST_ADMIN_TOKEN}x` }, ''],
      ['the token upper-cased', { Authorization: `Bearer ${TEST_ADMIN_TOKEN.toUpperCase()}` }, ''],
      ['the token as Basic credentials', { Authorization: `Basic ${Buffer.from(`admin:${TEST_ADMIN_TOKEN}`).toString('base64')}` }, ''],
      ['the token without a scheme', { Authorization: TEST_ADMIN_TOKEN }, ''],
      ['an empty bearer', { Authorization: 'Bearer ' }, ''],
      ['the token in the query string', {}, `?token=${TEST_ADMIN_TOKEN}&access_token=${TEST_ADMIN_TOKEN}`],
      ['the token in another header', { 'X-Admin-Token': TEST_ADMIN_TOKEN, Cookie: `token=${TEST_ADMIN_TOKEN}` }, ''],
    ];
    const requests = targets().flatMap((target) =>
      wrong.flatMap(([what, headers, query]) =>
        target.methods
          .filter((method) => method !== 'HEAD')
          .map((method) => ({
            method,
            path: `${target.path}${query}`,
            what,
            headers: { ...JSON_HEADERS, ...headers },
            body: method === 'GET' ? undefined : '{}',
          })),
      ),
    );
    expect(await sweep(requests, unauthorized)).toEqual([]);
  });

  it('creates no token for POST /Api/v1/integrations/tokens/generate/ (it answered 201 with a live token before)', async () => {
    const tokens = await rows(runtime, 'synchub_integration_tokens');
    for (const path of [
      '/Api/v1/integrations/tokens/generate/',
      '/API/v1/integrations/tokens/generate/',
      '/api/V1/integrations/tokens/generate/',
      '/api/v1/integrations/tokens/generate//',
      '/api//v1/integrations/tokens/generate/',
      '/api/v1/integrations/tokens/generate/.',
      '/api/v1/integrations/tokens/x/../generate/',
      '/api/v1/integrations/tokens/%67enerate/',
    ]) {
      const response = await send(runtime.url, 'POST', path, { headers: JSON_HEADERS, body: '{"name":"stolen"}' });
      expect(response.status, path).toBe(401);
      expect(response.text, path).not.toContain('wc_sk_live_');
    }
    expect(await rows(runtime, 'synchub_integration_tokens')).toBe(tokens);
  });
});

describe('every admin route with the admin token', () => {
  it('is reached by its exact spelling only: other spellings are 404 (or 400 where they land on a :param)', async () => {
    const requests = targets().flatMap((target) =>
      spellings(target)
        .filter((spelling) => spelling.kind === 'other')
        .flatMap((spelling) =>
          target.methods
            .filter((method) => method !== 'HEAD')
            .map((method) => ({
              method,
              path: spelling.path,
              what: spelling.name,
              headers: adminHeaders(),
              body: method === 'GET' ? undefined : '{"name":"hostile"}',
            })),
        ),
    );
    // `/configurations/.` is `/configurations/:id` with id "." to any router: refused by validation.
    const refused = (response: RawResponse) =>
      (response.status === 404 && errorCode(response) === 'not_found') ||
      (response.status === 400 && ['validation_error', 'bad_request'].includes(errorCode(response)));
    expect(await sweep(requests, refused)).toEqual([]);
  });
});

describe('after all of it', () => {
  it('nothing was written: no row, no job, no Redis key', async () => {
    expect(await snapshot(runtime)).toEqual(before);
  });
});
