import xmlrpc from 'xmlrpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startFakeOdoo, type FakeOdoo } from './server';

let fake: FakeOdoo;

beforeAll(async () => {
  fake = await startFakeOdoo({ version: 17 });
});
afterAll(async () => {
  await fake?.close();
});

type CallError = Error & { faultCode?: number; faultString?: string; res?: { statusCode?: number } };

/** Calls through the `xmlrpc` package's own client: the fake must speak real XML-RPC. */
function call(service: 'common' | 'object', method: string, params: unknown[]): Promise<unknown> {
  const client = xmlrpc.createClient({ url: `${fake.url}/xmlrpc/2/${service}` });
  return new Promise((resolve, reject) =>
    client.methodCall(method, params, (error: object | null, value: unknown) => (error ? reject(error as CallError) : resolve(value))),
  );
}
const kw = (model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) =>
  call('object', 'execute_kw', [fake.db, fake.uid, fake.apiKey, model, method, args, kwargs]);
const fault = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a fault');
    },
    (error: CallError) => error,
  );

describe('fake Odoo over XML-RPC', () => {
  it('answers version and authenticates by API key', async () => {
    expect(await call('common', 'version', [])).toMatchObject({ server_version: '17.0', protocol_version: 1 });
    expect(await call('common', 'authenticate', [fake.db, fake.login, fake.apiKey, {}])).toBe(fake.uid);
    expect(await call('common', 'authenticate', [fake.db, fake.login, 'wrong', {}])).toBe(false);
  });

  it('answers a wrong key on execute_kw with fault 3 Access Denied', async () => {
    const error = await fault(call('object', 'execute_kw', [fake.db, fake.uid, 'wrong', 'res.partner', 'search', [[]], {}]));
    expect(error.faultCode).toBe(3);
    expect(error.faultString).toBe('Access Denied');
  });

  it('creates one or many records and reads them back with search_read and in-domains', async () => {
    const one = await kw('res.partner', 'create', [{ name: 'Ana', email: 'ana@example.com' }]);
    expect(typeof one).toBe('number');
    const many = (await kw('res.partner', 'create', [
      [
        { name: 'Bob', email: 'bob@example.com' },
        { name: 'Eve', email: 'eve@example.com' },
      ],
    ])) as number[];
    expect(many).toHaveLength(2);
    const rows = await kw('res.partner', 'search_read', [[['email', 'in', ['ana@example.com', 'eve@example.com']]]], { fields: ['name', 'email'] });
    expect(rows).toEqual([
      { id: one, name: 'Ana', email: 'ana@example.com' },
      { id: many[1], name: 'Eve', email: 'eve@example.com' },
    ]);
  });

  it('enforces required fields with a ValidationError (fault 2)', async () => {
    const error = await fault(kw('res.partner', 'create', [{ email: 'x@example.com' }]));
    expect(error.faultCode).toBe(2);
    expect(error.faultString).toContain('a mandatory field is not set');
    expect(error.faultString).toContain('Field: Name (name)');
  });

  it('rejects unknown fields and wrong types with a fault 1 traceback', async () => {
    const unknown = await fault(kw('product.product', 'create', [{ name: 'X', is_storable: true }]));
    expect(unknown.faultCode).toBe(1);
    expect(unknown.faultString).toMatch(/Traceback[\s\S]*Invalid field 'is_storable' on model 'product.product'/);
    const wrongType = await fault(kw('sale.order.line', 'create', [{ product_id: 'one' }]));
    expect(wrongType.faultCode).toBe(1);
    const badDate = await fault(kw('sale.order', 'create', [{ partner_id: 1, date_order: '2026-11-23T10:00:00Z' }]));
    expect(badDate.faultString).toContain("does not match format '%Y-%m-%d %H:%M:%S'");
  });

  it('refuses private methods with fault 4', async () => {
    const error = await fault(kw('sale.order', '_create_invoices', [[1]]));
    expect(error.faultCode).toBe(4);
    expect(error.faultString).toContain('cannot be called remotely');
  });

  it('creates an order with lines, confirms it and invoices it through the wizard', async () => {
    const partner = (await kw('res.partner', 'create', [{ name: 'Zoe', email: 'zoe@example.com' }])) as number;
    const product = (await kw('product.product', 'create', [{ name: 'Yoga', default_code: 'Y1', type: 'service', detailed_type: 'service' }])) as number;
    const order = (await kw('sale.order', 'create', [
      {
        partner_id: partner,
        client_order_ref: 'WC-1',
        date_order: '2026-11-23 10:00:00',
        order_line: [[0, 0, { product_id: product, product_uom_qty: 2, price_unit: 10, discount: 5 }]],
      },
    ])) as number;
    const [read] = (await kw('sale.order', 'read', [[order], ['name', 'partner_id', 'state', 'amount_total', 'order_line']])) as Array<Record<string, unknown>>;
    // No tax given on the line: like a fresh Odoo, the default 15 % sale tax applies (19 + 2.85).
    expect(read).toMatchObject({ name: 'S00001', partner_id: [partner, 'Zoe'], state: 'draft', amount_total: 21.85 });
    expect(await kw('sale.order', 'action_confirm', [[order]])).toBe(true);
    const context = { active_model: 'sale.order', active_ids: [order], active_id: order };
    const wizard = await kw('sale.advance.payment.inv', 'create', [{ advance_payment_method: 'delivered', sale_order_ids: [[6, 0, [order]]] }], { context });
    // Like Odoo 17/18: the wizard returns None, which XML-RPC cannot send; the invoice exists anyway.
    const marshal = await fault(kw('sale.advance.payment.inv', 'create_invoices', [[wizard]], { context }));
    expect(marshal.faultCode).toBe(1);
    expect(marshal.faultString).toMatch(/TypeError: cannot marshal None unless allow_none is enabled\s*$/);
    const [after] = (await kw('sale.order', 'read', [[order], ['state', 'invoice_ids']])) as Array<Record<string, unknown>>;
    expect(after).toMatchObject({ state: 'sale' });
    expect(after?.invoice_ids).toHaveLength(1);
  });

  it('has detailed_type on Odoo 17 and is_storable on Odoo 18', async () => {
    const v17 = (await kw('product.product', 'fields_get', [], { attributes: ['type'] })) as Record<string, unknown>;
    expect(Object.keys(v17)).toContain('detailed_type');
    const v18 = await startFakeOdoo({ version: 18 });
    try {
      const client = xmlrpc.createClient({ url: `${v18.url}/xmlrpc/2/object` });
      const fields = await new Promise<Record<string, unknown>>((resolve, reject) =>
        client.methodCall(
          'execute_kw',
          [v18.db, v18.uid, v18.apiKey, 'product.product', 'fields_get', [], {}],
          (error: object | null, value: Record<string, unknown>) => (error ? reject(error as CallError) : resolve(value)),
        ),
      );
      expect(Object.keys(fields)).toContain('is_storable');
      expect(Object.keys(fields)).not.toContain('detailed_type');
    } finally {
      await v18.close();
    }
  });

  it('injects HTTP 500, lost responses and faults, and counts calls per method', async () => {
    fake.resetCalls();
    fake.inject({ match: 'res.partner.search_read', kind: 'http500' });
    const http500 = await fault(kw('res.partner', 'search_read', [[]]));
    expect(http500.faultCode).toBeUndefined();
    fake.inject({ match: 'res.partner.create', kind: 'lost-response' });
    await expect(kw('res.partner', 'create', [{ name: 'Lost', email: 'lost@example.com' }])).rejects.toThrow();
    // The record was created although the answer was lost.
    expect(await kw('res.partner', 'search_count', [[['email', '=', 'lost@example.com']]])).toBe(1);
    fake.inject({ match: 'sale.order.create', kind: 'fault', fault: { code: 2, message: 'Invalid customer.' } });
    const injected = await fault(kw('sale.order', 'create', [{ partner_id: 1 }]));
    expect(injected).toMatchObject({ faultCode: 2, faultString: 'Invalid customer.' });
    expect(fake.calls).toMatchObject({
      'object.execute_kw': 4,
      'res.partner.search_read': 1,
      'res.partner.create': 1,
      'res.partner.search_count': 1,
      'sale.order.create': 1,
    });
    expect(fake.totalCalls()).toBe(4);
  });

  it('answers 404 outside /xmlrpc/2', async () => {
    const response = await fetch(`${fake.url}/web/login`, { method: 'POST' });
    expect(response.status).toBe(404);
  });
});
