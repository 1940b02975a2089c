import { Router, type RequestHandler } from 'express';

import { contractOf, type RouteContract } from './contract';
import { HttpError } from './errors';

/**
 * Every router of the worker matches paths exactly: `/API/v1/…` or `/sync/manual/` is another
 * path, not an alias of a real one. Express's defaults (case-insensitive, trailing slash optional)
 * once let a differently spelled path skip the admin check; auth is now by mounting, and exact
 * matching keeps one spelling per route so what the tests enumerate is what is served.
 */
const ROUTER_OPTIONS = { caseSensitive: true, strict: true } as const;

export function createRouter(): Router {
  return Router(ROUTER_OPTIONS);
}

/**
 * A DESIGN path with a trailing slash (`/api/v1/events/`) that also answers without it: the
 * plugin's proxy cannot keep trailing slashes (WordPress's REST server strips them from the
 * route), so admin routes reached through it need both spellings, and only those two.
 */
export function slashOptional(path: `/${string}/`): string {
  return `${path.slice(0, -1)}{/}`;
}

export interface RouteInfo {
  /** Upper-case HTTP method (`GET`, `POST`, …). */
  method: string;
  /** The express path pattern, e.g. `/api/v1/jobs/:queue/:id/retry` or `/api/v1/events{/}`. */
  path: string;
  /** What it was registered with by `route()` (core/http/contract.ts); none for a bare `router.get(…)`. */
  contract?: RouteContract;
}

interface RouterLike {
  stack: unknown[];
  strict?: unknown;
  caseSensitive?: unknown;
}

const isRecord = (value: unknown): value is Record<string, unknown> => (typeof value === 'object' || typeof value === 'function') && value !== null;
const isRouter = (value: unknown): value is RouterLike => isRecord(value) && Array.isArray(value.stack);

/**
 * Every route reachable through `router`, nested routers included. Throws when a nested router
 * matches loosely or is mounted below `/` (its routes could then not be listed by full path):
 * createApp calls this at start so a domain cannot add such a router unnoticed.
 */
export function listRoutes(router: RouterLike, where = 'router'): RouteInfo[] {
  if (router.strict !== true || router.caseSensitive !== true) {
    throw new Error(`${where} matches paths loosely; create it with createRouter() (core/http/routes.ts).`);
  }
  const routes: RouteInfo[] = [];
  for (const layer of router.stack) {
    if (!isRecord(layer)) continue;
    const route = layer.route;
    if (isRecord(route)) {
      const paths = Array.isArray(route.path) ? route.path : [route.path];
      const methods = isRecord(route.methods) ? Object.entries(route.methods).flatMap(([name, on]) => (on === true ? [name] : [])) : [];
      for (const path of paths) {
        if (typeof path !== 'string') throw new Error(`${where} has a route that is not a string path.`);
        for (const name of methods) {
          const method = name === '_all' ? 'ALL' : name.toUpperCase();
          const contract = contractOf(route, method);
          routes.push(contract ? { method, path, contract } : { method, path });
        }
      }
      continue;
    }
    if (isRouter(layer.handle)) {
      if (layer.slash !== true) throw new Error(`${where} mounts a router below "/"; mount domain routers at "/" with full paths.`);
      routes.push(...listRoutes(layer.handle, `${where} › ${String(layer.name)}`));
    }
  }
  return routes;
}

/** For a path served for some methods only: 405 with `Allow` for any other (HEAD goes with GET). */
export function onlyMethods(allowed: string[]): RequestHandler {
  const methods = new Set(allowed.flatMap((method) => (method === 'GET' ? ['GET', 'HEAD'] : [method])));
  const allow = [...methods].join(', ');
  return (req, _res, next) => {
    if (methods.has(req.method)) return next();
    next(new HttpError(405, 'method_not_allowed', `${req.method} is not allowed here; use ${allow}.`, undefined, { Allow: allow }));
  };
}
