import { readFileSync } from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { declaredDocument, renderMarkdown } from '../../../../scripts/api-docs';
import type { Domain } from '../../../../worker/src/core/domain';
import { createApp } from '../../../../worker/src/core/http/app';
import { compileTrust } from '../../../../worker/src/core/http/client-ip';
import { authKinds, concretePaths, type RouteContract } from '../../../../worker/src/core/http/contract';
import { openApiPath, type OpenApiDocument } from '../../../../worker/src/core/http/openapi';
import type { RawHttp } from '../../../../worker/src/core/http/raw';
import { createRouter, type RouteInfo } from '../../../../worker/src/core/http/routes';
import { ORDER_WEBHOOK_ROUTES } from '../../../../worker/src/core/intake/routes';
import { createLogger } from '../../../../worker/src/core/logger';
import { DOMAINS } from '../../../../worker/src/domains';
import { keepBuilt } from '../../../support/domains';
import { adminHeaders, startTestRuntime, type TestRuntime } from '../../../support/runtime';
import { errorCode, send } from '../../hostile/support';

// The API document names every route the worker serves, no more, and docs/api.md is rendered from it.
let runtime: TestRuntime;
let document: OpenApiDocument;
const built = DOMAINS.map((create) => keepBuilt(create));

const key = (method: string, routePath: string) => `${method} ${openApiPath(routePath)}`;

/** What the running worker's raw listeners serve: the order intake and each domain's. */
function rawContracts(): RouteContract[] {
  const http: RawHttp = { isDraining: () => false, clientIp: () => undefined, logger: createLogger('silent') };
  const domains: Domain[] = built.map((domain) => domain.built());
  return [ORDER_WEBHOOK_ROUTES.order, ...domains.flatMap((domain) => domain.rawRoutes?.(http) ?? []).map((listener) => listener.contract)];
}

beforeAll(async () => {
  runtime = await startTestRuntime({ processJobs: false, domains: built.map((domain) => domain.create) });
  const response = await fetch(`${runtime.url}/api/openapi.json`, { headers: adminHeaders() });
  expect(response.status).toBe(200);
  document = (await response.json()) as OpenApiDocument;
});
afterAll(async () => {
  await runtime?.dispose();
});

describe('route contracts', () => {
  it('every mounted express route was registered with a contract for its own method and path, and the auth it is mounted with', () => {
    const check = (routes: RouteInfo[], mountedBehindAdmin: boolean) =>
      routes.flatMap((info) => {
        const contract = info.contract;
        if (!contract) return [`${info.method} ${info.path}: no contract`];
        if (contract.method !== info.method || contract.path !== info.path)
          return [`${info.method} ${info.path}: contract says ${contract.method} ${contract.path}`];
        const auth = authKinds(contract);
        const adminOnly = auth.length === 1 && auth[0] === 'admin';
        return adminOnly === mountedBehindAdmin
          ? []
          : [`${info.method} ${info.path}: auth ${auth.join('/')} but mounted ${mountedBehindAdmin ? 'behind' : 'outside'} the admin check`];
      });
    expect(runtime.routes.admin.length).toBeGreaterThan(40);
    expect([...check(runtime.routes.admin, true), ...check(runtime.routes.public, false)]).toEqual([]);
  });

  it('every raw listener carries its contract, and each of its paths is answered before express', async () => {
    const raw = rawContracts();
    expect(raw.map((contract) => contract.path).sort()).toEqual(['/api/integrations/woocommerce/webhook{/}', '/webhook/order{/}']);
    for (const contract of raw) {
      expect(authKinds(contract)).not.toContain('admin');
      for (const concrete of concretePaths(contract.path)) {
        // Express would answer 401 (not a public route); the raw listener answers 405 naming POST.
        const response = await send(runtime.url, 'GET', concrete);
        expect([response.status, errorCode(response), response.headers.allow], concrete).toEqual([405, 'method_not_allowed', 'POST']);
      }
    }
  });

  it('the served document names exactly the mounted routes (admin, public, raw) and nothing else', () => {
    const served = [
      ...[...runtime.routes.admin, ...runtime.routes.public].map((info) => key(info.method, info.path)),
      ...rawContracts().map((contract) => key(contract.method, contract.path)),
    ].sort();
    const documented = Object.entries(document.paths)
      .flatMap(([route, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${route}`))
      .sort();
    expect(documented).toEqual(served);
    const rawDocumented = Object.entries(document.paths).flatMap(([route, methods]) =>
      Object.entries(methods).flatMap(([method, operation]) => (operation['x-raw-listener'] === true ? [`${method.toUpperCase()} ${route}`] : [])),
    );
    expect(rawDocumented.sort()).toEqual(
      rawContracts()
        .map((contract) => key(contract.method, contract.path))
        .sort(),
    );
  });

  it('the route files declare the same document (what scripts/api-docs.ts renders), and docs/api.md is current', () => {
    expect(declaredDocument()).toEqual(document);
    const committed = readFileSync(path.join(__dirname, '../../../../docs/api.md'), 'utf8');
    // Stale: run `npm run docs:api`.
    expect(committed).toBe(renderMarkdown(document));
  });

  it('documents each request schema: path and query parameters, JSON bodies', () => {
    const trigger = document.paths['/api/v1/sync-woocommerce/configurations/{id}/trigger_sync/']?.post;
    expect(trigger?.parameters).toEqual([
      { name: 'id', in: 'path', required: true, schema: { type: 'integer', exclusiveMinimum: 0, maximum: Number.MAX_SAFE_INTEGER } },
    ]);
    expect(trigger?.security).toEqual([{ adminToken: [] }]);
    const generate = document.paths['/api/v1/integrations/tokens/generate/']?.post;
    expect(generate?.requestBody).toMatchObject({ content: { 'application/json': { schema: { type: 'object', required: ['name'] } } } });
    const search = document.paths['/api/v1/products/search/']?.get;
    expect(search?.security).toEqual([{ adminToken: [] }, { integrationToken: [] }]);
    expect(search?.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'q', in: 'query', required: true })]));
  });
});

describe('GET /api/openapi.json', () => {
  it('needs the admin token', async () => {
    const without = await send(runtime.url, 'GET', '/api/openapi.json');
    expect([without.status, errorCode(without)]).toEqual([401, 'unauthorized']);
    const wrong = await send(runtime.url, 'GET', '/api/openapi.json', { headers: { Authorization: 'Bearer not-the-admin-token-0123456789' } });
    expect([wrong.status, errorCode(wrong)]).toEqual([401, 'unauthorized']);
    expect(document.openapi).toBe('3.1.0');
    expect(document.paths['/api/openapi.json']?.get?.security).toEqual([{ adminToken: [] }]);
  });
});

describe('createApp', () => {
  it('refuses to start with a route registered without a contract', () => {
    const bare: Domain = {
      name: 'events',
      adminRouter() {
        const router = createRouter();
        router.get('/api/v1/undocumented', (_req, res) => res.end());
        return router;
      },
    };
    expect(() => createApp({ ctx: runtime.ctx, domains: [bare], isDraining: () => false, trust: compileTrust(runtime.ctx.config.http.trustProxy) })).toThrow(
      /GET \/api\/v1\/undocumented has no contract/,
    );
  });
});
