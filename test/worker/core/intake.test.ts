import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { signBody } from '../../../worker/src/core/crypto';
import { adminHeaders, startTestRuntime, TEST_WEBHOOK_SECRET, type TestRuntime } from '../../support/runtime';
import { pluginHeaders } from '../../support/signing';
import { until } from '../../support/until';

let runtime: TestRuntime;

beforeAll(async () => {
  runtime = await startTestRuntime({ domains: [] });
});
afterAll(async () => {
  await runtime?.dispose();
});

const order = (id: number) => JSON.stringify({ id, number: String(id), status: 'processing', line_items: [] });

function post(body: string, headers: Record<string, string> = {}) {
  return fetch(`${runtime.url}/webhook/order`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });
}

const signed = (body: string, eventId: string) => pluginHeaders(body, eventId);

async function rowCount(): Promise<number> {
  const row = await runtime.ctx.db
    .selectFrom('synchub_inbound_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function waitForStatus(eventId: string, status: string, timeoutMs = 10_000): Promise<void> {
  const statusOf = async () =>
    (await runtime.ctx.db.selectFrom('synchub_inbound_events').select('status').where('event_id', '=', eventId).executeTakeFirst())?.status;
  await until(`event ${eventId} to be ${status}`, statusOf, (current) => current === status, timeoutMs, 50);
}

describe('POST /webhook/order', () => {
  it('persists a signed event, answers 202, and its job runs', async () => {
    const body = order(101);
    const response = await post(body, signed(body, 'evt-101'));
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ status: 'accepted', event_id: 'evt-101' });
    const row = await runtime.ctx.db.selectFrom('synchub_inbound_events').selectAll().where('event_id', '=', 'evt-101').executeTakeFirstOrThrow();
    expect(row.topic).toBe('order.paid');
    expect(row.resource_id).toBe('101');
    expect(row.payload).toBe(body);
    await waitForStatus('evt-101', 'processed');
  });

  it('answers a repeated event id with 200 skipped and enqueues nothing', async () => {
    const body = order(102);
    expect((await post(body, signed(body, 'evt-102'))).status).toBe(202);
    await waitForStatus('evt-102', 'processed');
    // The intake sweeper's schedule also completes jobs on this queue (every 30 s): leave it out.
    const intakeJobs = async () =>
      (await runtime.ctx.queues.get('maintenance').getJobs(['completed', 'waiting', 'active', 'delayed'])).filter((job) => job.name !== 'intake.sweep').length;
    const before = await intakeJobs();
    const again = await post(body, signed(body, 'evt-102'));
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ status: 'skipped', event_id: 'evt-102' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await intakeJobs()).toBe(before);
    const rows = await runtime.ctx.db.selectFrom('synchub_inbound_events').select('id').where('event_id', '=', 'evt-102').execute();
    expect(rows).toHaveLength(1);
  });

  it('hands concurrent deliveries to the jobs side in dispatch batches; a replayed dispatch adds no second job', async () => {
    const ids = Array.from({ length: 30 }, (_, i) => 110 + i);
    await Promise.all(ids.map((id) => post(order(id), signed(order(id), `evt-${id}`))));
    for (const id of ids) await waitForStatus(`evt-${id}`, 'processed');
    const queue = runtime.ctx.queues.get('maintenance');
    const rows = await runtime.ctx.db
      .selectFrom('synchub_inbound_events')
      .select('id')
      .where(
        'event_id',
        'in',
        ids.map((id) => `evt-${id}`),
      )
      .execute();
    const rowIds = rows.map((row) => row.id).sort((a, b) => a - b);
    const completed = await queue.getJobs(['completed']);
    const dispatched = completed
      .filter((job) => job.name === 'intake.dispatch')
      .flatMap((job) => (job.data as { items: Array<{ id: number }> }).items.map((item) => item.id));
    expect(dispatched.filter((id) => rowIds.includes(id)).sort((a, b) => a - b)).toEqual(rowIds);
    const inboundJobs = completed.filter((job) => job.name === 'inbound').length;
    const replay = await queue.add('intake.dispatch', { items: rowIds.map((id) => ({ id, topic: 'order.paid' })) });
    for (let i = 0; i < 100 && (await replay.getState()) !== 'completed'; i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await replay.getState()).toBe('completed');
    expect((await queue.getJobs(['completed', 'waiting', 'active', 'delayed'])).filter((job) => job.name === 'inbound')).toHaveLength(inboundJobs);
  });

  it('accepts exactly one of many concurrent deliveries of the same event', async () => {
    const body = order(103);
    const responses = await Promise.all(Array.from({ length: 20 }, () => post(body, signed(body, 'evt-103'))));
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses.filter((status) => status === 202)).toHaveLength(1);
    expect(statuses.filter((status) => status === 200)).toHaveLength(19);
  });

  it('answers the WooCommerce ping with 200 and stores nothing', async () => {
    const before = await rowCount();
    const response = await fetch(`${runtime.url}/webhook/order`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'webhook_id=15',
    });
    expect(response.status).toBe(200);
    expect(await rowCount()).toBe(before);
  });

  it.each([
    ['missing signature', {}, 401, 'missing_signature'],
    ['wrong signature', { 'X-WC-Webhook-Signature': signBody('{"id":1}', 'not-the-secret') }, 401, 'invalid_signature'],
  ])('%s → %i and no row', async (_label, headers, status, code) => {
    const before = await rowCount();
    const response = await post(order(104), headers as Record<string, string>);
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual({ error: { code, message: expect.any(String) } });
    expect(await rowCount()).toBe(before);
  });

  it('signature over a different body is refused', async () => {
    const before = await rowCount();
    const response = await post(order(105), signed(order(106), 'evt-105'));
    expect(response.status).toBe(401);
    expect(await rowCount()).toBe(before);
  });

  it.each([
    ['malformed JSON', '{"id": 1,', 400, 'malformed_json'],
    ['a JSON array', '[1,2]', 400, 'invalid_body'],
  ])('%s → %i and no row', async (_label, body, status, code) => {
    const before = await rowCount();
    const response = await post(body, signed(body, `evt-bad-${code}`));
    expect(response.status).toBe(status);
    expect((await response.json()).error.code).toBe(code);
    expect(await rowCount()).toBe(before);
  });

  it('refuses a body over 1 MB with 413 and no row', async () => {
    const before = await rowCount();
    const body = JSON.stringify({ id: 1, note: 'x'.repeat(1024 * 1024) });
    const response = await post(body, signed(body, 'evt-big'));
    expect(response.status).toBe(413);
    expect((await response.json()).error.code).toBe('payload_too_large');
    expect(await rowCount()).toBe(before);
  });

  it('refuses an unsigned topic that is not a topic', async () => {
    const body = order(107);
    const response = await post(body, { 'X-WC-Webhook-Signature': signBody(body, TEST_WEBHOOK_SECRET), 'X-WC-Webhook-Topic': 'DROP TABLE' });
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe('invalid_topic');
  });
});

describe('errors and auth', () => {
  it('answers unknown routes with 401 without the admin token and 404 JSON with it', async () => {
    // Everything but the public routes sits behind the admin check: no route map for strangers.
    expect((await fetch(`${runtime.url}/nowhere`)).status).toBe(401);
    const response = await fetch(`${runtime.url}/nowhere`, { headers: adminHeaders() });
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe('not_found');
  });

  it('requires the admin bearer token on admin routes', async () => {
    expect((await fetch(`${runtime.url}/api/v1/jobs/failed`)).status).toBe(401);
    const wrong = await fetch(`${runtime.url}/api/v1/jobs/failed`, { headers: { Authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).error.code).toBe('unauthorized');
  });
});
