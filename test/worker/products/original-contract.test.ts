import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { adminHeaders, type TestRuntime } from '../../support/runtime';
import { postEvent, productEvent, startProductsRuntime } from './helpers';

/** The original ingestion backend's field names, accepted and answered beside ours. */
let runtime: TestRuntime;

beforeAll(async () => {
  runtime = await startProductsRuntime();
});
afterAll(async () => {
  await runtime?.dispose();
});

const generate = (body: unknown) =>
  fetch(`${runtime.url}/api/v1/integrations/tokens/generate/`, { method: 'POST', headers: adminHeaders(), body: JSON.stringify(body) });
const tokenCount = async () =>
  Number(
    (
      await runtime.ctx.db
        .selectFrom('synchub_integration_tokens')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('integration tokens in the original backend’s words', () => {
  it('generates from integration_type, allowed_ips and expires_at, and answers token_preview, integration_type, usage_count, last_used_at', async () => {
    const expires = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const response = await generate({ integration_type: 'woocommerce', name: 'Tienda', allowed_ips: ['127.0.0.1', '10.0.0.0/8'], expires_at: expires });
    expect(response.status).toBe(201);
    const created = (await response.json()) as Record<string, unknown> & { token: string; id: number };
    expect(created).toMatchObject({
      name: 'Tienda',
      integration_type: 'woocommerce',
      token_type: 'woocommerce',
      token_preview: `${created.token.slice(0, 15)}…${created.token.slice(-4)}`,
      allowed_ips: ['127.0.0.1', '10.0.0.0/8'],
      ip_allowlist: ['127.0.0.1', '10.0.0.0/8'],
      usage_count: 0,
      last_used_at: null,
      expires_at: expires,
    });

    const list = (await (await fetch(`${runtime.url}/api/v1/integrations/tokens/`, { headers: adminHeaders() })).json()) as {
      results: Array<Record<string, unknown>>;
    };
    expect(list.results.find((item) => item.id === created.id)).toMatchObject({
      token_preview: created.token_preview,
      integration_type: 'woocommerce',
      usage_count: 0,
    });
  });

  it('health names the token and reports its usage, this call included', async () => {
    const created = (await (await generate({ integration_type: 'woocommerce', name: 'Backend original' })).json()) as { token: string };
    expect((await postEvent(runtime, created.token, productEvent(4_001))).status).toBe(202);
    const before = Date.now();
    const health = await fetch(`${runtime.url}/api/integrations/woocommerce/health/`, { headers: { Authorization: `Bearer ${created.token}` } });
    expect(health.status).toBe(200);
    const body = (await health.json()) as {
      token: { usage_count: number; last_used_at: string };
      token_name: string;
      usage_count: number;
      last_used_at: string;
    };
    expect(body).toMatchObject({
      status: 'ok',
      token_name: 'Backend original',
      usage_count: 2,
      token: { name: 'Backend original', integration_type: 'woocommerce', usage_count: 2 },
    });
    expect(Date.parse(body.last_used_at)).toBeGreaterThanOrEqual(before - 1_000);
  });

  it.each([
    ['disagreeing types', { name: 'x', token_type: 'woocommerce', integration_type: 'shopify' }, 'integration_type'],
    ['an unknown integration_type', { name: 'x', integration_type: 'shopify' }, 'integration_type'],
    ['a bad allowed_ips rule', { name: 'x', allowed_ips: ['nope'] }, 'allowed_ips.0'],
    ['disagreeing IP lists', { name: 'x', ip_allowlist: ['127.0.0.1'], allowed_ips: ['10.0.0.1'] }, 'allowed_ips'],
  ])('refuses %s with 400 and stores nothing', async (_label, body, field) => {
    const before = await tokenCount();
    const response = await generate(body);
    expect(response.status).toBe(400);
    const error = (await response.json()) as { error: { code: string; details: { fields: Record<string, string[]> } } };
    expect(error.error.code).toBe('validation_error');
    expect(Object.keys(error.error.details.fields)).toContain(field);
    expect(await tokenCount()).toBe(before);
  });

  it('enforces allowed_ips like ip_allowlist', async () => {
    const created = (await (await generate({ integration_type: 'woocommerce', name: 'elsewhere', allowed_ips: ['10.9.9.9'] })).json()) as { token: string };
    const refused = await postEvent(runtime, created.token, productEvent(4_002));
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { code: 'ip_not_allowed' } });
  });
});
