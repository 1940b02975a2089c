import type { Router } from 'express';
import { z } from 'zod';

import { HttpError, notFound, parseOrThrow } from '../http/errors';
import { createRouter } from '../http/routes';
import type { DriftService } from './service';

const checkBody = z.object({ domains: z.array(z.string().min(1).max(32)).min(1).max(10).optional() }).strict();
const resyncBody = z.object({ ids: z.array(z.string().trim().min(1).max(100)).min(1).max(500) }).strict();

/** `GET /api/v1/drift` and per domain, "check now", "re-sync these" (admin router: behind the bearer check). */
export function driftRouter(service: DriftService, schedule: string): Router {
  const router = createRouter();
  const known = (domain: string): string => {
    if (!service.checks.has(domain)) throw notFound(`No drift report for "${domain}". Domains: ${service.domains().join(', ')}.`);
    return domain;
  };

  router.get('/api/v1/drift', async (_req, res) => {
    const [reports, running, next] = await Promise.all([service.store.all(), service.running(), service.nextCheckAt()]);
    const byDomain = new Map(reports.map((report) => [report.domain, report]));
    res.json({ schedule, next_check_at: next, running, domains: service.domains().map((domain) => ({ domain, report: byDomain.get(domain) ?? null })) });
  });

  router.post('/api/v1/drift/check', async (req, res) => {
    const body = parseOrThrow(checkBody, req.body ?? {});
    const unknown = (body.domains ?? []).filter((domain) => !service.checks.has(domain));
    if (unknown.length > 0)
      throw new HttpError(400, 'validation_error', 'The request is not valid.', { fields: { domains: [`unknown: ${unknown.join(', ')}`] } });
    const jobId = await service.enqueue(body.domains, 'manual');
    res.status(202).json({ status: 'queued', job_id: jobId });
  });

  router.get('/api/v1/drift/:domain', async (req, res) => {
    const domain = known(req.params.domain ?? '');
    const [report, running] = await Promise.all([service.store.get(domain), service.running()]);
    res.json({ domain, schedule, running: running && running.domains.includes(domain) ? running : null, report });
  });

  router.post('/api/v1/drift/:domain/resync', async (req, res) => {
    const domain = known(req.params.domain ?? '');
    const body = parseOrThrow(resyncBody, req.body ?? {});
    const check = service.checks.get(domain);
    if (!check) throw notFound(`No drift report for "${domain}".`);
    const result = await check.resync([...new Set(body.ids)]);
    res.status(202).json({ status: 'queued', enqueued: result.enqueued, skipped: result.skipped });
  });

  return router;
}
