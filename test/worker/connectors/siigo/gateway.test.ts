import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { SiigoClient } from '../../../../worker/src/connectors/siigo/client';
import type { SiigoConfig } from '../../../../worker/src/connectors/siigo/config';
import { SiigoAuthError, SiigoCircuitOpenError, SiigoUnavailableError } from '../../../../worker/src/connectors/siigo/errors';
import { SiigoGateway } from '../../../../worker/src/connectors/siigo/gateway';
import { generateKeyHex, parseKey, SecretBox } from '../../../../worker/src/core/crypto';
import { createLogger } from '../../../../worker/src/core/logger';
import { uniquePrefix } from '../../../support/db';
import { FakeSiigo } from '../../../fakes/siigo/server';
import { LOOPBACK_FETCH } from '../../../support/egress';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('SiigoGateway (real Redis, fake SIIGO)', () => {
  let siigo: FakeSiigo;
  let redis: Redis;
  let prefix: string;
  const gateways: SiigoGateway[] = [];

  const config = (overrides: Partial<SiigoConfig> = {}): SiigoConfig => ({
    apiUrl: siigo.url,
    username: 'api@store.example',
    accessKey: 'access-key-123',
    partnerId: 'SyncHubTests',
    ratePerMinute: 1_000,
    rateWindowMs: 60_000,
    timeoutMs: 5_000,
    breakerThreshold: 3,
    breakerCooldownMs: 300,
    ...overrides,
  });
  // Every worker process holds the same SYNCHUB_SECRET_KEY.
  const box = new SecretBox(parseKey(generateKeyHex()));
  const gateway = (overrides: Partial<SiigoConfig> = {}) => {
    const created = new SiigoGateway({ config: config(overrides), redis, prefix, sealer: box, logger: createLogger('silent'), fetchImpl: LOOPBACK_FETCH });
    gateways.push(created);
    return created;
  };

  beforeEach(async () => {
    siigo = new FakeSiigo({ rateLimit: 1_000 });
    await siigo.start();
    siigo.seed(5);
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    prefix = uniquePrefix('siigo');
  });
  afterEach(async () => {
    await Promise.all(gateways.splice(0).map((item) => item.close()));
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await siigo.stop();
  });

  it("a process that waited out another's token lock asks for a token itself and leaves that lock alone", async () => {
    const a = gateway({ timeoutMs: 300 });
    const lockKey = `${prefix}:siigo:${a.companyId}:auth-lock`;
    // Another process holds the lock and is stuck (it will time out on its own).
    await redis.set(lockKey, 'another-process', 'PX', 30_000);
    await new SiigoClient(a).warehouses();
    expect(siigo.callCount((call) => call.path === '/auth')).toBe(1);
    expect(await redis.get(lockKey)).toBe('another-process');
  });

  it('authenticates once, shares the token through Redis, sends Partner-Id, renews once on 401', async () => {
    const a = new SiigoGateway({ config: config(), redis, prefix, sealer: box, logger: createLogger('silent'), fetchImpl: LOOPBACK_FETCH });
    const b = new SiigoGateway({ config: config(), redis, prefix, sealer: box, logger: createLogger('silent'), fetchImpl: LOOPBACK_FETCH });
    gateways.push(a, b);
    const clientA = new SiigoClient(a);
    const clientB = new SiigoClient(b);
    await Promise.all([clientA.warehouses(), clientA.listProducts({ page: 1 })]);
    await clientB.warehouses();
    expect(siigo.callCount((call) => call.path === '/auth')).toBe(1);
    const cached = await redis.get(`${prefix}:siigo:${a.companyId}:token`);
    expect(cached).toBeTruthy();
    expect(cached).not.toContain('fake.');

    siigo.expireTokens();
    const page = await clientB.listProducts({ page: 1 });
    expect(page.results).toHaveLength(5);
    expect(siigo.callCount((call) => call.path === '/auth')).toBe(2);
    expect(siigo.callCount((call) => call.status === 401)).toBe(1);
  });

  it('reports wrong credentials as SiigoAuthError without retrying', async () => {
    const client = new SiigoClient(gateway({ accessKey: 'wrong' }));
    await expect(client.warehouses()).rejects.toBeInstanceOf(SiigoAuthError);
    expect(siigo.callCount((call) => call.path === '/auth')).toBe(1);
  });

  it('puts a call back after 429, honouring Retry-After, and then succeeds', async () => {
    await siigo.stop();
    siigo = new FakeSiigo({ rateLimit: 1_000, retryAfterSeconds: 0.2 });
    await siigo.start();
    const client = new SiigoClient(gateway());
    await client.warehouses();
    siigo.failNext(2, 429);
    const warehouses = await client.warehouses();
    expect(warehouses.length).toBeGreaterThan(0);
    expect(siigo.callCount((call) => call.status === 429)).toBe(2);
    // Two pauses of Retry-After (0.2 s) each happened before the success.
    const okCall = siigo.calls.filter((call) => call.status === 200).at(-1);
    const limited = siigo.calls.filter((call) => call.status === 429);
    expect((okCall?.at ?? 0) - (limited[0]?.at ?? 0)).toBeGreaterThanOrEqual(350);
  });

  it('keeps all processes together under the limit through the shared BullMQ limiter', async () => {
    await siigo.stop();
    siigo = new FakeSiigo({ rateLimit: 4, rateWindowMs: 1_000 });
    await siigo.start();
    const a = new SiigoClient(gateway({ ratePerMinute: 4, rateWindowMs: 1_000 }));
    const b = new SiigoClient(gateway({ ratePerMinute: 4, rateWindowMs: 1_000 }));
    await Promise.all(Array.from({ length: 6 }, (_, index) => (index % 2 ? a : b).warehouses()));
    expect(siigo.callCount((call) => call.status === 429)).toBe(0);
    expect(siigo.peakInWindow).toBeLessThanOrEqual(4);
    expect(siigo.callCount()).toBe(7);
  });

  it('opens the circuit after repeated failures, stops calling, then probes and closes', async () => {
    const g = gateway();
    const client = new SiigoClient(g);
    await client.warehouses();
    siigo.down = true;
    for (let index = 0; index < 3; index += 1) await expect(client.warehouses()).rejects.toBeInstanceOf(SiigoUnavailableError);
    expect(await g.breakerState()).toBe('open');
    const before = siigo.callCount();
    await expect(client.warehouses()).rejects.toBeInstanceOf(SiigoCircuitOpenError);
    expect(siigo.callCount()).toBe(before);

    siigo.down = false;
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(await g.breakerState()).toBe('half_open');
    await client.warehouses();
    expect(await g.breakerState()).toBe('closed');
  });

  it('lets the first call after the cooldown through as the probe, even when the cooldown ends while the call is being checked', async () => {
    // The probe may stay out for timeoutMs + 5 s; a probe taken but never recorded would refuse every call that long.
    const g = gateway({ breakerCooldownMs: 20, timeoutMs: 5_000 });
    const client = new SiigoClient(g);
    await client.warehouses();
    // Calls back to back while the circuit is open: the cooldown ends somewhere inside one of them,
    // often between its open-circuit check and its admission.
    for (let round = 0; round < 15; round += 1) {
      for (let failure = 0; failure < 3; failure += 1) await g.breaker.recordFailure();
      expect(await g.breakerState()).toBe('open');
      const deadline = Date.now() + 2_000;
      for (;;) {
        try {
          await client.warehouses();
          break;
        } catch (error) {
          expect(error).toBeInstanceOf(SiigoCircuitOpenError);
          if (Date.now() > deadline) throw new Error(`round ${round}: still refused 2 s after a 20 ms cooldown (${(error as Error).message})`);
        }
      }
      expect(await g.breakerState()).toBe('closed');
    }
  });

  it('gives the half-open probe back when its call fails without an answer from SIIGO', async () => {
    // A sealer that fails (say, a misconfigured key) is not SIIGO's fault and must not hold the probe.
    let sealerBroken = true;
    const sealer = {
      encrypt: (plaintext: string) => {
        if (sealerBroken) throw new Error('sealer unavailable');
        return box.encrypt(plaintext);
      },
      decrypt: (sealed: string) => box.decrypt(sealed),
    };
    const g = new SiigoGateway({
      config: config({ breakerCooldownMs: 20, timeoutMs: 5_000 }),
      redis,
      prefix,
      sealer,
      logger: createLogger('silent'),
      fetchImpl: LOOPBACK_FETCH,
    });
    gateways.push(g);
    for (let failure = 0; failure < 3; failure += 1) await g.breaker.recordFailure();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await g.breakerState()).toBe('half_open');
    const client = new SiigoClient(g);
    await expect(client.warehouses()).rejects.toThrow(/sealer unavailable/);
    sealerBroken = false;
    // Without the probe given back, this call would be refused for timeoutMs + 5 s.
    await client.warehouses();
    expect(await g.breakerState()).toBe('closed');
  });
});
