import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { KeyClaims, OrderLocks } from '../../../worker/src/bookings/orders/locks';
import { CircuitBreaker } from '../../../worker/src/connectors/siigo/breaker';
import type { CreateDomain } from '../../../worker/src/core/domain';
import { scanTargets } from '../../../worker/src/core/redis';
import { createProductsDomain } from '../../../worker/src/products';
import { startFakeEmbeddings, type FakeEmbeddingsServer } from '../../fakes/embeddings/server';
import { uniquePrefix } from '../../support/db';
import { startRedisCluster, type TestRedisCluster } from '../../support/redis-cluster';
import { adminHeaders, startTestRuntime, type TestRuntime } from '../../support/runtime';
import { pluginHeaders } from '../../support/signing';
import { generateToken, postEvent, productEvent, productRow, waitFor, waitForEventSettled } from '../products/helpers';

// The worker, unchanged, against a real 3-master Redis Cluster on loopback (scripts/redis-cluster.sh):
// the Cluster client comes from REDIS_CLUSTER_NODES, and the prefix's hash tag keeps every key
// BullMQ's scripts and the worker's own multi-key calls touch in one slot.

let cluster: TestRedisCluster;
let fake: FakeEmbeddingsServer;
let first: TestRuntime;
let second: TestRuntime;
let prefix: string;
const ticks: string[] = [];
const flaky = { allow: false, runs: 0 };

/** A stand-in events domain: a fast schedule and a job that fails until it is allowed to pass. */
const testDomain =
  (who: string): CreateDomain =>
  () => ({
    name: 'events',
    schedules: () => [{ id: 'cluster-tick', repeat: { every: 200 }, jobName: 'tick' }],
    processors: () => ({
      tick: async (job) => {
        ticks.push(`${job.id}|${who}`);
      },
      flaky: async () => {
        flaky.runs += 1;
        if (!flaky.allow) throw new Error('not yet');
        return { ok: true };
      },
    }),
  });

beforeAll(async () => {
  cluster = await startRedisCluster(3);
  fake = await startFakeEmbeddings({ apiKey: 'sk-embed' });
  prefix = `{${uniquePrefix('cluster')}}`;
  const env = {
    REDIS_CLUSTER_NODES: cluster.nodes,
    BULLMQ_PREFIX: prefix,
    PRODUCTS_RETRY_DELAY_MS: '50',
    PRODUCTS_SWEEP_AFTER_MS: '200',
    EMBEDDINGS_URL: fake.url,
    EMBEDDINGS_MODEL: 'test-embed',
    EMBEDDINGS_API_KEY: 'sk-embed',
  };
  first = await startTestRuntime({ env, domains: [createProductsDomain, testDomain('a')] });
  second = await startTestRuntime({ env, database: first.database, domains: [createProductsDomain, testDomain('b')] });
}, 90_000);

afterAll(async () => {
  await second?.dispose();
  await first?.dispose();
  await fake?.close();
  await cluster?.stop();
}, 60_000);

async function inboundStatus(eventId: string): Promise<string | undefined> {
  const row = await first.ctx.db.selectFrom('synchub_inbound_events').select('status').where('event_id', '=', eventId).executeTakeFirst();
  return row?.status;
}

describe('the worker on a Redis Cluster', () => {
  it('talks to all three masters through the Cluster client and reports Redis healthy', async () => {
    expect(scanTargets(first.ctx.redis)).toHaveLength(3);
    const health = await fetch(`${first.url}/health`, { headers: adminHeaders() }).then(
      (response) => response.json() as Promise<{ redis: boolean; queues: Record<string, unknown> }>,
    );
    expect(health.redis).toBe(true);
    expect(Object.keys(health.queues)).toContain('events');
  });

  it('order intake: a signed order is persisted, answered 202 and processed; a repeat is skipped', async () => {
    const body = JSON.stringify({ id: 501, number: '501', status: 'processing', line_items: [] });
    const response = await fetch(`${first.url}/webhook/order`, { method: 'POST', headers: pluginHeaders(body, 'cluster-evt-501'), body });
    expect(response.status).toBe(202);
    await waitFor(async () => (await inboundStatus('cluster-evt-501')) === 'processed', 15_000, 'inbound event processed');
    const again = await fetch(`${second.url}/webhook/order`, { method: 'POST', headers: pluginHeaders(body, 'cluster-evt-501'), body });
    expect(again.status).toBe(200);
    const rows = await first.ctx.db.selectFrom('synchub_inbound_events').select('id').where('event_id', '=', 'cluster-evt-501').execute();
    expect(rows).toHaveLength(1);
  });

  it('a domain job: a product event (token, rate limit, queue, embedding) ends as a stored product', async () => {
    const token = await generateToken(first, { name: 'cluster-shop', rate_limit_per_minute: 1_000 });
    const event = productEvent(7001, {}, { event_type: 'product.created', sequence: 1 });
    const response = await postEvent(second, token.token, event);
    expect(response.status).toBe(202);
    const settled = await waitForEventSettled(first, event.event_id as string, 20_000);
    expect(settled.status).toBe('processed');
    const product = await productRow(first, 7001);
    expect(product).toMatchObject({ external_id: 'woo_7001', name: 'Product 7001', needs_embedding: 0 });
    expect(fake.calls).toBe(1);
  });

  it('a schedule shared by two worker processes runs each tick once', async () => {
    ticks.length = 0;
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const ids = ticks.map((entry) => entry.split('|')[0]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(4);
    expect(ids.length).toBeLessThanOrEqual(12);
    const schedulers = await first.ctx.queues.get('events').getJobSchedulers();
    expect(schedulers.map((entry) => entry.key)).toEqual(['cluster-tick']);
  });

  it('failed-job replay: a dead letter is listed, replayed through the admin API and completes', async () => {
    const job = await first.ctx.queues.get('events').add('flaky', {}, { attempts: 1 });
    await waitFor(async () => (await job.getState()) === 'failed', 15_000, 'job failed');
    const listed = await fetch(`${first.url}/api/v1/jobs/failed?queue=events`, { headers: adminHeaders() }).then(
      (r) => r.json() as Promise<{ items: Array<{ id: string; failedReason: string }> }>,
    );
    expect(listed.items.find((item) => item.id === job.id)).toMatchObject({ failedReason: 'not yet' });
    flaky.allow = true;
    const replay = await fetch(`${second.url}/api/v1/jobs/events/${job.id}/retry`, { method: 'POST', headers: adminHeaders() });
    expect(replay.status).toBe(202);
    await waitFor(async () => (await first.ctx.queues.get('events').getJobState(job.id as string)) === 'completed', 15_000, 'replayed job completed');
    expect(flaky.runs).toBe(2);
  });

  it("the worker's own multi-key calls work across processes: order locks, key claims and the circuit breaker", async () => {
    const locksA = new OrderLocks(first.ctx.redis, prefix);
    const locksB = new OrderLocks(second.ctx.redis, prefix);
    const outcome = await locksA.withLocks([1, 2, 3], async (locked) => {
      const inner = await locksB.withLocks([2, 3, 4], async (lockedByB) => lockedByB);
      return { locked, inner };
    });
    expect(outcome.result).toEqual({ locked: [1, 2, 3], inner: { result: [4], busy: [2, 3] } });
    const claims = [new KeyClaims(first.ctx.redis, prefix), new KeyClaims(second.ctx.redis, prefix)];
    const inside: string[] = [];
    await Promise.all(
      claims.map((claim, i) =>
        claim.withClaims(['ana@example.com', 'SLOT-1'], async () => {
          inside.push(`in${i}`);
          await new Promise((resolve) => setTimeout(resolve, 50));
          inside.push(`out${i}`);
        }),
      ),
    );
    // All or nothing across processes: one holder at a time.
    expect([inside.slice(0, 2), inside.slice(2)].every(([a, b]) => a?.replace('in', '') === b?.replace('out', ''))).toBe(true);
    const breaker = new CircuitBreaker(first.ctx.redis, `${prefix}:siigo:test:breaker`, { threshold: 2, cooldownMs: 60_000, probeTimeoutMs: 1_000 });
    await breaker.recordFailure();
    expect(await breaker.state()).toBe('closed');
    await breaker.recordFailure();
    expect(
      await new CircuitBreaker(second.ctx.redis, `${prefix}:siigo:test:breaker`, { threshold: 2, cooldownMs: 60_000, probeTimeoutMs: 1_000 }).state(),
    ).toBe('open');
    await breaker.reset();
    expect(await breaker.state()).toBe('closed');
  });

  it('every key the worker wrote hashes to the one slot of its prefix', async () => {
    const client = cluster.client();
    const slots = new Set<number>();
    let keys = 0;
    for (const node of scanTargets(first.ctx.redis)) {
      for await (const batch of node.scanStream({ match: `${prefix}:*`, count: 1000 }) as AsyncIterable<string[]>) {
        for (const key of batch) {
          keys += 1;
          slots.add(Number(await client.cluster('KEYSLOT', key)));
        }
      }
    }
    expect(keys).toBeGreaterThan(10);
    expect([...slots]).toEqual([Number(await client.cluster('KEYSLOT', prefix))]);
  });
});
