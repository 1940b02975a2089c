import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { activityWindow, fillSeries } from '../../../worker/src/core/activity/rules';
import { adminHeaders, startTestRuntime, type TestRuntime } from '../../support/runtime';

const HOUR = 3_600_000;

describe('activity windows', () => {
  it('hourly: the last N hours up to the current one, oldest first', () => {
    const window = activityWindow(new Date('2031-03-01T00:30:00Z'), 'hour', 3);
    expect(window.keys).toEqual(['2031-02-28 22:00:00', '2031-02-28 23:00:00', '2031-03-01 00:00:00']);
    expect(window.from.toISOString()).toBe('2031-02-28T22:00:00.000Z');
  });

  it('daily: the last N UTC days, across a month end', () => {
    const window = activityWindow(new Date('2032-03-01T23:59:59Z'), 'day', 3);
    expect(window.keys).toEqual(['2032-02-28 00:00:00', '2032-02-29 00:00:00', '2032-03-01 00:00:00']);
  });

  it('fills missing buckets with 0, adds rows of the same bucket, drops rows outside', () => {
    const window = activityWindow(new Date('2031-03-01T12:00:00Z'), 'day', 3);
    expect(
      fillSeries(window, [
        { bucket: '2031-02-28 00:00:00', value: 2 },
        { bucket: '2031-02-28 00:00:00', value: 3 },
        { bucket: '2031-01-01 00:00:00', value: 9 },
      ]),
    ).toEqual([0, 5, 0]);
  });
});

describe('GET /api/v1/activity (every domain, real MariaDB)', () => {
  let runtime: TestRuntime;
  const get = async (query: string) => {
    const response = await fetch(`${runtime.url}/api/v1/activity${query}`, { headers: adminHeaders() });
    return {
      status: response.status,
      body: (await response.json()) as {
        buckets: string[];
        series: Array<{ domain: string; chart: string; key: string; values: number[] }>;
        error?: { code: string };
      },
    };
  };
  const series = (body: Awaited<ReturnType<typeof get>>['body'], chart: string, key: string) =>
    body.series.find((entry) => entry.chart === chart && entry.key === key)?.values;

  beforeAll(async () => {
    runtime = await startTestRuntime({ processJobs: false });
    const db = runtime.ctx.db;
    const now = Date.now();
    const change = (source: 'webhook' | 'scheduled_sync' | 'manual', ago: number) => ({
      code: 'SKU1',
      name: 'x',
      new_quantity: 1,
      source,
      result: 'updated' as const,
      created_at: new Date(now - ago),
    });
    await db
      .insertInto('synchub_stock_changes')
      .values([change('webhook', 0), change('webhook', 0), change('scheduled_sync', HOUR), change('manual', 30 * 24 * HOUR)])
      .execute();
    const inbound = (id: string, status: 'processed' | 'failed', ago: number) => ({
      event_id: id,
      topic: 'order.paid',
      source: null,
      resource_id: '1',
      payload: '{}',
      body_sha256: null,
      status,
      intake_token: 't',
      received_at: new Date(now - ago),
    });
    await db
      .insertInto('synchub_inbound_events')
      .values([inbound('a', 'processed', 0), inbound('b', 'failed', 0), inbound('c', 'processed', 2 * 24 * HOUR)])
      .execute();
  });
  afterAll(async () => {
    await runtime?.dispose();
  });

  it('hourly series per chart, aligned with the buckets, the current hour last', async () => {
    const { status, body } = await get('?bucket=hour&count=4');
    expect(status).toBe(200);
    expect(body.buckets).toHaveLength(4);
    expect(Date.parse(body.buckets[3]!)).toBe(Math.floor(Date.now() / HOUR) * HOUR);
    expect(series(body, 'stock_changes', 'webhook')).toEqual([0, 0, 0, 2]);
    expect(series(body, 'stock_changes', 'scheduled_sync')).toEqual([0, 0, 1, 0]);
    expect(series(body, 'stock_changes', 'manual')).toEqual([0, 0, 0, 0]);
    expect(series(body, 'deliveries', 'received')).toEqual([0, 0, 0, 2]);
    expect(series(body, 'deliveries', 'failed')).toEqual([0, 0, 0, 1]);
    // Every chart is there, empty or not.
    expect([...new Set(body.series.map((entry) => entry.chart))].sort()).toEqual([
      'bookings_sent',
      'deliveries',
      'embeddings',
      'events_synced',
      'product_events',
      'stock_changes',
    ]);
    expect(body.series.every((entry) => entry.values.length === 4)).toBe(true);
  });

  it('daily series over 14 days by default', async () => {
    const { body } = await get('');
    expect(body.buckets).toHaveLength(14);
    expect(series(body, 'deliveries', 'received')?.slice(-3)).toEqual([1, 0, 2]);
    expect(series(body, 'stock_changes', 'manual')?.reduce((a, b) => a + b, 0)).toBe(0);
  });

  it.each(['?bucket=week', '?count=0', '?count=91', '?bucket=hour&count=x'])('refuses %s with 400', async (query) => {
    const { status, body } = await get(query);
    expect(status).toBe(400);
    expect(body.error?.code).toBe('validation_error');
  });
});
