import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { faultToError, OdooAccessDeniedError, OdooClient, OdooSales, OdooUnavailableError, OdooValidationError } from '../../../../worker/src/connectors/odoo';
import { startFakeOdoo, type FakeOdoo } from '../../../fakes/odoo/server';
import { LOOPBACK_FETCH } from '../../../support/egress';

let fake: FakeOdoo;
const connect = (overrides: Partial<{ apiKey: string; db: string }> = {}, timeoutMs = 400) =>
  OdooClient.create(
    { url: fake.url, db: overrides.db ?? fake.db, username: fake.login, apiKey: overrides.apiKey ?? fake.apiKey },
    { timeoutMs, fetch: LOOPBACK_FETCH },
  );

beforeAll(async () => {
  fake = await startFakeOdoo({ version: 17 });
});
afterAll(async () => {
  await fake?.close();
});

describe('faultToError', () => {
  it.each([
    [3, 'Access Denied', OdooAccessDeniedError],
    [2, 'The operation cannot be completed', OdooValidationError],
    [4, "Private methods (such as 'sale.order._create_invoices') cannot be called remotely.", OdooValidationError],
    [1, 'Traceback...\nValueError: Invalid field', OdooValidationError],
    [1, 'Traceback...\npsycopg2.errors.SerializationFailure: could not serialize access due to concurrent update', OdooUnavailableError],
    ['2', 'string code from /xmlrpc', OdooValidationError],
  ])('fault %s → %o', (code, text, type) => {
    expect(faultToError(code, text, 'x')).toBeInstanceOf(type);
  });

  it('keeps the last traceback line as the message of fault 1', () => {
    expect(faultToError(1, 'Traceback (most recent call last):\n  File "x"\nValueError: Invalid field \'foo\'', 'sale.order.create').message).toBe(
      "Odoo failed on sale.order.create: ValueError: Invalid field 'foo'",
    );
  });
});

describe('OdooClient against the fake Odoo', () => {
  it('reads the version and authenticates once (uid cached)', async () => {
    const client = connect();
    fake.resetCalls();
    expect((await client.version()).server_version).toBe('17.0');
    expect(await client.authenticate()).toBe(fake.uid);
    expect(await client.whoAmI()).toEqual({ id: fake.uid, name: 'Sync Bot', login: fake.login });
    await client.executeKw('res.partner', 'search', [[]], {}, z.array(z.number()));
    expect(fake.calls['common.authenticate']).toBe(1);
  });

  it('turns a false authenticate into an access-denied error naming the login', async () => {
    await expect(connect({ apiKey: 'wrong' }).authenticate()).rejects.toThrow(OdooAccessDeniedError);
    await expect(connect({ apiKey: 'wrong' }).authenticate()).rejects.toThrow(/rejected the login "bot@example.com"/);
  });

  it('maps a timeout, HTTP 500 and HTTP 429 to retryable errors', async () => {
    const client = connect({}, 200);
    await client.authenticate();
    fake.inject({ match: 'res.partner.search', kind: 'timeout' });
    await expect(client.executeKw('res.partner', 'search', [[]], {}, z.array(z.number()))).rejects.toThrow(/no answer within 200 ms/);
    fake.inject({ match: 'res.partner.search', kind: 'http500' });
    await expect(client.executeKw('res.partner', 'search', [[]], {}, z.array(z.number()))).rejects.toBeInstanceOf(OdooUnavailableError);
    fake.inject({ match: 'res.partner.search', kind: 'http429', retryAfterSeconds: 3 });
    const limited = await client.executeKw('res.partner', 'search', [[]], {}, z.array(z.number())).catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(OdooUnavailableError);
    expect((limited as OdooUnavailableError).retryAfterMs).toBe(3000);
  });

  it("maps Odoo faults to typed errors with Odoo's message", async () => {
    const client = connect();
    fake.inject({ match: 'sale.order.create', kind: 'fault', fault: { code: 2, message: 'Invalid customer.' } });
    await expect(client.executeKw('sale.order', 'create', [{}], {}, z.number())).rejects.toThrow('Odoo rejected sale.order.create: Invalid customer.');
    await expect(client.executeKw('sale.order', '_create_invoices', [[1]], {}, z.unknown())).rejects.toBeInstanceOf(OdooValidationError);
  });

  it('reads fields_get once per connection and makes services the Odoo 17 or 18 way', async () => {
    const client = connect();
    fake.resetCalls();
    const sales = new OdooSales(client);
    await sales.createServiceProducts([{ name: 'Yoga', defaultCode: 'Y-17', listPrice: 10 }]);
    await sales.createServiceProducts([{ name: 'Yoga 2', defaultCode: 'Y-17b', listPrice: 10 }]);
    expect(fake.calls['product.product.fields_get']).toBe(1);
    const [row] = fake.orm.search('product.product', [['default_code', '=', 'Y-17']]);
    expect(row).toMatchObject({ type: 'service', detailed_type: 'service' });

    const v18 = await startFakeOdoo({ version: 18 });
    try {
      const sales18 = new OdooSales(
        OdooClient.create({ url: v18.url, db: v18.db, username: v18.login, apiKey: v18.apiKey }, { timeoutMs: 1000, fetch: LOOPBACK_FETCH }),
      );
      await sales18.createServiceProducts([{ name: 'Yoga', defaultCode: 'Y-18', listPrice: 10 }]);
      const [row18] = v18.orm.search('product.product', [['default_code', '=', 'Y-18']]);
      expect(row18).toMatchObject({ type: 'service', is_storable: false });
      expect(row18).not.toHaveProperty('detailed_type');
    } finally {
      await v18.close();
    }
  });

  it('looks up and creates in batches: one call per list', async () => {
    const sales = new OdooSales(connect());
    await sales.client.authenticate();
    fake.resetCalls();
    const ids = await sales.createPartners([
      { name: 'A', email: 'a@batch.test', phone: null },
      { name: 'B', email: 'b@batch.test', phone: '1' },
    ]);
    const found = await sales.findPartnersByEmail(['a@batch.test', 'b@batch.test', 'c@batch.test']);
    expect([...found.entries()]).toEqual([
      ['a@batch.test', ids[0]],
      ['b@batch.test', ids[1]],
    ]);
    expect(fake.totalCalls()).toBe(2);
  });
});
