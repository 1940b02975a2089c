import { describe, expect, it } from 'vitest';

import { z } from 'zod';

import { CONFIG_SLICES, ConfigError, loadConfig } from '../../../worker/src/config';
import { composeConfig, configSlice } from '../../../worker/src/core/config';

describe('loadConfig', () => {
  it('applies the defaults of DESIGN', () => {
    const config = loadConfig({});
    expect(config.http).toEqual({
      host: '127.0.0.1',
      port: 8787,
      // No proxy trusted; slow clients cut off (node's own defaults are 60 s and 300 s).
      trustProxy: { kind: 'hops', hops: 0 },
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5_000,
      maxConnections: 1_024,
    });
    expect(config.databaseUrl).toBe('mysql://root@127.0.0.1:3306/synchub');
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.woocommerce.tablePrefix).toBe('wp_');
    expect(config.woocommerce.batchSize).toBe(100);
    expect(config.woocommerce.timeoutSeconds).toBe(300);
    expect(config.woocommerce.migrationMode).toBe(false);
    expect(config.siigo.apiUrl).toBe('https://api.siigo.com');
  });

  it('reads Redis Cluster seed nodes and gives the key prefix a hash tag by default', () => {
    expect(loadConfig({}).redisCluster).toEqual([]);
    expect(loadConfig({}).queuePrefix).toBe('synchub');
    const config = loadConfig({ REDIS_CLUSTER_NODES: '127.0.0.1:7000, redis-b.internal:7001,[::1]:7002' });
    expect(config.redisCluster).toEqual([
      { host: '127.0.0.1', port: 7000 },
      { host: 'redis-b.internal', port: 7001 },
      { host: '::1', port: 7002 },
    ]);
    expect(config.queuePrefix).toBe('{synchub}');
    expect(loadConfig({ REDIS_CLUSTER_NODES: '127.0.0.1:7000', BULLMQ_PREFIX: 'shop:{eu}' }).queuePrefix).toBe('shop:{eu}');
  });

  it.each([
    ['PORT', { PORT: 'eighty' }],
    ['PORT', { PORT: '70000' }],
    ['DATABASE_URL', { DATABASE_URL: 'postgres://x/y' }],
    ['REDIS_URL', { REDIS_URL: 'http://localhost' }],
    ['REDIS_CLUSTER_NODES', { REDIS_CLUSTER_NODES: '127.0.0.1' }],
    ['REDIS_CLUSTER_NODES', { REDIS_CLUSTER_NODES: '127.0.0.1:70000' }],
    ['BULLMQ_PREFIX', { REDIS_CLUSTER_NODES: '127.0.0.1:7000', BULLMQ_PREFIX: 'synchub' }],
    ['BULLMQ_PREFIX', { REDIS_CLUSTER_NODES: '127.0.0.1:7000', BULLMQ_PREFIX: '{}synchub' }],
    ['MIGRATION_MODE', { MIGRATION_MODE: 'perhaps' }],
    ['SYNCHUB_SECRET_KEY', { SYNCHUB_SECRET_KEY: 'short' }],
    ['SYNCHUB_ADMIN_TOKEN', { SYNCHUB_ADMIN_TOKEN: 'abc' }],
    ['ODOO_URL', { ODOO_URL: 'not a url' }],
    ['WOOCOMMERCE_TABLE_PREFIX', { WOOCOMMERCE_TABLE_PREFIX: 'wp_; DROP' }],
    ['TRUST_PROXY', { TRUST_PROXY: 'true' }],
    ['TRUST_PROXY', { TRUST_PROXY: '*' }],
    ['TRUST_PROXY', { TRUST_PROXY: 'proxy.example.com' }],
    ['TRUST_PROXY', { TRUST_PROXY: '10.0.0.0/33' }],
    ['TRUST_PROXY', { TRUST_PROXY: '-1' }],
    ['HTTP_HEADERS_TIMEOUT_MS', { HTTP_HEADERS_TIMEOUT_MS: '20000', HTTP_REQUEST_TIMEOUT_MS: '10000' }],
    ['HTTP_HEADERS_TIMEOUT_MS', { HTTP_HEADERS_TIMEOUT_MS: '0' }],
    ['HTTP_MAX_CONNECTIONS', { HTTP_MAX_CONNECTIONS: '0' }],
    ['WEBHOOK_SECRET', { WEBHOOK_SECRET: 'x'.repeat(31) }],
    ['WEBHOOK_SECRET', { WEBHOOK_SECRET: 'short-secret' }],
    ['SIIGO_WEBHOOK_UNAUTH_PER_MINUTE', { SIIGO_WEBHOOK_UNAUTH_PER_MINUTE: '0' }],
  ])('names %s when it is invalid', (variable, env) => {
    let thrown: unknown;
    try {
      loadConfig(env);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).issues.map((issue) => issue.variable)).toContain(variable);
    expect((thrown as ConfigError).message).toContain(variable);
  });

  it('takes a WEBHOOK_SECRET of 32 characters or more, and leaves it unset when empty', () => {
    expect(loadConfig({ WEBHOOK_SECRET: 'x'.repeat(32) }).webhookSecret).toBe('x'.repeat(32));
    expect(loadConfig({ WEBHOOK_SECRET: '' }).webhookSecret).toBeUndefined();
    expect(() => loadConfig({ WEBHOOK_SECRET: 'x'.repeat(31) })).toThrow(/WEBHOOK_SECRET: must be at least 32 characters/);
  });

  it('parses booleans and lists', () => {
    const config = loadConfig({ MIGRATION_MODE: 'true', SIIGO_ENABLED: '1', ADMIN_EMAILS: 'a@example.com, b@example.com' });
    expect(config.woocommerce.migrationMode).toBe(true);
    expect(config.siigo.enabled).toBe(true);
    expect(config.mail.adminEmails).toEqual(['a@example.com', 'b@example.com']);
  });

  it.each([
    ['', { kind: 'hops', hops: 0 }],
    ['false', { kind: 'hops', hops: 0 }],
    ['none', { kind: 'hops', hops: 0 }],
    ['0', { kind: 'hops', hops: 0 }],
    ['1', { kind: 'hops', hops: 1 }],
    ['2', { kind: 'hops', hops: 2 }],
    ['loopback', { kind: 'addresses', addresses: ['loopback'] }],
    ['10.0.0.0/8, 192.168.1.4 ,fd00::/8', { kind: 'addresses', addresses: ['10.0.0.0/8', '192.168.1.4', 'fd00::/8'] }],
  ])('reads TRUST_PROXY=%j', (value, expected) => {
    expect(loadConfig({ TRUST_PROXY: value }).http.trustProxy).toEqual(expected);
  });
});

describe('config slices', () => {
  it('every slice builds its part, and an invalid variable of any slice is named', () => {
    const config = loadConfig({});
    for (const slice of CONFIG_SLICES) expect(config[slice.key], slice.key).toBeTypeOf('object');
    for (const [variable, value] of [
      ['EVENTS_TIMEZONE', 'Mars/Olympus'],
      ['BOOKINGS_SWEEP_DAYS', '0'],
      ['STOCK_RETRY_DELAY_MS', 'soon'],
      ['PRODUCTS_CONTENT_HASH', 'md5'],
      ['ODOO_URL', 'not a url'],
      ['EMBEDDINGS_TIMEOUT_MS', '1'],
      ['EMBEDDINGS_MAX_BATCH', '0'],
      ['WOOCOMMERCE_SSH_HOST_KEY', 'md5:aa'],
    ] as const)
      expect(() => loadConfig({ [variable]: value }), variable).toThrow(new RegExp(`^(.*; )?${variable}: `));
  });

  it('refuses two slices that claim one variable', () => {
    const clash = configSlice('events', { EVENTS_TIMEZONE: z.string() }, () => loadConfig({}).events);
    expect(() => composeConfig([...CONFIG_SLICES, clash], {})).toThrow(/EVENTS_TIMEZONE is declared twice/);
  });
});
