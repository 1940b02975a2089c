import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { CreateDomain } from '../../../worker/src/core/domain';
import { overallProgress, summarise, toReport } from '../../../worker/src/core/drift/rules';
import { DriftNotConfiguredError, type DriftFindings, type DriftItem } from '../../../worker/src/core/drift/types';
import { adminHeaders, startTestRuntime, type TestRuntime } from '../../support/runtime';

const item = (id: string, kind: string): DriftItem => ({ id, kind, detail: {}, resyncable: true });

describe('drift rules', () => {
  it.each([
    { differences: [], kinds: {}, items: 0 },
    { differences: [item('a', 'x'), item('b', 'x'), item('c', 'y')], kinds: { x: 2, y: 1 }, items: 3 },
    { differences: Array.from({ length: 60 }, (_, index) => item(String(index), 'x')), kinds: { x: 60 }, items: 50 },
  ])('summarise counts every difference and keeps the first 50 ($items)', ({ differences, kinds, items }) => {
    const findings = summarise(100, differences, { source: 's' });
    expect(findings.kinds).toEqual(kinds);
    expect(findings.items).toHaveLength(items);
    expect(findings.items[0]?.id).toBe(differences[0]?.id);
  });

  it('a report is in sync with no difference, drifting with some, and keeps a failure message', () => {
    const at = new Date(Date.now() - 5_000);
    expect(toReport('stock', { findings: summarise(3, [], {}) }, at, 12)).toMatchObject({
      status: 'in_sync',
      differing: 0,
      checkedAt: at.toISOString(),
      durationMs: 12,
    });
    expect(toReport('stock', { findings: summarise(3, [item('a', 'x'), item('b', 'y')], {}) }, at, 1)).toMatchObject({ status: 'drift', differing: 2 });
    expect(toReport('stock', { status: 'not_configured', message: 'no SIIGO' }, at, 1)).toMatchObject({
      status: 'not_configured',
      message: 'no SIIGO',
      items: [],
    });
  });

  it.each([
    [0, 4, 0, 0],
    [1, 4, 0.5, 38],
    [3, 4, 1, 100],
    [0, 1, 2, 100],
    [0, 2, Number.NaN, 0],
    [0, 0, 0, 100],
  ])('overall progress of domain %i of %i at %f is %i %%', (index, total, fraction, expected) => {
    expect(overallProgress(index, total, fraction)).toBe(expected);
  });
});

describe('drift report (routes, job, last result)', () => {
  let runtime: TestRuntime;
  let findings: DriftFindings = summarise(2, [item('sku-1', 'quantity_differs')], { source: 'here' });
  let failing: Error | null = null;
  const resynced: string[][] = [];
  let release: (() => void) | null = null;

  const domain =
    (name: 'stock' | 'events'): CreateDomain =>
    () => ({
      name,
      drift: () => ({
        async check(progress) {
          if (failing) throw failing;
          await progress(0.5);
          if (release === null && name === 'events') await new Promise<void>((resolve) => (release = resolve));
          return findings;
        },
        async resync(ids) {
          resynced.push(ids);
          return { enqueued: ids.length, skipped: [] };
        },
      }),
    });

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${runtime.url}${path}`, { method, headers: adminHeaders(), body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  const waitForReport = async (name: string, done: (report: Record<string, any> | null) => boolean, { idle = false } = {}) => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const { body } = await call('GET', `/api/v1/drift/${name}`);
      // With `idle`, also no check still running: a "check now" while one runs joins it instead of starting anew.
      if (done(body.report) && (!idle || body.running === null)) return body;
      if (Date.now() > deadline) throw new Error(`drift report of ${name}: ${JSON.stringify(body)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  beforeAll(async () => {
    runtime = await startTestRuntime({ domains: [domain('stock'), domain('events')] });
  });
  afterAll(async () => {
    await runtime?.dispose();
  });

  it('lists every domain with no report before the first check, and is behind the admin token', async () => {
    const { status, body } = await call('GET', '/api/v1/drift');
    expect(status).toBe(200);
    expect(body.domains).toEqual([
      { domain: 'stock', report: null },
      { domain: 'events', report: null },
    ]);
    expect(body.schedule).toBe('17 */6 * * *');
    expect(Date.parse(body.next_check_at) - Date.now()).toBeGreaterThan(0);
    expect(Date.parse(body.next_check_at) - Date.now()).toBeLessThanOrEqual(6 * 3600_000);
    expect((await fetch(`${runtime.url}/api/v1/drift`)).status).toBe(401);
  });

  it('"check now" runs in the background with progress, then keeps each result with its time', async () => {
    const queued = await call('POST', '/api/v1/drift/check', {});
    expect(queued.status).toBe(202);
    // The stock check finished and the events one waits: its progress is visible meanwhile.
    const stock = await waitForReport('stock', (report) => report !== null);
    expect(stock.report).toMatchObject({ domain: 'stock', status: 'drift', differing: 1, kinds: { quantity_differs: 1 } });
    expect(Date.now() - Date.parse(stock.report.checkedAt)).toBeLessThan(60_000);
    let running: Record<string, any> | null = null;
    for (let tries = 0; tries < 100 && !(running && running.progress >= 75); tries += 1) {
      running = (await call('GET', '/api/v1/drift')).body.running;
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    expect(running).toMatchObject({ state: 'active', progress: 75, domains: ['stock', 'events'] });
    // A second "check now" while one runs joins it.
    expect((await call('POST', '/api/v1/drift/check', {})).body.job_id).toBe(queued.body.job_id);
    release?.();
    await waitForReport('events', (report) => report !== null, { idle: true });
    expect((await call('GET', '/api/v1/drift')).body.running).toBeNull();
    const stored = await runtime.ctx.db.selectFrom('synchub_drift_reports').select(['domain', 'status']).orderBy('domain').execute();
    expect(stored).toEqual([
      { domain: 'events', status: 'drift' },
      { domain: 'stock', status: 'drift' },
    ]);
  });

  it('a check of one domain replaces only its report; a failing check is kept as such', async () => {
    findings = summarise(2, [], {});
    expect((await call('POST', '/api/v1/drift/check', { domains: ['stock'] })).status).toBe(202);
    await waitForReport('stock', (report) => report?.status === 'in_sync', { idle: true });
    expect((await call('GET', '/api/v1/drift/events')).body.report.status).toBe('drift');
    failing = new DriftNotConfiguredError('SIIGO is not configured');
    expect((await call('POST', '/api/v1/drift/check', { domains: ['stock'] })).status).toBe(202);
    const report = await waitForReport('stock', (value) => value?.status === 'not_configured', { idle: true });
    expect(report.report.message).toBe('SIIGO is not configured');
    failing = new Error('store database unreachable');
    expect((await call('POST', '/api/v1/drift/check', { domains: ['stock'] })).status).toBe(202);
    expect((await waitForReport('stock', (value) => value?.status === 'error', { idle: true })).report.message).toBe('store database unreachable');
    failing = null;
  });

  it('"re-sync these" hands the ids to the domain, once each', async () => {
    const { status, body } = await call('POST', '/api/v1/drift/stock/resync', { ids: ['sku-1', 'sku-2', 'sku-1'] });
    expect(status).toBe(202);
    expect(body).toEqual({ status: 'queued', enqueued: 2, skipped: [] });
    expect(resynced.at(-1)).toEqual(['sku-1', 'sku-2']);
  });

  it.each([
    ['GET', '/api/v1/drift/bookings', undefined, 404],
    ['POST', '/api/v1/drift/bookings/resync', { ids: ['1'] }, 404],
    ['POST', '/api/v1/drift/stock/resync', { ids: [] }, 400],
    ['POST', '/api/v1/drift/stock/resync', { ids: ['x'], extra: true }, 400],
    ['POST', '/api/v1/drift/stock/resync', { ids: [''] }, 400],
    ['POST', '/api/v1/drift/check', { domains: ['nope'] }, 400],
    ['POST', '/api/v1/drift/check', { domains: 'stock' }, 400],
  ])('%s %s %j is refused with %i and a JSON error', async (method, path, body, expected) => {
    const before = resynced.length;
    const { status, body: answer } = await call(method, path, body);
    expect(status).toBe(expected);
    expect(answer.error).toEqual(expect.objectContaining({ code: expect.any(String) }));
    expect(resynced.length).toBe(before);
  });
});
