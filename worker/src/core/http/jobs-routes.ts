import type { Router } from 'express';
import { z } from 'zod';

import { isQueueName, QUEUE_NAMES, type QueueRegistry } from '../queues';
import { route, type RouteContract } from './contract';
import { HttpError, notFound } from './errors';
import { createRouter } from './routes';

const listQuery = z.object({
  queue: z.enum(QUEUE_NAMES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

const failedJob = z.object({
  id: z.string().optional(),
  queue: z.enum(QUEUE_NAMES),
  name: z.string(),
  data: z.unknown(),
  failedReason: z.string(),
  attemptsMade: z.number().int(),
  timestamp: z.number(),
  finishedOn: z.number().nullable(),
});

export const JOBS_ROUTES = {
  failed: {
    method: 'GET',
    path: '/api/v1/jobs/failed',
    tag: 'core',
    auth: 'admin',
    summary: 'Failed jobs (dead letters) of one queue or all, newest first.',
    query: listQuery,
    responses: {
      200: { description: 'The total failed count and the newest items.', schema: z.object({ total: z.number().int(), items: z.array(failedJob) }) },
    },
  },
  retry: {
    method: 'POST',
    path: '/api/v1/jobs/:queue/:id/retry',
    tag: 'core',
    auth: 'admin',
    summary: 'Replay one failed job.',
    // Any queue name is read: one that is not a queue is a 400 `unknown_queue`, not a validation error.
    params: z.object({ queue: z.string(), id: z.string() }),
    responses: {
      202: { description: 'Queued again.', schema: z.object({ status: z.literal('retrying'), queue: z.enum(QUEUE_NAMES), id: z.string() }) },
      400: '`unknown_queue`: not a queue name.',
      404: 'No such job in that queue.',
      409: '`not_failed`: the job is not in the failed state.',
    },
  },
} satisfies Record<string, RouteContract>;

/** Dead letters: failed jobs kept by BullMQ, listed and replayed from the admin page. */
export function jobsRouter(queues: QueueRegistry): Router {
  const router = createRouter();

  route(router, JOBS_ROUTES.failed, async (_req, res, input) => {
    const query = input.query();
    const names = query.queue ? [query.queue] : QUEUE_NAMES;
    const perQueue = await Promise.all(
      names.map(async (name) => {
        const queue = queues.get(name);
        const [jobs, count] = await Promise.all([queue.getFailed(0, query.limit - 1), queue.getFailedCount()]);
        return {
          count,
          items: jobs.map((job) => ({
            id: job.id,
            queue: name,
            name: job.name,
            data: job.data as unknown,
            failedReason: job.failedReason,
            attemptsMade: job.attemptsMade,
            timestamp: job.timestamp,
            finishedOn: job.finishedOn ?? null,
          })),
        };
      }),
    );
    const items = perQueue.flatMap((entry) => entry.items).sort((a, b) => (b.finishedOn ?? 0) - (a.finishedOn ?? 0));
    res.json({ total: perQueue.reduce((sum, entry) => sum + entry.count, 0), items: items.slice(0, query.limit) });
  });

  route(router, JOBS_ROUTES.retry, async (_req, res, input) => {
    const { queue: name, id } = input.params();
    if (!isQueueName(name)) throw new HttpError(400, 'unknown_queue', `"${name}" is not a queue. Queues: ${QUEUE_NAMES.join(', ')}.`);
    const job = await queues.get(name).getJob(id);
    if (!job) throw notFound(`No job ${id} in queue ${name}.`);
    const state = await job.getState();
    if (state !== 'failed') throw new HttpError(409, 'not_failed', `Job ${id} is ${state}, not failed; only failed jobs can be replayed.`);
    await job.retry('failed');
    res.status(202).json({ status: 'retrying', queue: name, id });
  });

  return router;
}
