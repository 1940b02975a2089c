import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { CreateDomain } from '../../../worker/src/core/domain';
import { createTestDatabase, uniquePrefix, type TestDatabase } from '../../support/db';
import { adminHeaders, startTestRuntime, type TestRuntime } from '../../support/runtime';
import { pluginHeaders } from '../../support/signing';

// SYNCHUB_ROLE splits one deployment into processes that take requests (http) and processes that
// run jobs (jobs); `all` does both. Both kinds share the database and the queues.
let database: TestDatabase;
let http: TestRuntime;
let jobs: TestRuntime;
const ran: string[] = [];

const recorder =
  (who: string): CreateDomain =>
  () => ({
    name: 'events',
    processors: () => ({
      note: async (job) => {
        ran.push(`${who}:${String((job.data as { n: number }).n)}`);
      },
    }),
  });

beforeAll(async () => {
  database = await createTestDatabase();
  const prefix = uniquePrefix('roles');
  http = await startTestRuntime({ database, domains: [recorder('http')], env: { BULLMQ_PREFIX: prefix, SYNCHUB_ROLE: 'http' } });
  jobs = await startTestRuntime({ database, domains: [recorder('jobs')], env: { BULLMQ_PREFIX: prefix, SYNCHUB_ROLE: 'jobs' } });
});
afterAll(async () => {
  await jobs?.dispose();
  await http?.dispose();
  await database?.drop();
});

describe('SYNCHUB_ROLE', () => {
  it('an http process takes an order and a jobs process processes it', async () => {
    const body = JSON.stringify({ id: 901, number: '901', status: 'processing', line_items: [] });
    const response = await fetch(`${http.url}/webhook/order`, { method: 'POST', headers: pluginHeaders(body, 'roles-901'), body });
    expect(response.status).toBe(202);
    const deadline = Date.now() + 10_000;
    let status: string | undefined;
    while (Date.now() < deadline) {
      status = (await http.ctx.db.selectFrom('synchub_inbound_events').select('status').where('event_id', '=', 'roles-901').executeTakeFirst())?.status;
      if (status === 'processed') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(status).toBe('processed');
  });

  it('jobs added by any process run only in the jobs process', async () => {
    for (let n = 1; n <= 5; n += 1) await http.ctx.queues.get('events').add('note', { n });
    const deadline = Date.now() + 10_000;
    while (ran.length < 5 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(ran.sort()).toEqual(['jobs:1', 'jobs:2', 'jobs:3', 'jobs:4', 'jobs:5']);
  });

  it('a jobs process answers its health check and refuses every other request with a JSON 404', async () => {
    const health = await fetch(`${jobs.url}/health`, { headers: adminHeaders() });
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'healthy', database: true, redis: true });
    const body = JSON.stringify({ id: 902, number: '902', status: 'processing', line_items: [] });
    const order = await fetch(`${jobs.url}/webhook/order`, { method: 'POST', headers: pluginHeaders(body, 'roles-902'), body });
    expect(order.status).toBe(404);
    expect(await order.json()).toMatchObject({ error: { code: 'jobs_only' } });
    const admin = await fetch(`${jobs.url}/api/v1/jobs/failed`, { headers: adminHeaders() });
    expect(admin.status).toBe(404);
    const rows = await http.ctx.db.selectFrom('synchub_inbound_events').select('id').where('event_id', '=', 'roles-902').execute();
    expect(rows).toHaveLength(0);
  });
});
