import type { Router } from 'express';
import { z } from 'zod';

import { route, type RouteContract } from '../http/contract';
import { HttpError, notFound } from '../http/errors';
import { createRouter } from '../http/routes';
import type { DriftService } from './service';

const checkBody = z.object({ domains: z.array(z.string().min(1).max(32)).min(1).max(10).optional() }).strict();
const resyncBody = z.object({ ids: z.array(z.string().trim().min(1).max(100)).min(1).max(500) }).strict();

// Any domain name is read: one without a report is a 404, not a validation error.
const domainParam = z.object({ domain: z.string() });
const queued = z.object({ status: z.literal('queued'), job_id: z.string() });

export const DRIFT_ROUTES = {
  all: {
    method: 'GET',
    path: '/api/v1/drift',
    tag: 'core',
    auth: 'admin',
    summary: 'The drift report of every domain (source vs target), the schedule, the next check and the check running now.',
    responses: {
      200: {
        description: 'Every domain’s last report (null before its first check).',
        schema: z.object({
          schedule: z.string(),
          next_check_at: z.unknown(),
          running: z.unknown(),
          domains: z.array(z.object({ domain: z.string(), report: z.unknown() })),
        }),
      },
    },
  },
  check: {
    method: 'POST',
    path: '/api/v1/drift/check',
    tag: 'core',
    auth: 'admin',
    summary: 'Queues a drift check now, of every domain or of those named.',
    body: checkBody,
    responses: { 202: { description: 'Queued.', schema: queued }, 400: '`validation_error`, e.g. an unknown domain.' },
  },
  domain: {
    method: 'GET',
    path: '/api/v1/drift/:domain',
    tag: 'core',
    auth: 'admin',
    summary: 'One domain’s drift report (counts per kind and the first items).',
    params: domainParam,
    responses: {
      200: { description: 'The report.', schema: z.object({ domain: z.string(), schedule: z.string(), running: z.unknown(), report: z.unknown() }) },
      404: 'No drift report for that domain.',
    },
  },
  resync: {
    method: 'POST',
    path: '/api/v1/drift/:domain/resync',
    tag: 'core',
    auth: 'admin',
    summary: 'Hands ids from a drift report back to the domain’s own sync jobs.',
    params: domainParam,
    body: resyncBody,
    responses: {
      202: { description: 'Queued.', schema: z.object({ status: z.literal('queued'), enqueued: z.unknown(), skipped: z.unknown() }) },
      400: '`validation_error`.',
      404: 'No drift report for that domain.',
    },
  },
} satisfies Record<string, RouteContract>;

/** `GET /api/v1/drift` and per domain, "check now", "re-sync these" (admin router: behind the bearer check). */
export function driftRouter(service: DriftService, schedule: string): Router {
  const router = createRouter();
  const known = (domain: string): string => {
    if (!service.checks.has(domain)) throw notFound(`No drift report for "${domain}". Domains: ${service.domains().join(', ')}.`);
    return domain;
  };

  route(router, DRIFT_ROUTES.all, async (_req, res) => {
    const [reports, running, next] = await Promise.all([service.store.all(), service.running(), service.nextCheckAt()]);
    const byDomain = new Map(reports.map((report) => [report.domain, report]));
    res.json({ schedule, next_check_at: next, running, domains: service.domains().map((domain) => ({ domain, report: byDomain.get(domain) ?? null })) });
  });

  route(router, DRIFT_ROUTES.check, async (req, res, input) => {
    const body = input.body(req.body ?? {});
    const unknown = (body.domains ?? []).filter((domain) => !service.checks.has(domain));
    if (unknown.length > 0)
      throw new HttpError(400, 'validation_error', 'The request is not valid.', { fields: { domains: [`unknown: ${unknown.join(', ')}`] } });
    const jobId = await service.enqueue(body.domains, 'manual');
    res.status(202).json({ status: 'queued', job_id: jobId });
  });

  route(router, DRIFT_ROUTES.domain, async (_req, res, input) => {
    const domain = known(input.params().domain);
    const [report, running] = await Promise.all([service.store.get(domain), service.running()]);
    res.json({ domain, schedule, running: running && running.domains.includes(domain) ? running : null, report });
  });

  route(router, DRIFT_ROUTES.resync, async (req, res, input) => {
    const domain = known(input.params().domain);
    const body = input.body(req.body ?? {});
    const check = service.checks.get(domain);
    if (!check) throw notFound(`No drift report for "${domain}".`);
    const result = await check.resync([...new Set(body.ids)]);
    res.status(202).json({ status: 'queued', enqueued: result.enqueued, skipped: result.skipped });
  });

  return router;
}
