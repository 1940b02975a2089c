import type { Router } from 'express';
import { z } from 'zod';

import { parseOrThrow } from '../http/errors';
import { createRouter } from '../http/routes';
import { activityWindow, BUCKETS } from './rules';
import type { ActivitySource } from './types';

const query = z.object({ bucket: z.enum(BUCKETS).default('day'), count: z.coerce.number().int().min(1).max(90).optional() });
const DEFAULT_COUNT = { day: 14, hour: 48 } as const;

/** `GET /api/v1/activity?bucket=day|hour&count=`: every domain's series for the admin page's charts, UTC buckets. */
export function activityRouter(sources: ReadonlyArray<{ domain: string; source: ActivitySource }>): Router {
  const router = createRouter();
  router.get('/api/v1/activity', async (req, res) => {
    const { bucket, count } = parseOrThrow(query, req.query);
    const window = activityWindow(new Date(), bucket, count ?? DEFAULT_COUNT[bucket]);
    const series = await Promise.all(sources.map(async ({ domain, source }) => (await source(window)).map((entry) => ({ domain, ...entry }))));
    res.json({ bucket, timezone: 'UTC', buckets: window.keys.map((key) => `${key.replace(' ', 'T')}Z`), series: series.flat() });
  });
  return router;
}
