import type { Router } from 'express';
import { z, type ZodType } from 'zod';

import { authKinds, errorBody, route, type AuthKind, type RouteContract } from './contract';
import { createRouter } from './routes';

/** A JSON value as the document holds it (plain objects, arrays and scalars only). */
export type JsonObject = { [key: string]: unknown };

export interface OpenApiDocument extends JsonObject {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  tags: Array<{ name: string }>;
  paths: Record<string, Record<string, JsonObject>>;
  components: JsonObject;
}

/** A route as the worker serves it: through express, or on the bare node:http request (core/http/raw.ts). */
export interface ServedContract {
  contract: RouteContract;
  raw: boolean;
}

const SECURITY: Record<AuthKind, JsonObject[]> = {
  admin: [{ adminToken: [] }],
  integration_token: [{ integrationToken: [] }],
  signature: [{ syncHubSignature: [] }, { wooCommerceSignature: [] }],
  callback_key: [{ callbackKey: [] }],
  none: [{}],
};

const SECURITY_SCHEMES = {
  adminToken: { type: 'http', scheme: 'bearer', description: 'The admin token (SYNCHUB_ADMIN_TOKEN, or the data directory’s admin-token file).' },
  integrationToken: { type: 'http', scheme: 'bearer', description: 'An integration token from POST /api/v1/integrations/tokens/generate/ (wc_sk_live_…).' },
  syncHubSignature: {
    type: 'apiKey',
    in: 'header',
    name: 'X-SyncHub-Signature',
    description: 'The plugin’s v2 signature (HMAC-SHA256 with WEBHOOK_SECRET over the method, path, delivery id, timestamp and body; core/signing.ts).',
  },
  wooCommerceSignature: {
    type: 'apiKey',
    in: 'header',
    name: 'X-WC-Webhook-Signature',
    description: 'WooCommerce’s webhook signature: base64 HMAC-SHA256 of the body with WEBHOOK_SECRET.',
  },
  callbackKey: {
    type: 'apiKey',
    in: 'query',
    name: 'key',
    description: 'The callback key the worker gave SIIGO, as `?key=` or as the last path segment.',
  },
};

/** `/a/:id{/}` → `/a/{id}/` (the DESIGN spelling; the slash is optional where the pattern says `{/}`). */
export function openApiPath(path: string): string {
  return path.replace(/\{\/\}$/, '/').replace(/:(\w+)/g, '{$1}');
}

function jsonSchema(schema: ZodType, io: 'input' | 'output'): JsonObject {
  // Transforms and refinements have no JSON Schema: the value's shape is documented without them.
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' });
  return rest;
}

function parameters(contract: RouteContract): JsonObject[] {
  const found: JsonObject[] = [];
  for (const [place, schema] of [
    ['path', contract.params],
    ['query', contract.query],
  ] as const) {
    if (!schema) continue;
    const object = jsonSchema(schema, 'input');
    const properties = (object.properties ?? {}) as Record<string, JsonObject>;
    const required = new Set((object.required ?? []) as string[]);
    for (const [name, property] of Object.entries(properties)) {
      const { description, ...rest } = property;
      found.push({ name, in: place, required: place === 'path' || required.has(name), ...(description ? { description } : {}), schema: rest });
    }
  }
  // Path parameters the handler checks by hand (a queue name, a drift domain) are plain strings here.
  for (const [, name] of contract.path.matchAll(/:(\w+)/g)) {
    if (!found.some((parameter) => parameter.in === 'path' && parameter.name === name))
      found.push({ name, in: 'path', required: true, schema: { type: 'string' } });
  }
  return found;
}

function responses(contract: RouteContract): JsonObject {
  const declared = { ...contract.responses };
  if (authKinds(contract).every((kind) => kind === 'admin')) declared[401] ??= 'The admin bearer token is missing or wrong (`unauthorized`).';
  const result: JsonObject = {};
  for (const [status, entry] of Object.entries(declared)) {
    const { description, schema } = typeof entry === 'string' ? { description: entry, schema: undefined } : entry;
    const content =
      schema !== undefined
        ? { 'application/json': { schema: jsonSchema(schema, 'output') } }
        : Number(status) >= 400
          ? { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } }
          : undefined;
    result[status] = { description, ...(content ? { content } : {}) };
  }
  return result;
}

function operation({ contract, raw }: ServedContract): JsonObject {
  const notes = [
    contract.description,
    contract.path.endsWith('{/}') ? 'The trailing slash is optional.' : undefined,
    raw ? 'Served on the bare node:http request before express (core/http/raw.ts): 1 MB body limit, 405 for other methods.' : undefined,
  ].filter((note): note is string => note !== undefined);
  const params = parameters(contract);
  return {
    tags: [contract.tag],
    summary: contract.summary,
    ...(notes.length > 0 ? { description: notes.join('\n\n') } : {}),
    security: authKinds(contract).flatMap((kind) => SECURITY[kind]),
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(contract.body
      ? { requestBody: { required: true, content: { [contract.bodyType ?? 'application/json']: { schema: jsonSchema(contract.body, 'input') } } } }
      : {}),
    responses: responses(contract),
    ...(raw ? { 'x-raw-listener': true } : {}),
  };
}

/** The OpenAPI 3.1 document of every route given, paths and methods sorted (so it renders the same each time). */
export function openApiDocument(routes: readonly ServedContract[]): OpenApiDocument {
  const sorted = [...routes].sort(
    (a, b) => openApiPath(a.contract.path).localeCompare(openApiPath(b.contract.path)) || a.contract.method.localeCompare(b.contract.method),
  );
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const served of sorted) {
    const key = openApiPath(served.contract.path);
    const method = served.contract.method.toLowerCase();
    const entry = (paths[key] ??= {});
    if (entry[method]) throw new Error(`Two contracts for ${served.contract.method} ${key}.`);
    entry[method] = operation(served);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Sync Hub for WooCommerce worker',
      version: '1',
      description:
        'Every route the worker serves, built from the zod schemas that validate its requests (worker/src/core/http/contract.ts). Errors answer `{ "error": { "code", "message", "details"? } }`; a 400 `validation_error` names each invalid field in `details.fields`.',
    },
    tags: [...new Set(sorted.map((served) => served.contract.tag))].sort().map((name) => ({ name })),
    paths,
    components: { securitySchemes: SECURITY_SCHEMES, schemas: { ErrorBody: jsonSchema(errorBody, 'output') } },
  };
}

export const OPENAPI_ROUTES = {
  document: {
    method: 'GET',
    path: '/api/openapi.json',
    tag: 'core',
    auth: 'admin',
    summary: 'This document: every route with its auth, parameters, body and main responses (OpenAPI 3.1).',
    responses: { 200: 'The OpenAPI document (rendered into docs/api.md by `npm run docs:api`).' },
  },
} satisfies Record<string, RouteContract>;

/** `GET /api/openapi.json` (admin router): the document is built once the routes are mounted. */
export function openApiRouter(document: () => OpenApiDocument): Router {
  const router = createRouter();
  route(router, OPENAPI_ROUTES.document, (_req, res) => {
    res.json(document());
  });
  return router;
}
