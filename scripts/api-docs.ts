// docs/api.md from the worker's route contracts: `node --import tsx scripts/api-docs.ts` writes
// it, `--check` fails (exit 1) when it is stale. The document is the one GET /api/openapi.json
// serves (test/worker/core/http/contract.test.ts checks they are equal), built here from the route
// files' contracts so no database or Redis is needed.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { BOOKINGS_ROUTES } from '../worker/src/bookings/routes';
import { ACTIVITY_ROUTES } from '../worker/src/core/activity/routes';
import { DRIFT_ROUTES } from '../worker/src/core/drift/routes';
import { HEALTH_ROUTES } from '../worker/src/core/http/app';
import type { RouteContract } from '../worker/src/core/http/contract';
import { JOBS_ROUTES } from '../worker/src/core/http/jobs-routes';
import { OPENAPI_ROUTES, openApiDocument, type JsonObject, type OpenApiDocument, type ServedContract } from '../worker/src/core/http/openapi';
import { ORDER_WEBHOOK_ROUTES } from '../worker/src/core/intake/routes';
import { EVENTS_READ_ROUTES } from '../worker/src/events/reads/routes';
import { CONFIGURATION_ROUTES } from '../worker/src/events/routes';
import { STORE_CONNECTION_ROUTES } from '../worker/src/events/connection/routes';
import { CATALOG_ROUTES } from '../worker/src/products/catalog/routes';
import { SEARCH_ROUTES } from '../worker/src/products/catalog/search-routes';
import { INGEST_ROUTES } from '../worker/src/products/ingest/routes';
import { TOKEN_ROUTES } from '../worker/src/products/tokens/routes';
import { STOCK_ROUTES } from '../worker/src/stock/routes';
import { WEBHOOK_ADMIN_ROUTES, WEBHOOK_RECEIVE_ROUTES } from '../worker/src/stock/webhooks/routes';

const EXPRESS: Array<Record<string, RouteContract>> = [
  HEALTH_ROUTES,
  OPENAPI_ROUTES,
  JOBS_ROUTES,
  ACTIVITY_ROUTES,
  DRIFT_ROUTES,
  CONFIGURATION_ROUTES,
  STORE_CONNECTION_ROUTES,
  EVENTS_READ_ROUTES,
  BOOKINGS_ROUTES,
  TOKEN_ROUTES,
  CATALOG_ROUTES,
  SEARCH_ROUTES,
  { health: INGEST_ROUTES.health },
  STOCK_ROUTES,
  WEBHOOK_ADMIN_ROUTES,
  WEBHOOK_RECEIVE_ROUTES,
];
const RAW: RouteContract[] = [ORDER_WEBHOOK_ROUTES.order, INGEST_ROUTES.webhook];

/** The document of every route the route files declare (the running worker serves the same). */
export function declaredDocument(): OpenApiDocument {
  const served: ServedContract[] = [
    ...EXPRESS.flatMap((routes) => Object.values(routes)).map((contract) => ({ contract, raw: false })),
    ...RAW.map((contract) => ({ contract, raw: true })),
  ];
  return openApiDocument(served);
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n+/g, ' ');
const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A JSON Schema as a short type: `string`, `integer`, `"a" \| "b"`, `string[]`, `object`… */
function typeName(schema: JsonObject): string {
  if (Array.isArray(schema.enum)) return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  const variants = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(variants)) return [...new Set(variants.filter(isObject).map(typeName))].join(' | ');
  if (schema.type === 'array') return `${isObject(schema.items) ? typeName(schema.items) : 'any'}[]`;
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : typeof schema.type === 'string' ? schema.type : 'any';
  return typeof schema.format === 'string' ? `${type} (${schema.format})` : type;
}

function notes(schema: JsonObject): string {
  const found: string[] = [];
  if (typeof schema.description === 'string') found.push(schema.description);
  const bounds: Array<[string, string]> = [
    ['minimum', '≥'],
    ['exclusiveMinimum', '>'],
    ['maximum', '≤'],
    ['minLength', 'length ≥'],
    ['maxLength', 'length ≤'],
    ['minItems', 'items ≥'],
    ['maxItems', 'items ≤'],
  ];
  for (const [key, sign] of bounds) {
    const value = schema[key];
    // JavaScript's largest safe integer is zod's default bound for `.int()`: no news to a reader.
    if (typeof value === 'number' && Math.abs(value) !== Number.MAX_SAFE_INTEGER) found.push(`${sign} ${value}`);
  }
  if (typeof schema.pattern === 'string' && schema.pattern.length <= 40) found.push(`pattern \`${schema.pattern}\``);
  if (schema.default !== undefined) found.push(`default \`${JSON.stringify(schema.default)}\``);
  return found.join('; ');
}

/** Object properties as table rows, nested objects with dotted names. */
function fieldRows(schema: JsonObject, prefix = ''): string[] {
  const properties = isObject(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const rows: string[] = [];
  for (const [name, property] of Object.entries(properties)) {
    if (!isObject(property)) continue;
    const nested = isObject(property.properties)
      ? property
      : (Array.isArray(property.anyOf) ? property.anyOf : []).find((variant) => isObject(variant) && isObject(variant.properties));
    rows.push(`| \`${prefix}${name}\` | ${cell(typeName(property))} | ${required.has(name) ? 'yes' : ''} | ${cell(notes(property))} |`);
    if (isObject(nested)) rows.push(...fieldRows(nested, `${prefix}${name}.`));
  }
  return rows;
}

function fieldTable(schema: JsonObject, heading: string): string[] {
  const head = [`| ${heading} | Type | Required | Notes |`, '| --- | --- | --- | --- |'];
  const variants = schema.oneOf ?? schema.anyOf;
  if (!isObject(schema.properties) && Array.isArray(variants)) {
    return variants.filter(isObject).flatMap((variant, index) => [`One of (${index + 1}):`, '', ...head, ...fieldRows(variant), '']);
  }
  const rows = fieldRows(schema);
  return rows.length > 0 ? [...head, ...rows, ''] : [`\`${typeName(schema)}\``, ''];
}

const AUTH_NAMES: Record<string, string> = {
  adminToken: 'admin token',
  integrationToken: 'integration token',
  syncHubSignature: 'v2 signature',
  wooCommerceSignature: 'WooCommerce signature',
  callbackKey: 'callback key',
};

function authOf(operation: JsonObject): string {
  const security = Array.isArray(operation.security) ? operation.security.filter(isObject) : [];
  return security.map((entry) => Object.keys(entry).map((key) => AUTH_NAMES[key] ?? key)[0] ?? 'none').join(' or ');
}

const anchor = (method: string, route: string): string =>
  `${method}-${route}`
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .replace(/ /g, '-');

/** docs/api.md: an index per tag, then each operation with its auth, parameters, body and responses. */
export function renderMarkdown(document: OpenApiDocument): string {
  const operations = Object.entries(document.paths).flatMap(([route, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ route, method: method.toUpperCase(), operation })),
  );
  const lines: string[] = [
    '# Worker HTTP API',
    '',
    '<!-- Generated by `npm run docs:api` (scripts/api-docs.ts) from the route contracts; do not edit by hand. -->',
    '',
    document.info.description,
    '',
    'The worker serves this document as OpenAPI 3.1 at `GET /api/openapi.json` (admin token). Paths ending in `/` take the trailing slash optionally where an operation says so; every other path matches exactly (case included).',
    '',
    '## Authentication',
    '',
    '| Scheme | How |',
    '| --- | --- |',
    ...Object.entries((document.components.securitySchemes ?? {}) as Record<string, JsonObject>).map(
      ([name, scheme]) => `| ${AUTH_NAMES[name] ?? name} | ${cell(String(scheme.description ?? ''))} |`,
    ),
    '',
  ];
  for (const { name: tag } of document.tags) {
    const tagged = operations.filter(({ operation }) => Array.isArray(operation.tags) && operation.tags.includes(tag));
    lines.push(`## ${tag}`, '', '| Method | Path | Auth | Summary |', '| --- | --- | --- | --- |');
    for (const { route, method, operation } of tagged) {
      lines.push(`| ${method} | [\`${route}\`](#${anchor(method, route)}) | ${authOf(operation)} | ${cell(String(operation.summary ?? ''))} |`);
    }
    lines.push('');
    for (const { route, method, operation } of tagged) {
      lines.push(`### ${method} ${route}`, '', String(operation.summary ?? ''), '');
      if (typeof operation.description === 'string') lines.push(operation.description, '');
      lines.push(`Auth: ${authOf(operation)}.`, '');
      const parameters = Array.isArray(operation.parameters) ? operation.parameters.filter(isObject) : [];
      for (const place of ['path', 'query']) {
        const here = parameters.filter((parameter) => parameter.in === place);
        if (here.length === 0) continue;
        lines.push(`${place === 'path' ? 'Path' : 'Query'} parameters:`, '', '| Name | Type | Required | Notes |', '| --- | --- | --- | --- |');
        for (const parameter of here) {
          const schema = isObject(parameter.schema) ? parameter.schema : {};
          lines.push(`| \`${String(parameter.name)}\` | ${cell(typeName(schema))} | ${parameter.required === true ? 'yes' : ''} | ${cell(notes(schema))} |`);
        }
        lines.push('');
      }
      const content = isObject(operation.requestBody) && isObject(operation.requestBody.content) ? operation.requestBody.content : undefined;
      for (const [type, media] of Object.entries(content ?? {})) {
        lines.push(`Body (\`${type}\`):`, '', ...fieldTable(isObject(media) && isObject(media.schema) ? media.schema : {}, 'Field'));
      }
      lines.push('Responses:', '', '| Status | Description |', '| --- | --- |');
      for (const [status, response] of Object.entries(isObject(operation.responses) ? operation.responses : {})) {
        lines.push(`| ${status} | ${cell(isObject(response) ? String(response.description ?? '') : '')} |`);
      }
      lines.push('');
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

function main(): void {
  const target = path.join(__dirname, '..', 'docs', 'api.md');
  const rendered = renderMarkdown(declaredDocument());
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(target, 'utf8');
    } catch {
      // Missing counts as stale.
    }
    if (current !== rendered) {
      console.error('docs/api.md is stale: run `npm run docs:api` and commit the result.');
      process.exit(1);
    }
    console.log('docs/api.md: up to date');
    return;
  }
  writeFileSync(target, rendered);
  console.log(`docs/api.md: written (${Object.keys(declaredDocument().paths).length} paths)`);
}

// Run as a script; the contract test imports declaredDocument() and renderMarkdown() only.
if (path.basename(process.argv[1] ?? '') === 'api-docs.ts') main();
