import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { hashToken } from '../../../worker/src/products/tokens/token';
import { adminHeaders, type TestRuntime } from '../../support/runtime';
import {
  eventRow,
  generateToken,
  postEvent,
  productEvent,
  productRow,
  startProductsRuntime,
  uniqueEventId,
  waitFor,
  waitForEventDone,
  type GeneratedToken,
} from './helpers';

let runtime: TestRuntime;
let token: GeneratedToken;

beforeAll(async () => {
  runtime = await startProductsRuntime();
  token = await generateToken(runtime, { name: 'shop', rate_limit_per_minute: 100_000 });
});
afterAll(async () => {
  await runtime?.dispose();
});

const eventCount = async () =>
  Number(
    (
      await runtime.ctx.db
        .selectFrom('synchub_product_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const productCount = async () =>
  Number(
    (
      await runtime.ctx.db
        .selectFrom('synchub_products')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('integration tokens (admin)', () => {
  it('generates a token shown once and stores only its hash', async () => {
    const created = await generateToken(runtime, { name: 'Backend A', owner: 'acme', expires_in_days: 30, ip_allowlist: ['127.0.0.1', '10.0.0.0/8'] });
    expect(created.token).toMatch(/^wc_sk_live_[A-Za-z0-9]{40}$/);
    expect(created).toMatchObject({
      name: 'Backend A',
      owner: 'acme',
      token_type: 'woocommerce',
      is_active: true,
      usage_count: 0,
      ip_allowlist: ['127.0.0.1', '10.0.0.0/8'],
    });
    expect(created.preview).toBe(`${created.token.slice(0, 15)}…${created.token.slice(-4)}`);
    const row = await runtime.ctx.db.selectFrom('synchub_integration_tokens').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(hashToken(created.token));
    expect(JSON.stringify(row)).not.toContain(created.token);

    const list = await fetch(`${runtime.url}/api/v1/integrations/tokens/`, { headers: adminHeaders() });
    const body = (await list.json()) as { count: number; results: Array<Record<string, unknown>> };
    expect(body.results.find((item) => item.id === created.id)).toMatchObject({ preview: created.preview, name: 'Backend A' });
    expect(JSON.stringify(body)).not.toContain(created.token);
  });

  it.each([
    ['no name', {}, 'name'],
    ['an unknown type', { name: 'x', token_type: 'stripe' }, 'token_type'],
    ['a bad IP rule', { name: 'x', ip_allowlist: ['not-an-ip'] }, 'ip_allowlist.0'],
    ['an expiry in the past', { name: 'x', expires_at: '2000-01-01T00:00:00Z' }, 'expires_at'],
    ['an unknown field', { name: 'x', admin: true }, '_'],
    ['a string rate limit', { name: 'x', rate_limit_per_minute: '5' }, 'rate_limit_per_minute'],
  ])('refuses to generate with %s (400, nothing stored)', async (_label, body, field) => {
    const before = Number(
      (
        await runtime.ctx.db
          .selectFrom('synchub_integration_tokens')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    const response = await fetch(`${runtime.url}/api/v1/integrations/tokens/generate/`, {
      method: 'POST',
      headers: adminHeaders(),
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(400);
    const error = (await response.json()) as { error: { code: string; details: { fields: Record<string, string[]> } } };
    expect(error.error.code).toBe('validation_error');
    expect(Object.keys(error.error.details.fields)).toContain(field);
    const after = Number(
      (
        await runtime.ctx.db
          .selectFrom('synchub_integration_tokens')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    expect(after).toBe(before);
  });

  it('needs the admin token', async () => {
    expect((await fetch(`${runtime.url}/api/v1/integrations/tokens/`)).status).toBe(401);
    expect(
      (
        await fetch(`${runtime.url}/api/v1/integrations/tokens/generate/`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: '{"name":"x"}',
        })
      ).status,
    ).toBe(401);
  });

  it('revokes: the token stops working with a reason', async () => {
    const created = await generateToken(runtime, { name: 'to revoke' });
    expect((await postEvent(runtime, created.token, productEvent(900))).status).toBe(202);
    const revoked = await fetch(`${runtime.url}/api/v1/integrations/tokens/${created.id}/`, { method: 'DELETE', headers: adminHeaders() });
    expect(revoked.status).toBe(200);
    expect(await revoked.json()).toMatchObject({ status: 'revoked', token: { id: created.id, is_active: false } });
    const refused = await postEvent(runtime, created.token, productEvent(900));
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { code: 'token_inactive' } });
    expect((await fetch(`${runtime.url}/api/v1/integrations/tokens/999999/`, { method: 'DELETE', headers: adminHeaders() })).status).toBe(404);
  });

  it('counts usage and remembers the last use', async () => {
    const created = await generateToken(runtime, { name: 'usage' });
    for (let i = 0; i < 3; i += 1) expect((await postEvent(runtime, created.token, productEvent(901))).status).toBe(202);
    const list = (await (await fetch(`${runtime.url}/api/v1/integrations/tokens/`, { headers: adminHeaders() })).json()) as {
      results: Array<{ id: number; usage_count: number; last_used_at: string | null; last_used_ip: string | null }>;
    };
    const entry = list.results.find((item) => item.id === created.id);
    expect(entry?.usage_count).toBe(3);
    expect(entry?.last_used_at).not.toBeNull();
    expect(entry?.last_used_ip).toBe('127.0.0.1');
  });
});

describe('POST /api/integrations/woocommerce/webhook/ — authentication', () => {
  it.each([
    ['no Authorization header', undefined, 'missing_token'],
    ['a malformed token', 'Bearer hello', 'invalid_token'],
    ['an unknown token', `Bearer wc_sk_live_${'x'.repeat(40)}`, 'invalid_token'],
    ['Basic auth', 'Basic dXNlcjpwYXNz', 'missing_token'],
  ])('refuses %s with 401 %s', async (_label, authorization, code) => {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (authorization) headers.Authorization = authorization;
    const response = await fetch(`${runtime.url}/api/integrations/woocommerce/webhook/`, { method: 'POST', headers, body: JSON.stringify(productEvent(1)) });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code } });
  });

  it('refuses an expired token', async () => {
    const created = await generateToken(runtime, { name: 'expiring', expires_in_days: 1 });
    await runtime.ctx.db
      .updateTable('synchub_integration_tokens')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', created.id)
      .execute();
    const response = await postEvent(runtime, created.token, productEvent(2));
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'token_expired', message: 'The integration token has expired.' } });
  });

  it('refuses a token used from an address outside its allowlist', async () => {
    const created = await generateToken(runtime, { name: 'office only', ip_allowlist: ['203.0.113.0/24'] });
    const response = await postEvent(runtime, created.token, productEvent(3));
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'ip_not_allowed' } });
    const local = await generateToken(runtime, { name: 'loopback', ip_allowlist: ['127.0.0.0/8'] });
    expect((await postEvent(runtime, local.token, productEvent(3))).status).toBe(202);
  });

  it('rate-limits per token with 429 and Retry-After, other tokens unaffected', async () => {
    const limited = await generateToken(runtime, { name: 'slow', rate_limit_per_minute: 3 });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await postEvent(runtime, limited.token, productEvent(4))).status);
    expect(statuses).toEqual([202, 202, 202, 429, 429]);
    const response = await postEvent(runtime, limited.token, productEvent(4));
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await response.json()).toMatchObject({ error: { code: 'rate_limited' } });
    expect((await postEvent(runtime, token.token, productEvent(4))).status).toBe(202);
  });

  it('lets exactly the limit through when many requests arrive at once', async () => {
    const limited = await generateToken(runtime, { name: 'burst', rate_limit_per_minute: 5 });
    const responses = await Promise.all(Array.from({ length: 12 }, (_, i) => postEvent(runtime, limited.token, productEvent(700 + i))));
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 202)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(7);
    const logged = await runtime.ctx.db.selectFrom('synchub_product_events').select('id').where('token_id', '=', limited.id).execute();
    expect(logged).toHaveLength(5);
  });

  it('answers the health route for a valid token only', async () => {
    const ok = await fetch(`${runtime.url}/api/integrations/woocommerce/health/`, { headers: { Authorization: `Bearer ${token.token}` } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: 'ok', token: { name: 'shop', owner: 'default' }, embeddings_configured: false });
    expect((await fetch(`${runtime.url}/api/integrations/woocommerce/health/`)).status).toBe(401);
  });
});

describe('POST /api/integrations/woocommerce/webhook/ — events', () => {
  it('writes the event log row before answering 202', async () => {
    const body = productEvent(10);
    const response = await postEvent(runtime, token.token, body, { 'User-Agent': 'SyncHub/1.0 (WordPress)' });
    expect(response.status).toBe(202);
    const answer = (await response.json()) as { status: string; event_id: string; event_log_id: number };
    expect(answer).toMatchObject({ status: 'accepted', event_id: body.event_id, external_id: 'woo_10' });
    // Read right after the answer: the row is already there.
    const row = await eventRow(runtime, body.event_id as string);
    expect(row).toMatchObject({
      id: answer.event_log_id,
      event_type: 'product.updated',
      product_id: 10,
      source_ip: '127.0.0.1',
      user_agent: 'SyncHub/1.0 (WordPress)',
      token_id: token.id,
    });
    expect(JSON.parse(row?.payload ?? '{}')).toEqual(body);
    const done = await waitForEventDone(runtime, body.event_id as string);
    expect(done).toMatchObject({ status: 'processed', success: 1, error: null });
    expect(done.processing_ms).not.toBeNull();
  });

  it('answers a repeated event_id with 200 skipped', async () => {
    const body = productEvent(11);
    expect((await postEvent(runtime, token.token, body)).status).toBe(202);
    const again = await postEvent(runtime, token.token, body);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ status: 'skipped', event_id: body.event_id, reason: 'duplicate event_id' });
  });

  it('keeps event ids apart per owner: the id another owner already used is accepted, then skipped', async () => {
    const other = await generateToken(runtime, { name: 'Other store', owner: 'other-store' });
    const body = productEvent(19);
    expect((await postEvent(runtime, token.token, body)).status).toBe(202);
    const first = await postEvent(runtime, other.token, body);
    expect(first.status).toBe(202);
    expect((await postEvent(runtime, other.token, body)).status).toBe(200);
    expect((await postEvent(runtime, token.token, body)).status).toBe(200);
    const rows = await runtime.ctx.db
      .selectFrom('synchub_product_events')
      .select(['id', 'owner'])
      .where('event_id', '=', body.event_id as string)
      .orderBy('id')
      .execute();
    expect(rows.map((row) => row.owner)).toEqual(['default', 'other-store']);
    expect(((await first.json()) as { event_log_id: number }).event_log_id).toBe(Number(rows[1]?.id));
  });

  it('accepts exactly one of two identical concurrent requests', async () => {
    for (let round = 0; round < 5; round += 1) {
      const body = productEvent(12 + round);
      const responses = await Promise.all([postEvent(runtime, token.token, body), postEvent(runtime, token.token, body)]);
      expect(responses.map((response) => response.status).sort()).toEqual([200, 202]);
      const rows = await runtime.ctx.db
        .selectFrom('synchub_product_events')
        .select('id')
        .where('event_id', '=', body.event_id as string)
        .execute();
      expect(rows).toHaveLength(1);
    }
  });

  it('answers each of many concurrent distinct events with its own event log id', async () => {
    const bodies = Array.from({ length: 60 }, (_, i) => productEvent(600 + i));
    const answers = await Promise.all(
      bodies.map(async (body) => (await postEvent(runtime, token.token, body)).json() as Promise<{ status: string; event_id: string; event_log_id: number }>),
    );
    const rows = await runtime.ctx.db
      .selectFrom('synchub_product_events')
      .select(['id', 'event_id'])
      .where(
        'event_id',
        'in',
        bodies.map((body) => body.event_id as string),
      )
      .execute();
    const idOf = new Map(rows.map((row) => [row.event_id, Number(row.id)]));
    for (const answer of answers) {
      expect(answer.status).toBe('accepted');
      expect(answer.event_log_id).toBe(idOf.get(answer.event_id));
    }
  });

  it('applies concurrent events in the process that accepted them, with no job; a replayed dispatch of them changes nothing', async () => {
    const queue = runtime.ctx.queues.get('products');
    const jobsBefore = (await queue.getJobs(['completed', 'waiting', 'active', 'delayed'])).filter((job) => job.name === 'product.event').length;
    const bodies = Array.from({ length: 40 }, (_, i) => productEvent(800 + i));
    await Promise.all(bodies.map((body) => postEvent(runtime, token.token, body)));
    const rows = await runtime.ctx.db
      .selectFrom('synchub_product_events')
      .select('id')
      .where(
        'event_id',
        'in',
        bodies.map((body) => body.event_id as string),
      )
      .execute();
    const ids = rows.map((row) => Number(row.id)).sort((a, b) => a - b);
    for (const body of bodies) await waitForEventDone(runtime, body.event_id as string);
    // This process runs jobs: nothing went through Redis (intake-only processes: dispatch.test.ts).
    const dispatched = (await queue.getJobs(['completed', 'waiting', 'active']))
      .filter((job) => job.name === 'product.dispatch')
      .flatMap((job) => (job.data as { items: number[] }).items);
    expect(dispatched.filter((id) => ids.includes(id))).toEqual([]);
    const eventJobs = () =>
      queue.getJobs(['completed', 'waiting', 'active', 'delayed']).then((jobs) => jobs.filter((job) => job.name === 'product.event').length);
    expect(await eventJobs()).toBe(jobsBefore);
    // A dispatch of the same events (a sweeper, another process) finds them applied.
    const replay = await queue.add('product.dispatch', { items: ids });
    await waitFor(async () => ((await replay.getState()) === 'completed' ? true : undefined), 10_000, 'the replayed dispatch');
    expect(await eventJobs()).toBe(jobsBefore);
    for (const wooId of [800, 839]) expect((await productRow(runtime, wooId))?.revision).toBe(1);
  });

  it('accepts one of twenty concurrent copies and processes it once', async () => {
    const body = productEvent(20);
    const responses = await Promise.all(Array.from({ length: 20 }, () => postEvent(runtime, token.token, body)));
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 202)).toHaveLength(1);
    expect(statuses.filter((status) => status === 200)).toHaveLength(19);
    await waitForEventDone(runtime, body.event_id as string);
    expect((await productRow(runtime, 20))?.revision).toBe(1);
  });

  const tooBig = JSON.stringify(productEvent(30, { description: 'x'.repeat(1_100_000) }));
  it.each([
    ['missing event_id', { event_type: 'product.updated', product: { id: 30, name: 'x' } }, 400, 'validation_error', 'event_id'],
    ['missing event_type', { event_id: uniqueEventId(), product: { id: 30, name: 'x' } }, 400, 'validation_error', 'event_type'],
    [
      'an unknown event_type',
      { event_id: uniqueEventId(), event_type: 'order.created', product: { id: 30, name: 'x' } },
      400,
      'validation_error',
      'event_type',
    ],
    [
      'a string product id',
      { event_id: uniqueEventId(), event_type: 'product.updated', product: { id: 'thirty', name: 'x' } },
      400,
      'validation_error',
      'product.id',
    ],
    [
      'a wrong price type',
      { event_id: uniqueEventId(), event_type: 'product.updated', product: { id: 30, name: 'x', price: [1] } },
      400,
      'validation_error',
      'product.price',
    ],
    [
      'a wrong categories type',
      { event_id: uniqueEventId(), event_type: 'product.updated', product: { id: 30, name: 'x', categories: { a: 1 } } },
      400,
      'validation_error',
      'product.categories',
    ],
    ['a body that is not an object', '[1,2,3]', 400, 'validation_error', '_'],
    ['malformed JSON', '{"event_id": "x", ', 400, 'malformed_json', null],
    ['a body over 1 MB', tooBig, 413, 'payload_too_large', null],
  ])('rejects %s → %i, nothing written', async (_label, body, status, code, field) => {
    const [events, products] = [await eventCount(), await productCount()];
    const response = await postEvent(runtime, token.token, body);
    expect(response.status).toBe(status);
    const answer = (await response.json()) as { error: { code: string; message: string; details?: { fields: Record<string, string[]> } } };
    expect(answer.error.code).toBe(code);
    expect(answer.error.message).toBeTruthy();
    if (field) expect(Object.keys(answer.error.details?.fields ?? {})).toContain(field);
    expect(JSON.stringify(answer)).not.toMatch(/at .*\.ts:\d+/);
    expect([await eventCount(), await productCount()]).toEqual([events, products]);
  });

  it('stores SQL and script payloads as inert text', async () => {
    const nasty = "Robert'); DROP TABLE synchub_products; -- <script>alert('x')</script>";
    const body = productEvent(
      40,
      { name: nasty, description: `<img src=x onerror=alert(1)>${nasty}`, sku: "' OR 1=1 --", categories: ['"; DELETE FROM synchub_product_events; --'] },
      { event_id: "evt-'; DROP TABLE synchub_product_events; --" },
    );
    expect((await postEvent(runtime, token.token, body)).status).toBe(400); // event_id with spaces is refused
    body.event_id = "evt-';DROP_TABLE_synchub_product_events;--";
    expect((await postEvent(runtime, token.token, body)).status).toBe(202);
    await waitForEventDone(runtime, body.event_id as string);
    const listed = await fetch(`${runtime.url}/api/v1/products/?external_id=woo_40`, { headers: adminHeaders() });
    const page = (await listed.json()) as { count: number; results: Array<{ name: string; sku: string; categories: string[]; description: string }> };
    expect(page.count).toBe(1);
    expect(page.results[0]).toMatchObject({ name: nasty, sku: "' OR 1=1 --", categories: ['"; DELETE FROM synchub_product_events; --'] });
    expect(listed.headers.get('content-type')).toContain('application/json');
    expect(await eventCount()).toBeGreaterThan(0);
    expect(await productCount()).toBeGreaterThan(0);
  });
});

describe('admin read side', () => {
  it('filters the event log', async () => {
    const deleted = productEvent(50, {}, { event_type: 'product.deleted' });
    expect((await postEvent(runtime, token.token, deleted)).status).toBe(202);
    await waitForEventDone(runtime, deleted.event_id as string);
    const response = await fetch(`${runtime.url}/api/v1/integrations/woocommerce/events/?event_type=product.deleted&product_id=50`, {
      headers: adminHeaders(),
    });
    const body = (await response.json()) as { count: number; results: Array<Record<string, unknown>> };
    expect(body.count).toBe(1);
    expect(body.results[0]).toMatchObject({ event_id: deleted.event_id, event_type: 'product.deleted', status: 'processed', success: true, product_id: 50 });
    const bad = await fetch(`${runtime.url}/api/v1/integrations/woocommerce/events/?status=exploded`, { headers: adminHeaders() });
    expect(bad.status).toBe(400);
    const unknown = await fetch(`${runtime.url}/api/v1/integrations/woocommerce/events/?colour=red`, { headers: adminHeaders() });
    expect(unknown.status).toBe(400);
  });

  it('needs the admin token for the event log and the product store', async () => {
    expect((await fetch(`${runtime.url}/api/v1/integrations/woocommerce/events/`)).status).toBe(401);
    expect((await fetch(`${runtime.url}/api/v1/products/`, { headers: { Authorization: `Bearer ${token.token}` } })).status).toBe(401);
  });
});
