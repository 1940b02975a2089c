import express, { type Express, type RequestHandler, type Router } from 'express';

import type { AppContext, DomainModule } from '../domain';
import { checkHealth } from '../health';
import { requireAdmin } from './auth';
import { BODY_LIMIT } from './raw';
import { errorHandler, HttpError, notFoundHandler } from './errors';
import { jobsRouter } from './jobs-routes';

export interface AppParts {
  ctx: AppContext;
  domains: DomainModule[];
  isDraining: () => boolean;
}

/**
 * Admin routes are recognised by path so the bearer check sits in one place. Domain routers
 * mount at `/` with their full public paths (DESIGN), public ones handling their own auth.
 */
// Catalogue search authenticates itself: the admin token or an integration token.
export const ADMIN_PATHS = [/^\/api\/v1\/(?!products\/search\/?$)/, /^\/sync\/manual\b/, /^\/api\/webhooks\/(setup|subscriptions|logs|test)\b/];

/** Public routes that parse their own raw body (SIIGO webhooks: logged as received, even when malformed). */
export const RAW_BODY_PATHS = [/^\/api\/webhooks\/receive\b/];

export function createApp(parts: AppParts): Express {
  const { ctx, domains } = parts;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');

  const refuseWhileDraining: RequestHandler = (_req, res, next) => {
    if (parts.isDraining()) {
      res.set('Connection', 'close');
      next(new HttpError(503, 'shutting_down', 'The worker is shutting down; retry shortly.'));
      return;
    }
    next();
  };
  app.use(refuseWhileDraining);

  app.get('/health', async (_req, res) => {
    const report = await checkHealth(ctx, domains);
    res.status(report.status === 'healthy' ? 200 : 503).json(report);
  });

  // POST /webhook/order never reaches express: see orderWebhookListener in intake/routes.ts.

  const admin = requireAdmin(ctx.adminToken);
  app.use((req, res, next) => (ADMIN_PATHS.some((pattern) => pattern.test(req.path)) ? admin(req, res, next) : next()));
  // Routes that read their raw body themselves (to log and hash exactly what arrived).
  const json = express.json({ limit: BODY_LIMIT, type: ['application/json', 'application/*+json'] });
  app.use((req, res, next) => (RAW_BODY_PATHS.some((pattern) => pattern.test(req.path)) ? next() : json(req, res, next)));
  app.use(jobsRouter(ctx.queues));
  for (const domain of domains) {
    const router: Router | undefined = domain.router?.(ctx);
    if (router) app.use(router);
  }

  app.use(notFoundHandler);
  app.use(errorHandler(ctx.logger));
  return app;
}
