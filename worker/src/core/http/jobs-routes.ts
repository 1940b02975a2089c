import type { Router } from 'express';
import { z } from 'zod';

import { isQueueName, QUEUE_NAMES, type QueueRegistry } from '../queues';
import { HttpError, notFound, parseOrThrow } from './errors';
import { createRouter } from './routes';

const listQuery = z.object({
  queue: z.enum(QUEUE_NAMES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/** Dead letters: failed jobs kept by BullMQ, listed and replayed from the admin page. */
export function jobsRouter(queues: QueueRegistry): Router {
  const router = createRouter();

  router.get('/api/v1/jobs/failed', async (req, res) => {
    const query = parseOrThrow(listQuery, req.query);
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

  router.post('/api/v1/jobs/:queue/:id/retry', async (req, res) => {
    const { queue: name, id } = req.params;
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
