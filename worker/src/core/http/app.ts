import express, { type Express, type RequestHandler } from 'express';
import { z } from 'zod';

import type { AppContext, Domain } from '../domain';
import { intakeActivity } from '../activity/intake';
import { activityRouter } from '../activity/routes';
import { driftRouter } from '../drift/routes';
import type { DriftService } from '../drift/service';
import { checkHealth, type Liveness } from '../health';
import { ORDER_WEBHOOK_ROUTES } from '../intake/routes';
import { requireAdmin } from './auth';
import { clientIp, type TrustFunction } from './client-ip';
import { route, type RouteContract } from './contract';
import { errorHandler, HttpError, notFoundHandler } from './errors';
import { jobsRouter } from './jobs-routes';
import { openApiDocument, openApiRouter, type OpenApiDocument } from './openapi';
import { BODY_LIMIT, type RawHttp } from './raw';
import { createRouter, listRoutes, onlyMethods, type RouteInfo } from './routes';

export interface AppParts {
  ctx: AppContext;
  domains: Domain[];
  isDraining: () => boolean;
  trust: TrustFunction;
  /** The drift report's service (built in runtime.ts from the domains' checks). */
  drift?: DriftService;
}

export interface HttpApp {
  app: Express;
  /** Every route behind the admin bearer check, every public express route, and the raw listeners' routes. */
  routes: { admin: RouteInfo[]; public: RouteInfo[]; raw: RouteInfo[] };
  /** The OpenAPI document of all of them, as `GET /api/openapi.json` serves it. */
  document: OpenApiDocument;
}

export const HEALTH_ROUTES = {
  health: {
    method: 'GET',
    path: '/health',
    tag: 'core',
    auth: ['none', 'admin'],
    summary: 'Liveness for anyone; with the admin token, the full report (database, Redis, queues, connections).',
    description: 'A wrong admin token is refused (401), not downgraded to the liveness answer.',
    responses: {
      200: { description: '`{ status: "healthy" }`, or the full report with the admin token.', schema: z.looseObject({ status: z.string() }) },
      401: 'An Authorization header that is not the admin token.',
      503: 'Not healthy: the same body with `status` saying why.',
    },
  },
} satisfies Record<string, RouteContract>;

/**
 * Public routes first, each authenticating its own caller; everything else falls into the admin
 * router, whose first middleware is the bearer check. So an admin route is protected by where it
 * is mounted, not by a list of paths, and a path that matches no public route is 401 without the
 * token (404 only with it).
 */
export function createApp(parts: AppParts): HttpApp {
  const { ctx, domains } = parts;
  const app = express();
  app.disable('x-powered-by');
  app.enable('case sensitive routing');
  app.enable('strict routing');
  app.set('trust proxy', parts.trust);

  const refuseWhileDraining: RequestHandler = (_req, res, next) => {
    if (parts.isDraining()) {
      res.set('Connection', 'close');
      next(new HttpError(503, 'shutting_down', 'The worker is shutting down; retry shortly.'));
      return;
    }
    next();
  };
  app.use(refuseWhileDraining);

  const admin = requireAdmin(ctx.adminToken);
  const health = createRouter();
  // Liveness for anyone; the full report for the admin token (a wrong token is refused, not downgraded).
  route(
    health,
    HEALTH_ROUTES.health,
    (req, res, next) => {
      if (req.get('authorization') === undefined) return next();
      admin(req, res, (error?: unknown) => {
        if (error === undefined) res.locals.admin = true;
        next(error);
      });
    },
    async (_req, res) => {
      const detailed = res.locals.admin === true;
      const report = await checkHealth(ctx, domains, { queues: detailed });
      const liveness: Liveness = { status: report.status };
      res.status(report.status === 'healthy' ? 200 : 503).json(detailed ? report : liveness);
    },
  );
  // POST /webhook/order and the products webhook never reach express: see core/http/raw.ts.
  const publicRouters = [health, ...domains.flatMap((domain) => domain.publicRouter?.() ?? [])];
  const publicList = publicRouters.flatMap((router, index) => listRoutes(router, `public router ${index}`));
  const publicRoutes = createRouter();
  // A public path asked with another method is answered here (OPTIONS included), not handed on to the admin routes.
  for (const [path, methods] of groupByPath(publicList)) publicRoutes.all(path, onlyMethods(methods));
  for (const router of publicRouters) publicRoutes.use(router);
  app.use(publicRoutes);

  const adminRoutes = createRouter();
  adminRoutes.use(admin);
  adminRoutes.use(jsonBodiesOnly);
  adminRoutes.use(express.json({ limit: BODY_LIMIT, type: JSON_TYPES }));
  adminRoutes.use(jobsRouter(ctx.queues));
  adminRoutes.use(
    activityRouter([
      { domain: 'core', source: intakeActivity(ctx.db) },
      ...domains.flatMap((domain) => (domain.activity ? [{ domain: domain.name, source: domain.activity() }] : [])),
    ]),
  );
  if (parts.drift) adminRoutes.use(driftRouter(parts.drift, ctx.config.driftCheckPattern));
  for (const router of domains.flatMap((domain) => domain.adminRouter?.() ?? [])) adminRoutes.use(router);
  // Replaced below, once every route (this one included) is mounted and listed.
  const api = { document: openApiDocument([]) };
  adminRoutes.use(openApiRouter(() => api.document));
  app.use(adminRoutes);

  app.use(notFoundHandler);
  app.use(errorHandler(ctx.logger));

  // The runtime serves its own raw listeners; these are built only to read their contracts (no I/O).
  const rawHttp: RawHttp = { isDraining: parts.isDraining, clientIp: (req) => clientIp(req, parts.trust), logger: ctx.logger };
  const rawContracts = [ORDER_WEBHOOK_ROUTES.order, ...domains.flatMap((domain) => domain.rawRoutes?.(rawHttp) ?? []).map((listener) => listener.contract)];
  const routes = {
    admin: listRoutes(adminRoutes, 'admin router'),
    public: publicList,
    raw: rawContracts.map((contract) => ({ method: contract.method, path: contract.path, contract })),
  };
  api.document = openApiDocument([
    ...[...routes.admin, ...routes.public].map((info) => ({ contract: contractFor(info), raw: false })),
    ...rawContracts.map((contract) => ({ contract, raw: true })),
  ]);
  return { app, routes, document: api.document };
}

/** A route without a contract stops the start, as a loosely matching router does: the API document must name every route. */
function contractFor(info: RouteInfo): RouteContract {
  if (!info.contract) throw new Error(`${info.method} ${info.path} has no contract; register it with route() (core/http/contract.ts).`);
  return info.contract;
}

const JSON_TYPES = ['application/json', 'application/*+json'];

/** A text or form body is refused, not read as an empty object (which the admin routes would accept as "no changes"). */
const jsonBodiesOnly: RequestHandler = (req, _res, next) => {
  // `Content-Length: 0` without a type is no body (fetch sends it for a bare POST); req.is counts it as one.
  const empty = req.headers['transfer-encoding'] === undefined && Number(req.headers['content-length'] ?? 0) === 0;
  if (!empty && req.is(JSON_TYPES) === false) {
    next(new HttpError(415, 'unsupported_media_type', 'Send the request body as JSON (Content-Type: application/json).'));
    return;
  }
  next();
};

function groupByPath(routes: RouteInfo[]): Map<string, string[]> {
  const byPath = new Map<string, string[]>();
  for (const route of routes) byPath.set(route.path, [...(byPath.get(route.path) ?? []), route.method]);
  return byPath;
}
