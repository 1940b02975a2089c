import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { wcOrder } from './fixtures';
import { startHarness, type Harness } from './harness';
import { adminHeaders } from '../../support/runtime';
import { startSmtp } from '../../support/smtp';

describe('wrong Odoo credentials', () => {
  let h: Harness;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  beforeAll(async () => {
    smtp = await startSmtp();
    h = await startHarness({ apiKey: 'revoked-key', env: { SMTP_URL: smtp.url, ADMIN_EMAILS: 'owner@example.test,ops@example.test' } });
  });
  afterAll(async () => {
    await h?.dispose();
    await smtp?.close();
  });

  it('dead-letters the order without retrying, marks the connector unhealthy and alerts', async () => {
    const alerts = vi.spyOn(h.runtime.ctx.logger, 'error');
    await h.post(wcOrder(4001));
    const row = await h.waitForOrder(4001, 'failed');
    expect(row.error_kind).toBe('access_denied');
    expect(row.last_error).toMatch(/rejected the login "bot@example.com" on database "odoo"/);
    expect(h.odoo.calls['common.authenticate']).toBe(1);
    const health = await (await fetch(`${h.runtime.url}/health`, { headers: adminHeaders() })).json();
    expect(health).toMatchObject({ status: 'degraded', odoo_connection: false });
    expect(alerts).toHaveBeenCalledWith({ alert: 'Sync Hub: Odoo denied access' }, expect.stringContaining('username or API key is wrong'));
    alerts.mockRestore();
    // The admins get one mail; a second order failing the same way does not send another.
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]?.to).toEqual(['owner@example.test', 'ops@example.test']);
    expect(smtp.messages[0]?.raw).toContain('Subject: Sync Hub: Odoo denied access');
    await h.post(wcOrder(4002));
    await h.waitForOrder(4002, 'failed');
    expect(smtp.messages).toHaveLength(1);
  });

  it('Test connection says what is wrong in words', async () => {
    const response = await h.admin('POST', '/api/v1/bookings/test-connection', {});
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.ok).toBe(false);
    expect(body.error).toMatch(/username or API key is wrong/);
  });

  it('saving the right key from wp-admin heals the connection; Test shows version and user', async () => {
    const saved = await h.admin('PUT', '/api/v1/bookings/settings', { api_key: h.odoo.apiKey });
    expect(saved.status).toBe(200);
    const test = await (await h.admin('POST', '/api/v1/bookings/test-connection', {})).json();
    expect(test).toEqual({ ok: true, version: '17.0', user: { id: h.odoo.uid, name: 'Sync Bot', login: h.odoo.login } });
    const settings = await (await h.admin('GET', '/api/v1/bookings/settings')).json();
    expect(settings).toMatchObject({ url: h.odoo.url, has_api_key: true, configured: true, confirm_orders: true, create_invoices: false });
    expect(JSON.stringify(settings)).not.toContain(h.odoo.apiKey);
    // The key is stored sealed.
    const stored = await h.runtime.ctx.db
      .selectFrom('synchub_settings')
      .select(['value', 'is_secret'])
      .where('name', '=', 'bookings.odoo')
      .executeTakeFirstOrThrow();
    expect(stored.is_secret).toBe(1);
    expect(stored.value).not.toContain(h.odoo.apiKey);
    expect((await (await fetch(`${h.runtime.url}/health`, { headers: adminHeaders() })).json()).odoo_connection).toBe(true);
    // The dead letter is retried from the page.
    expect((await h.admin('POST', '/api/v1/bookings/orders/4001/retry')).status).toBe(202);
    await h.waitForOrder(4001, 'synced');
    expect(h.saleOrders('WC-4001')).toHaveLength(1);
  });

  it.each([
    ['PUT', '/api/v1/bookings/settings', { url: 'not a url' }, 'url'],
    ['PUT', '/api/v1/bookings/settings', { db: '' }, 'db'],
    ['PUT', '/api/v1/bookings/settings', { confirm_orders: 'yes' }, 'confirm_orders'],
    ['PUT', '/api/v1/bookings/settings', { create_invoices: true, confirm_orders: false }, 'create_invoices'],
    ['PUT', '/api/v1/bookings/settings', { password: 'x' }, '_'],
    ['POST', '/api/v1/bookings/test-connection', { url: 'ftp://x' }, 'url'],
    ['POST', '/sync/manual', { order_id: 'abc' }, 'order_id'],
    ['POST', '/sync/manual', { order_id: -1 }, 'order_id'],
    ['GET', '/api/v1/bookings/orders?status=lost', undefined, 'status'],
  ])('%s %s %j → 400 naming %s, nothing saved', async (method, path, body, field) => {
    const before = await h.runtime.ctx.db.selectFrom('synchub_settings').selectAll().execute();
    const response = await h.admin(method, path, body);
    expect(response.status).toBe(400);
    const error = (await response.json()).error;
    expect(error.code).toBe('validation_error');
    expect(Object.keys(error.details.fields)).toContain(field);
    expect(await h.runtime.ctx.db.selectFrom('synchub_settings').selectAll().execute()).toEqual(before);
  });

  it('answers 404 for an order the worker never received, 401 without the admin token', async () => {
    expect((await h.admin('POST', '/sync/manual', { order_id: 999999 })).status).toBe(404);
    expect((await h.admin('POST', '/api/v1/bookings/orders/999999/retry')).status).toBe(404);
    expect((await fetch(`${h.runtime.url}/sync/manual`, { method: 'POST' })).status).toBe(401);
    expect((await fetch(`${h.runtime.url}/api/v1/bookings/settings`)).status).toBe(401);
  });
});

describe('Odoo 18 with invoicing on', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ odoo: { version: 18 }, env: { BOOKINGS_CREATE_INVOICES: 'true' } });
  });
  afterAll(async () => {
    await h?.dispose();
  });

  it('creates Odoo 18 services (type, is_storable) and invoices through the wizard', async () => {
    await h.post(wcOrder(5001));
    await h.waitForOrder(5001, 'synced');
    const [sale] = h.saleOrders('WC-5001');
    expect(sale).toMatchObject({ state: 'sale' });
    expect(sale?.invoice_ids).toHaveLength(1);
    const [line] = h.odoo.orm.search('sale.order.line', [['order_id', '=', Number(sale?.id)]]);
    const product = h.odoo.orm.get('product.product', Number(line?.product_id));
    expect(product).toMatchObject({ type: 'service', is_storable: false });
    expect(product).not.toHaveProperty('detailed_type');
    expect(h.odoo.calls['sale.advance.payment.inv.create_invoices']).toBe(1);
    const link = await h.runtime.ctx.db.selectFrom('synchub_bookings_links').select('invoiced').where('wc_order_id', '=', 5001).executeTakeFirstOrThrow();
    expect(link.invoiced).toBe(1);
  });

  it('does not invoice twice when the answer to create_invoices is lost', async () => {
    h.odoo.resetCalls();
    h.odoo.inject({ match: 'sale.advance.payment.inv.create_invoices', kind: 'lost-response' });
    await h.post(wcOrder(5002));
    await h.waitForOrder(5002, 'synced', 15_000);
    const [sale] = h.saleOrders('WC-5002');
    expect(sale?.invoice_ids).toHaveLength(1);
    // The first attempt invoiced (answer lost); the retry saw the invoice and did not call again.
    expect(h.odoo.calls['sale.advance.payment.inv.create_invoices']).toBe(1);
    expect(h.odoo.calls['sale.order.read']).toBeGreaterThanOrEqual(2);
  });
});
