import type { Router } from 'express';
import { z } from 'zod';

import { route, type RouteContract } from '../http/contract';
import { createRouter } from '../http/routes';
import { activityWindow, BUCKETS } from './rules';
import type { ActivitySource } from './types';

const query = z.object({ bucket: z.enum(BUCKETS).default('day'), count: z.coerce.number().int().min(1).max(90).optional() });
const DEFAULT_COUNT = { day: 14, hour: 48 } as const;

export const ACTIVITY_ROUTES = {
  activity: {
    method: 'GET',
    path: '/api/v1/activity',
    tag: 'core',
    auth: 'admin',
    summary: 'Counts per UTC day or hour for the admin page’s charts: every domain’s series and the intake’s deliveries.',
    query,
    responses: {
      200: {
        description: 'The buckets (ISO times) and one series per domain and kind.',
        schema: z.object({
          bucket: z.enum(BUCKETS),
          timezone: z.literal('UTC'),
          buckets: z.array(z.string()),
          series: z.array(z.looseObject({ domain: z.string() })),
        }),
      },
      400: '`validation_error`.',
    },
  },
} satisfies Record<string, RouteContract>;

/** `GET /api/v1/activity?bucket=day|hour&count=`: every domain's series for the admin page's charts, UTC buckets. */
export function activityRouter(sources: ReadonlyArray<{ domain: string; source: ActivitySource }>): Router {
  const router = createRouter();
  route(router, ACTIVITY_ROUTES.activity, async (_req, res, input) => {
    const { bucket, count } = input.query();
    const window = activityWindow(new Date(), bucket, count ?? DEFAULT_COUNT[bucket]);
    const series = await Promise.all(sources.map(async ({ domain, source }) => (await source(window)).map((entry) => ({ domain, ...entry }))));
    res.json({ bucket, timezone: 'UTC', buckets: window.keys.map((key) => `${key.replace(' ', 'T')}Z`), series: series.flat() });
  });
  return router;
}
