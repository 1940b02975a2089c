import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createProductsDomain } from '../../../worker/src/products';
import { startTestRuntime, type TestRuntime } from '../../support/runtime';
import { generateToken, productEvent, uniqueEventId, type GeneratedToken } from '../products/helpers';
import { errorCode, rows, send, type RawResponse } from './support';

// The IP allowlist of integration tokens against spoofed X-Forwarded-For, on the raw webhook
// listener and on the express health route: TRUST_PROXY decides which hop is the client.
const ALLOWED = '203.0.113.7';
const ELSEWHERE = '198.51.100.1';

interface Worker {
  runtime: TestRuntime;
  token: GeneratedToken;
}

async function start(trustProxy: string | undefined): Promise<Worker> {
  const runtime = await startTestRuntime({
    processJobs: false,
    domains: [createProductsDomain],
    env: trustProxy === undefined ? {} : { TRUST_PROXY: trustProxy },
  });
  const token = await generateToken(runtime, { name: 'allowlisted', ip_allowlist: [ALLOWED], rate_limit_per_minute: 100_000 });
  return { runtime, token };
}

function deliver(worker: Worker, forwardedFor: string | undefined, eventId = uniqueEventId('xff')): Promise<RawResponse> {
  const body = JSON.stringify({ ...productEvent(41), event_id: eventId });
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Authorization: `Bearer ${worker.token.token}` };
  if (forwardedFor !== undefined) headers['X-Forwarded-For'] = forwardedFor;
  return send(worker.runtime.url, 'POST', '/api/integrations/woocommerce/webhook/', { headers, body });
}

function health(worker: Worker, forwardedFor: string): Promise<RawResponse> {
  return send(worker.runtime.url, 'GET', '/api/integrations/woocommerce/health/', {
    headers: { Authorization: `Bearer ${worker.token.token}`, 'X-Forwarded-For': forwardedFor },
  });
}

const sourceIp = async (worker: Worker, eventId: string) =>
  (await worker.runtime.ctx.db.selectFrom('synchub_product_events').select('source_ip').where('event_id', '=', eventId).executeTakeFirst())?.source_ip;

describe('without TRUST_PROXY (the default: no proxy trusted)', () => {
  let worker: Worker;
  beforeAll(async () => {
    worker = await start(undefined);
  });
  afterAll(async () => {
    await worker?.runtime.dispose();
  });

  it.each([
    ['the allowlisted address alone', ALLOWED],
    ['the allowlisted address leftmost', `${ALLOWED}, ${ELSEWHERE}`],
    ['the allowlisted address rightmost', `${ELSEWHERE}, ${ALLOWED}`],
    ['the allowlisted address rightmost without a space', `${ELSEWHERE},${ALLOWED}`],
  ])('judges the loopback socket, not X-Forwarded-For with %s: 401, nothing written', async (_label, forwardedFor) => {
    const before = await rows(worker.runtime, 'synchub_product_events');
    const webhook = await deliver(worker, forwardedFor);
    expect(webhook.status).toBe(401);
    expect(errorCode(webhook)).toBe('ip_not_allowed');
    const probe = await health(worker, forwardedFor);
    expect(probe.status).toBe(401);
    expect(errorCode(probe)).toBe('ip_not_allowed');
    expect(await rows(worker.runtime, 'synchub_product_events')).toBe(before);
  });

  it('records the socket address, not the header, for a token allowed from loopback', async () => {
    const loopback = await generateToken(worker.runtime, { name: 'loopback', ip_allowlist: ['127.0.0.1'], rate_limit_per_minute: 100_000 });
    const eventId = uniqueEventId('xff-loopback');
    const response = await send(worker.runtime.url, 'POST', '/api/integrations/woocommerce/webhook/', {
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${loopback.token}`, 'X-Forwarded-For': ALLOWED },
      body: JSON.stringify({ ...productEvent(42), event_id: eventId }),
    });
    expect(response.status).toBe(202);
    expect(await sourceIp(worker, eventId)).toBe('127.0.0.1');
  });
});

describe('TRUST_PROXY=1 (one reverse proxy in front)', () => {
  let worker: Worker;
  beforeAll(async () => {
    worker = await start('1');
  });
  afterAll(async () => {
    await worker?.runtime.dispose();
  });

  it('takes the right-most hop: the address the proxy saw', async () => {
    const eventId = uniqueEventId('xff-one');
    expect((await deliver(worker, ALLOWED, eventId)).status).toBe(202);
    expect(await sourceIp(worker, eventId)).toBe(ALLOWED);
    expect((await health(worker, ALLOWED)).status).toBe(200);
    // A client that sent its own header: the proxy appended the real address on the right.
    const real = uniqueEventId('xff-appended');
    expect((await deliver(worker, `${ELSEWHERE}, ${ALLOWED}`, real)).status).toBe(202);
    expect(await sourceIp(worker, real)).toBe(ALLOWED);
  });

  it('ignores a spoofed leftmost hop: 401, nothing written', async () => {
    const before = await rows(worker.runtime, 'synchub_product_events');
    for (const forwardedFor of [`${ALLOWED}, ${ELSEWHERE}`, `${ALLOWED},${ELSEWHERE}`, `${ALLOWED}, unknown`, `${ALLOWED}, ${ALLOWED}, ${ELSEWHERE}`]) {
      const webhook = await deliver(worker, forwardedFor);
      expect(webhook.status, forwardedFor).toBe(401);
      expect(errorCode(webhook), forwardedFor).toBe('ip_not_allowed');
      expect((await health(worker, forwardedFor)).status, forwardedFor).toBe(401);
    }
    expect(await rows(worker.runtime, 'synchub_product_events')).toBe(before);
  });

  it('falls back to the socket without the header', async () => {
    expect((await deliver(worker, undefined)).status).toBe(401);
  });
});

describe('TRUST_PROXY as addresses', () => {
  const workers: Worker[] = [];
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.runtime.dispose()));
  });

  it('trusts hops from the listed ranges only (loopback here), then takes the first untrusted one', async () => {
    const worker = await start('loopback');
    workers.push(worker);
    // Two proxies on this machine, then the client.
    expect((await deliver(worker, `${ELSEWHERE}, ${ALLOWED}, 127.0.0.1`)).status).toBe(202);
    expect((await deliver(worker, `${ALLOWED}, ${ELSEWHERE}, 127.0.0.1`)).status).toBe(401);
  });

  it('believes no header when the socket is not in the list', async () => {
    const worker = await start('10.0.0.0/8, fd00::/8');
    workers.push(worker);
    expect((await deliver(worker, ALLOWED)).status).toBe(401);
    expect((await health(worker, ALLOWED)).status).toBe(401);
  });
});
