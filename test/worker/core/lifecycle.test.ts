import { UnrecoverableError } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';

import type { CreateDomain } from '../../../worker/src/core/domain';
import { InboundEventStore } from '../../../worker/src/core/intake/store';
import { adminHeaders, startTestRuntime, type TestRuntime } from '../../support/runtime';
import { pluginHeaders } from '../../support/signing';
import { untilFound } from '../../support/until';

const runtimes: TestRuntime[] = [];
afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((runtime) => runtime.dispose()));
});

async function start(options: Parameters<typeof startTestRuntime>[0] = {}): Promise<TestRuntime> {
  const runtime = await startTestRuntime(options);
  runtimes.push(runtime);
  return runtime;
}

async function deliver(runtime: TestRuntime, id: number, eventId: string): Promise<Response> {
  const body = JSON.stringify({ id, status: 'processing' });
  return fetch(`${runtime.url}/webhook/order`, {
    method: 'POST',
    headers: pluginHeaders(body, eventId),
    body,
  });
}

const until = <T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 10_000) => untilFound(what, probe, timeoutMs);

async function inboundStatus(runtime: TestRuntime, eventId: string) {
  return runtime.ctx.db.selectFrom('synchub_inbound_events').select(['status', 'last_error']).where('event_id', '=', eventId).executeTakeFirst();
}

describe('dead letters', () => {
  it('keeps a failed job, lists it, and replays it to success', async () => {
    let failNext = true;
    const flaky: CreateDomain = () => ({
      name: 'bookings',
      inbound: {
        topics: ['order.paid'],
        handler: async () => {
          if (failNext) throw new UnrecoverableError('Odoo said no');
          return 'processed';
        },
      },
    });
    const runtime = await start({ domains: [flaky] });
    expect((await deliver(runtime, 1, 'dl-1')).status).toBe(202);
    await until(async () => ((await inboundStatus(runtime, 'dl-1'))?.status === 'failed' ? true : undefined), 'the job to fail');
    expect((await inboundStatus(runtime, 'dl-1'))?.last_error).toBe('Odoo said no');

    const list = await fetch(`${runtime.url}/api/v1/jobs/failed?queue=bookings`, { headers: adminHeaders() });
    expect(list.status).toBe(200);
    const body = (await list.json()) as { total: number; items: Array<{ id: string; queue: string; failedReason: string; data: unknown }> };
    expect(body.total).toBe(1);
    expect(body.items[0]).toMatchObject({ queue: 'bookings', failedReason: 'Odoo said no' });

    failNext = false;
    const replay = await fetch(`${runtime.url}/api/v1/jobs/bookings/${body.items[0]?.id}/retry`, { method: 'POST', headers: adminHeaders() });
    expect(replay.status).toBe(202);
    await until(async () => ((await inboundStatus(runtime, 'dl-1'))?.status === 'processed' ? true : undefined), 'the replay to succeed');
    const after = (await (await fetch(`${runtime.url}/api/v1/jobs/failed?queue=bookings`, { headers: adminHeaders() })).json()) as { total: number };
    expect(after.total).toBe(0);
  });

  it('explains bad replay requests', async () => {
    const runtime = await start({ domains: [] });
    const unknownQueue = await fetch(`${runtime.url}/api/v1/jobs/nope/1/retry`, { method: 'POST', headers: adminHeaders() });
    expect(unknownQueue.status).toBe(400);
    const missing = await fetch(`${runtime.url}/api/v1/jobs/stock/404/retry`, { method: 'POST', headers: adminHeaders() });
    expect(missing.status).toBe(404);
    const badQuery = await fetch(`${runtime.url}/api/v1/jobs/failed?queue=nope`, { headers: adminHeaders() });
    expect(badQuery.status).toBe(400);
    expect((await badQuery.json()).error.details.fields.queue).toBeDefined();
  });
});

describe('intake sweeper', () => {
  it('enqueues events that were persisted while the queue was unreachable', async () => {
    // processJobs false + a store write without dispatch = the state left when Redis was down.
    const runtime = await start({ domains: [], env: { INTAKE_SWEEP_AFTER_MS: '0' } });
    // The schedule's first sweep runs at start; let it finish so it cannot pick the row up first.
    const maintenance = runtime.ctx.queues.get('maintenance');
    await until(
      async () => ((await maintenance.getJobs(['completed'])).some((job) => job.name === 'intake.sweep') ? true : undefined),
      'the first scheduled sweep',
    );
    const store = new InboundEventStore(runtime.ctx.db);
    await store.accept({ eventId: 'stranded-1', topic: 'order.paid', source: null, resourceId: '9', payload: '{"id":9}', bodySha256: 'f'.repeat(64) });
    expect((await inboundStatus(runtime, 'stranded-1'))?.status).toBe('received');
    await maintenance.add('intake.sweep', {});
    await until(async () => ((await inboundStatus(runtime, 'stranded-1'))?.status === 'processed' ? true : undefined), 'the stranded event to be processed');
    const jobs = await maintenance.getJobs(['completed']);
    expect(jobs.filter((job) => job.name === 'inbound')).toHaveLength(1);
  });

  it('registers its schedule once however many workers start', async () => {
    const first = await start({ domains: [] });
    const schedulers = await first.ctx.queues.get('maintenance').getJobSchedulers();
    expect(schedulers.map((entry) => entry.key).sort()).toEqual(['drift-check', 'intake-sweep']);
  });
});

describe('health', () => {
  it('reports database, redis and queues to the admin token', async () => {
    const runtime = await start({ domains: [] });
    const response = await fetch(`${runtime.url}/health`, { headers: adminHeaders() });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ status: 'healthy', database: true, redis: true, odoo_connection: null, siigo_connection: null });
    expect(Object.keys(body.queues).sort()).toEqual(['bookings', 'events', 'maintenance', 'products', 'stock']);
    expect(body.queues.stock).toEqual({ waiting: 0, active: 0, failed: 0, delayed: 0 });
  });

  it('is degraded when a connector is down', async () => {
    const runtime = await start({ domains: [() => ({ name: 'bookings', health: async () => ({ odoo_connection: false }) })] });
    const response = await fetch(`${runtime.url}/health`, { headers: adminHeaders() });
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: 'degraded', odoo_connection: false, database: true });
    // Anyone sees that it is degraded, not why.
    const anonymous = await fetch(`${runtime.url}/health`);
    expect(anonymous.status).toBe(503);
    expect(await anonymous.json()).toEqual({ status: 'degraded' });
  });

  it('shows only liveness without the token and refuses a wrong token', async () => {
    const runtime = await start({ domains: [] });
    const anonymous = await fetch(`${runtime.url}/health`);
    expect(anonymous.status).toBe(200);
    expect(await anonymous.json()).toEqual({ status: 'healthy' });
    const wrong = await fetch(`${runtime.url}/health`, { headers: { Authorization: 'Bearer not-the-admin-token' } });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
  });
});

describe('graceful shutdown', () => {
  it('finishes an active job before it stops', async () => {
    let finished = false;
    const slow: CreateDomain = () => ({
      name: 'events',
      inbound: {
        topics: ['order.paid'],
        handler: async () => {
          await new Promise((resolve) => setTimeout(resolve, 700));
          finished = true;
          return 'processed';
        },
      },
    });
    const runtime = await startTestRuntime({ domains: [slow] });
    expect((await deliver(runtime, 2, 'slow-1')).status).toBe(202);
    await until(async () => ((await runtime.ctx.queues.get('events').getActiveCount()) > 0 ? true : undefined), 'the job to start');
    const started = Date.now();
    const stopping = runtime.stop();
    await stopping;
    expect(finished).toBe(true);
    expect(Date.now() - started).toBeLessThan(10_000);
    await runtime.database.drop();
  });

  it('hands a job that outlives the deadline back to the queue, where the next worker completes it', async () => {
    let runs = 0;
    const stuck: CreateDomain = () => ({
      name: 'events',
      inbound: {
        topics: ['order.paid'],
        handler: async (_event, _job, signal) => {
          runs += 1;
          if (runs === 1) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
          return 'processed';
        },
      },
    });
    const first = await startTestRuntime({ domains: [stuck], env: { SHUTDOWN_TIMEOUT_MS: '1500' } });
    expect((await deliver(first, 3, 'stuck-1')).status).toBe(202);
    await until(async () => ((await first.ctx.queues.get('events').getActiveCount()) > 0 ? true : undefined), 'the job to start');
    await first.stop();
    const second = await start({ domains: [stuck], database: first.database, env: { BULLMQ_PREFIX: first.prefix } });
    await until(async () => ((await inboundStatus(second, 'stuck-1'))?.status === 'processed' ? true : undefined), 'the handed-back job to complete');
    expect(runs).toBe(2);
    await first.database.drop();
  });
});
