import type { LookupAddress } from 'node:dns';

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { EmbeddingsClient, EmbeddingsPermanentError } from '../../../worker/src/connectors/embeddings';
import { OdooClient, OdooValidationError } from '../../../worker/src/connectors/odoo';
import { StoreClient } from '../../../worker/src/connectors/store/client';
import { StoreRejectedError } from '../../../worker/src/connectors/store/errors';
import { loadConfig } from '../../../worker/src/config';
import { warnRefusedTargets } from '../../../worker/src/core/egress/startup';
import { createLogger } from '../../../worker/src/core/logger';
import {
  classifyAddress,
  Egress,
  egressRefusal,
  EgressRefusedError,
  EgressUnresolvedError,
  judgeAddress,
  parseTargetPolicy,
  STRICT_POLICY,
  type Resolver,
} from '../../../worker/src/core/egress';
import { startRecorder, type Recorder } from '../../support/recorder';

describe('classifyAddress', () => {
  it.each([
    ['93.184.215.14', 'public'],
    ['8.8.8.8', 'public'],
    ['2606:4700:4700::1111', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['172.32.0.1', 'public'],
    ['169.254.169.254', 'link_local'],
    ['fe80::1', 'link_local'],
    ['fe80::1%eth0', 'link_local'],
    ['fc00::1', 'unique_local'],
    ['fd12:3456::1', 'unique_local'],
    ['fec0::1', 'private'],
    ['100.64.0.1', 'carrier_grade_nat'],
    ['100.127.255.255', 'carrier_grade_nat'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['[::ffff:169.254.169.254]', 'link_local'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:8.8.8.8', 'public'],
    // IPv4-compatible (deprecated): judged by the IPv4 inside, or refused as embedding one.
    ['::127.0.0.1', 'loopback'],
    ['::7f00:1', 'ipv4_embedded'],
    ['::a00:1', 'ipv4_embedded'],
    ['64:ff9b::7f00:1', 'ipv4_embedded'],
    ['2002:7f00:1::', 'ipv4_embedded'],
    ['192.0.2.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['localhost', 'not_an_address'],
    ['', 'not_an_address'],
  ])('%s → %s', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });
});

describe('parseTargetPolicy (SYNCHUB_ALLOW_PRIVATE_TARGETS)', () => {
  it.each([
    [undefined, { allowAll: false, allowRanges: [] }],
    ['', { allowAll: false, allowRanges: [] }],
    ['false', { allowAll: false, allowRanges: [] }],
    ['0', { allowAll: false, allowRanges: [] }],
    ['true', { allowAll: true, allowRanges: [] }],
    ['YES', { allowAll: true, allowRanges: [] }],
    ['127.0.0.1', { allowAll: false, allowRanges: ['127.0.0.1/32'] }],
    ['127.0.0.0/8, ::1', { allowAll: false, allowRanges: ['127.0.0.0/8', '::1/128'] }],
    ['10.1.0.0/16,fd00::/8', { allowAll: false, allowRanges: ['10.1.0.0/16', 'fd00::/8'] }],
  ])('%j → %j', (value, expected) => {
    expect(parseTargetPolicy(value)).toEqual(expected);
  });

  it.each(['maybe', '10.0.0.0/33', 'localhost', '127.0.0.1,,nope'])('%j is refused, naming the variable', (value) => {
    expect(() => loadConfig({ SYNCHUB_ALLOW_PRIVATE_TARGETS: value })).toThrow(/SYNCHUB_ALLOW_PRIVATE_TARGETS/);
  });

  it('defaults to refusing every non-public target', () => {
    expect(loadConfig({}).egress).toEqual(STRICT_POLICY);
  });
});

describe('judgeAddress', () => {
  const loopbackOnly = parseTargetPolicy('127.0.0.1/32,::1');
  it.each([
    ['8.8.8.8', STRICT_POLICY, true],
    ['127.0.0.1', STRICT_POLICY, false],
    ['::ffff:127.0.0.1', STRICT_POLICY, false],
    ['169.254.169.254', STRICT_POLICY, false],
    ['0.0.0.0', STRICT_POLICY, false],
    ['not an ip', STRICT_POLICY, false],
    ['127.0.0.1', loopbackOnly, true],
    ['::ffff:127.0.0.1', loopbackOnly, true],
    ['::1', loopbackOnly, true],
    ['127.0.0.2', loopbackOnly, false],
    ['10.0.0.1', loopbackOnly, false],
    ['169.254.169.254', parseTargetPolicy('true'), true],
    ['not an ip', parseTargetPolicy('true'), false],
  ])('%s under %j → allowed %s', (address, policy, allowed) => {
    expect(judgeAddress(address, policy).allowed).toBe(allowed);
  });
});

/** A resolver answering from a table, counting lookups (to script DNS rebinding). */
function scriptedResolver(answers: Record<string, string[][]>): Resolver & { lookups: string[] } {
  const lookups: string[] = [];
  const resolver = async (hostname: string): Promise<LookupAddress[]> => {
    lookups.push(hostname);
    const queue = answers[hostname];
    const addresses = (queue && queue.length > 1 ? queue.shift() : queue?.[0]) ?? [];
    if (addresses.length === 0) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(resolver, { lookups });
}

describe('Egress', () => {
  let target: Recorder;
  const egresses: Egress[] = [];
  const egress = (policy = STRICT_POLICY, resolver?: Resolver): Egress => {
    const created = new Egress(policy, resolver);
    egresses.push(created);
    return created;
  };
  beforeAll(async () => {
    target = await startRecorder({ answer: { status: 200, body: 'ok' } });
  });
  afterEach(() => {
    target.requests.length = 0;
  });
  afterAll(async () => {
    await Promise.all(egresses.map((item) => item.close()));
    await target?.close();
  });

  it.each([
    ['an IPv4 literal', (port: number) => `http://127.0.0.1:${port}/`],
    ['an IPv4-mapped IPv6 literal', (port: number) => `http://[::ffff:127.0.0.1]:${port}/`],
    ['a name resolving to loopback', (port: number) => `http://localhost:${port}/`],
  ])('refuses %s before connecting, in check(), fetch() and request()', async (_label, url) => {
    const guard = egress();
    await expect(guard.check(url(target.port))).rejects.toBeInstanceOf(EgressRefusedError);
    const failure = await guard.fetch(url(target.port)).catch((error: unknown) => error);
    expect(egressRefusal(failure)).toBeInstanceOf(EgressRefusedError);
    const requestFailure = await guard.request(url(target.port), { method: 'POST', headers: {}, body: 'x' }).catch((error: unknown) => error);
    expect(egressRefusal(requestFailure)).toBeInstanceOf(EgressRefusedError);
    expect(target.requests).toHaveLength(0);
  });

  it('allows what the policy lists, and only that', async () => {
    const guard = egress(parseTargetPolicy('127.0.0.1/32'));
    await guard.check(`http://127.0.0.1:${target.port}/`);
    expect((await guard.fetch(`http://127.0.0.1:${target.port}/x`)).status).toBe(200);
    expect(target.requests).toHaveLength(1);
    await expect(guard.check('http://10.0.0.1/')).rejects.toBeInstanceOf(EgressRefusedError);
    await expect(guard.check('http://169.254.169.254/latest/meta-data/')).rejects.toBeInstanceOf(EgressRefusedError);
  });

  it('DNS rebinding: a name that was public at check time and is loopback at connect time is refused at connect', async () => {
    const resolver = scriptedResolver({ 'rebind.test': [['93.184.215.14'], ['127.0.0.1']] });
    const guard = egress(STRICT_POLICY, resolver);
    await guard.check(`http://rebind.test:${target.port}/`);
    const failure = await guard.fetch(`http://rebind.test:${target.port}/`).catch((error: unknown) => error);
    expect(egressRefusal(failure)).toMatchObject({ host: 'rebind.test', address: '127.0.0.1', addressClass: 'loopback' });
    expect(resolver.lookups).toEqual(['rebind.test', 'rebind.test']);
    expect(target.requests).toHaveLength(0);
  });

  it('DNS rebinding: request() is checked at connect as fetch() is', async () => {
    const resolver = scriptedResolver({ 'rebind.test': [['93.184.215.14'], ['127.0.0.1']] });
    const guard = egress(STRICT_POLICY, resolver);
    await guard.check(`http://rebind.test:${target.port}/`);
    const failure = await guard.request(`http://rebind.test:${target.port}/`, { method: 'GET', headers: {} }).catch((error: unknown) => error);
    expect(egressRefusal(failure)).toMatchObject({ host: 'rebind.test', address: '127.0.0.1', addressClass: 'loopback' });
    expect(target.requests).toHaveLength(0);
  });

  it('checks every address a name resolves to, not only the first', async () => {
    const guard = egress(STRICT_POLICY, scriptedResolver({ 'mixed.test': [['93.184.215.14', '10.0.0.7']] }));
    await expect(guard.check('http://mixed.test/')).rejects.toMatchObject({ address: '10.0.0.7', addressClass: 'private' });
  });

  it('refuses a redirect to an address the policy does not allow', async () => {
    const hidden = await startRecorder({ host: '127.0.0.2', answer: { status: 200, body: 'internal' } });
    try {
      target.answer({ status: 307, headers: { Location: `${hidden.url}/internal` } });
      const guard = egress(parseTargetPolicy('127.0.0.1/32'));
      const failure = await guard.fetch(`http://127.0.0.1:${target.port}/`).catch((error: unknown) => error);
      expect(egressRefusal(failure)).toMatchObject({ address: '127.0.0.2' });
      expect(target.requests).toHaveLength(1);
      expect(hidden.requests).toHaveLength(0);
    } finally {
      target.answer({ status: 200, body: 'ok' });
      await hidden.close();
    }
  });

  it('request() follows no redirect: the caller gets the 307, its target gets nothing', async () => {
    const elsewhere = await startRecorder({ answer: { status: 200, body: 'elsewhere' } });
    try {
      target.answer({ status: 307, headers: { Location: `${elsewhere.url}/other` } });
      const guard = egress(parseTargetPolicy('127.0.0.1/32'));
      const response = await guard.request(`http://127.0.0.1:${target.port}/`, { method: 'POST', headers: { Authorization: 'Bearer sk-x' }, body: '{}' });
      await response.body.dump();
      expect(response.statusCode).toBe(307);
      expect(target.requests).toHaveLength(1);
      expect(elsewhere.requests).toHaveLength(0);
    } finally {
      target.answer({ status: 200, body: 'ok' });
      await elsewhere.close();
    }
  });

  it('says when a name does not resolve (a save cannot check it)', async () => {
    const guard = egress(STRICT_POLICY, scriptedResolver({}));
    await expect(guard.check('https://nowhere.invalid/')).rejects.toBeInstanceOf(EgressUnresolvedError);
  });

  it('the refusal message names the class, never the address a name resolved to', async () => {
    const guard = egress(STRICT_POLICY, scriptedResolver({ 'intranet.test': [['10.20.30.40']] }));
    const error = await guard.check('http://intranet.test/').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EgressRefusedError);
    expect((error as Error).message).toMatch(/intranet\.test resolves to a private-network address/);
    expect((error as Error).message).not.toContain('10.20.30.40');
  });
});

describe('connectors refuse private targets by default (built without the runtime policy)', () => {
  let target: Recorder;
  beforeAll(async () => {
    target = await startRecorder({ answer: { status: 200, body: '{}' } });
  });
  afterAll(() => target?.close());

  it('Odoo, embeddings and the store send nothing and fail without retry', async () => {
    const odoo = OdooClient.create({ url: target.url, db: 'db', username: 'u', apiKey: 'odoo-key-123' }, { timeoutMs: 1_000 });
    await expect(odoo.version()).rejects.toBeInstanceOf(OdooValidationError);
    const embeddings = new EmbeddingsClient({ url: `${target.url}/v1`, model: 'm', apiKey: 'sk-embed' });
    await expect(embeddings.embed(['x'])).rejects.toBeInstanceOf(EmbeddingsPermanentError);
    const store = new StoreClient({ storeUrl: target.url, webhookSecret: 'secret', batchSize: 10, timeoutMs: 1_000 });
    await expect(store.setStock([{ sku: 'A', stock_quantity: 1 }])).rejects.toBeInstanceOf(StoreRejectedError);
    expect(target.requests).toHaveLength(0);
  });
});

describe('warnRefusedTargets', () => {
  it('warns at start for each configured URL the policy refuses, naming the variable', async () => {
    const lines: string[] = [];
    const logger = createLogger('warn', { write: (line: string) => void lines.push(line) });
    const config = loadConfig({ ODOO_URL: 'http://127.0.0.1:8069', STORE_URL: 'https://93.184.215.14/', EMBEDDINGS_URL: 'http://169.254.169.254/v1' });
    const guard = new Egress(config.egress);
    try {
      await warnRefusedTargets(config, guard, logger);
    } finally {
      await guard.close();
    }
    const messages = lines.map((line) => (JSON.parse(line) as { msg: string }).msg);
    expect(messages).toEqual([
      expect.stringMatching(/^ODOO_URL: 127\.0\.0\.1 is a loopback address/),
      expect.stringMatching(/^EMBEDDINGS_URL: 169\.254\.169\.254 is a link-local address.*SYNCHUB_ALLOW_PRIVATE_TARGETS/),
    ]);
  });
});
