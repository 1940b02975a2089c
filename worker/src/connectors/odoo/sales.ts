import { z } from 'zod';

import type { OdooClient } from './client';
import { OdooUnavailableError, OdooValidationError } from './errors';
import {
  emailDomain,
  odooDatetime,
  partnerVals,
  saleOrderVals,
  saleTaxVals,
  serviceProductVals,
  taxKeyId,
  type PartnerInput,
  type SaleOrderInput,
  type ServiceProductInput,
  type TaxKey,
} from './mappers';

/**
 * Odoo's XML-RPC runs with `allow_none` off: a method returning None (the invoicing wizard's
 * `create_invoices`) answers with this fault although it took effect.
 */
export const MARSHAL_NONE = /cannot marshal None unless allow_none is enabled/;

/** Odoo cannot take an order in a currency it has not activated; Sync Hub never activates one. */
export class OdooCurrencyError extends OdooValidationError {
  constructor(readonly currency: string) {
    super(
      `Odoo cannot take orders in ${currency}: the currency ${currency} is not active in Odoo. Sync Hub does not activate currencies; activate ${currency} in Odoo (Accounting › Configuration › Currencies), then retry the order.`,
      null,
    );
  }
}

/** What the sync needs to be allowed, and the Odoo group that grants it (by XML id). */
export interface RightCheck {
  model: string;
  operation: 'read' | 'write' | 'create' | 'unlink';
  group: string;
}

const idList = z.array(z.number().int());
const createdIds = z.union([z.number().int(), idList]).transform((value) => (Array.isArray(value) ? value : [value]));
const saleOrderRow = z.object({ id: z.number().int(), name: z.string(), client_order_ref: z.union([z.string(), z.literal(false)]), state: z.string() });
export type SaleOrderRow = z.infer<typeof saleOrderRow>;
const saleOrderTotalsRow = z.object({ id: z.number().int(), name: z.string(), state: z.string(), amount_untaxed: z.number(), amount_total: z.number() });
export type SaleOrderTotals = z.infer<typeof saleOrderTotalsRow>;

/**
 * The Odoo side of bookings, shaped for batches: every lookup takes a list (`in` domains), every
 * create takes a list (one multi-record `create`), confirm takes an id list.
 */
export class OdooSales {
  constructor(readonly client: OdooClient) {}

  async findSaleOrdersByRef(refs: string[]): Promise<Map<string, SaleOrderRow>> {
    const found = new Map<string, SaleOrderRow>();
    if (refs.length === 0) return found;
    const rows = await this.client.executeKw(
      'sale.order',
      'search_read',
      [[['client_order_ref', 'in', refs]]],
      { fields: ['name', 'client_order_ref', 'state'], order: 'id asc' },
      z.array(saleOrderRow),
    );
    // With several orders for one ref (made by hand), the oldest is the one we link.
    for (const row of rows) if (typeof row.client_order_ref === 'string' && !found.has(row.client_order_ref)) found.set(row.client_order_ref, row);
    return found;
  }

  async readSaleOrders(ids: number[]): Promise<SaleOrderRow[]> {
    if (ids.length === 0) return [];
    return this.client.executeKw('sale.order', 'read', [ids, ['name', 'client_order_ref', 'state']], {}, z.array(saleOrderRow));
  }

  /**
   * Totals and states of the sale orders that still exist, in pages of `pageSize`: `search_read`
   * on an `id in` domain, so a deleted order is simply absent (`read` would fault on it).
   */
  async saleOrderTotals(ids: number[], pageSize = 200): Promise<Map<number, SaleOrderTotals>> {
    const found = new Map<number, SaleOrderTotals>();
    for (let index = 0; index < ids.length; index += pageSize) {
      const page = ids.slice(index, index + pageSize);
      const rows = await this.client.executeKw(
        'sale.order',
        'search_read',
        [[['id', 'in', page]]],
        { fields: ['name', 'state', 'amount_untaxed', 'amount_total'] },
        z.array(saleOrderTotalsRow),
      );
      for (const row of rows) found.set(row.id, row);
    }
    return found;
  }

  /**
   * Partners by normalised email (trimmed, lower-case), oldest first wins. Odoo's `=` on email is
   * case-sensitive, so the lookup is `=ilike` (wildcards escaped): `Carla.Hand@Example.com` is found.
   */
  async findPartnersByEmail(emails: string[]): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    if (emails.length === 0) return found;
    const rows = await this.client.executeKw(
      'res.partner',
      'search_read',
      [emailDomain(emails)],
      { fields: ['email'], order: 'id asc' },
      z.array(z.object({ id: z.number().int(), email: z.union([z.string(), z.literal(false)]) })),
    );
    for (const row of rows) {
      if (typeof row.email !== 'string') continue;
      const key = row.email.trim().toLowerCase();
      if (!found.has(key)) found.set(key, row.id);
    }
    return found;
  }

  async createPartners(partners: PartnerInput[]): Promise<number[]> {
    if (partners.length === 0) return [];
    return this.createMany('res.partner', partners.map(partnerVals));
  }

  async findProductsByCode(codes: string[]): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    if (codes.length === 0) return found;
    const rows = await this.client.executeKw(
      'product.product',
      'search_read',
      [[['default_code', 'in', codes]]],
      { fields: ['default_code'], order: 'id asc' },
      z.array(z.object({ id: z.number().int(), default_code: z.union([z.string(), z.literal(false)]) })),
    );
    for (const row of rows) if (typeof row.default_code === 'string' && !found.has(row.default_code)) found.set(row.default_code, row.id);
    return found;
  }

  async createServiceProducts(products: ServiceProductInput[]): Promise<number[]> {
    if (products.length === 0) return [];
    const typeFields = await this.client.productTypeFields();
    return this.createMany(
      'product.product',
      products.map((product) => serviceProductVals(product, typeFields)),
    );
  }

  async createSaleOrders(orders: SaleOrderInput[]): Promise<number[]> {
    if (orders.length === 0) return [];
    return this.createMany('sale.order', orders.map(saleOrderVals));
  }

  async confirm(ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.client.executeKw('sale.order', 'action_confirm', [ids], {}, z.unknown());
  }

  /**
   * `action_confirm` sets `date_order` to now; this puts each order's own date back, all in one
   * call through `load` (the import API: one row per record, `.id` being the database id).
   */
  async setOrderDates(dates: Array<{ id: number; date: Date }>): Promise<void> {
    if (dates.length === 0) return;
    const rows = dates.map(({ id, date }) => [String(id), odooDatetime(date)]);
    const result = await this.client.executeKw(
      'sale.order',
      'load',
      [['.id', 'date_order'], rows],
      { context: { tz: 'UTC' } },
      z.object({ ids: z.union([z.array(z.number()), z.literal(false)]), messages: z.array(z.object({ type: z.string(), message: z.string() }).passthrough()) }),
    );
    const error = result.messages.find((message) => message.type === 'error');
    if (error || result.ids === false) throw new OdooValidationError(`Odoo refused to set the order dates: ${error?.message ?? 'no ids returned'}`, null);
  }

  /**
   * Odoo sale taxes for WooCommerce rates: the first active sale tax of that percent with the same
   * price-include flag, else a new one. Looked up once per connection.
   */
  async taxIds(keys: TaxKey[]): Promise<Map<string, number>> {
    const ids = new Map<string, number>();
    for (const key of keys) ids.set(taxKeyId(key), await this.client.memo(`tax:${taxKeyId(key)}`, () => this.findOrCreateTax(key)));
    return ids;
  }

  private async findTax(key: TaxKey): Promise<number | undefined> {
    const rows = await this.client.executeKw(
      'account.tax',
      'search_read',
      [
        [
          ['type_tax_use', '=', 'sale'],
          ['amount_type', '=', 'percent'],
          ['amount', '=', key.percent],
        ],
      ],
      { fields: ['price_include', 'include_base_amount'], order: 'sequence asc, id asc' },
      z.array(z.object({ id: z.number().int(), price_include: z.boolean(), include_base_amount: z.boolean().optional() })),
    );
    return rows
      .filter((row) => row.price_include === key.included && row.include_base_amount !== true)
      .map((row) => row.id)
      .sort((a, b) => a - b)[0];
  }

  private async findOrCreateTax(key: TaxKey): Promise<number> {
    const found = await this.findTax(key);
    if (found !== undefined) return found;
    const fields = await this.client.fieldsGet('account.tax');
    try {
      const [id] = await this.createMany('account.tax', [saleTaxVals(key, 'price_include_override' in fields)]);
      // Two jobs may both have found nothing and both created (Odoo 17 lets both through): the
      // lowest id wins everywhere, and the loser removes its unused copy.
      const first = await this.findTax(key);
      if (first !== undefined && first !== id) {
        await this.client.executeKw('account.tax', 'unlink', [[id as number]], {}, z.unknown()).catch(() => undefined);
        return first;
      }
      return id as number;
    } catch (error) {
      // Another job or process created the same tax a moment ago (Odoo: "Tax names must be unique"): use it.
      if (!(error instanceof OdooValidationError)) throw error;
      const created = await this.findTax(key);
      if (created === undefined) throw error;
      return created;
    }
  }

  /** A pricelist in `currency` (found, else created); the currency itself must be active in Odoo. */
  pricelistFor(currency: string): Promise<number> {
    return this.client.memo(`pricelist:${currency}`, async () => {
      const currencies = await this.client.executeKw(
        'res.currency',
        'search_read',
        [[['name', '=', currency]]],
        { fields: ['name'], limit: 1 },
        z.array(z.object({ id: z.number().int() })),
      );
      const currencyId = currencies[0]?.id;
      if (currencyId === undefined) throw new OdooCurrencyError(currency);
      const pricelists = await this.client.executeKw(
        'product.pricelist',
        'search_read',
        [[['currency_id', '=', currencyId]]],
        { fields: ['name'], order: 'id asc', limit: 1 },
        z.array(z.object({ id: z.number().int() })),
      );
      if (pricelists[0]) return pricelists[0].id;
      const [id] = await this.createMany('product.pricelist', [{ name: `WooCommerce ${currency}`, currency_id: currencyId }]);
      return id as number;
    });
  }

  /** The rights among `checks` the API user lacks (`check_access_rights`, one call each). */
  async missingRights(checks: RightCheck[]): Promise<RightCheck[]> {
    const missing: RightCheck[] = [];
    for (const check of checks) {
      const allowed = await this.client.executeKw(check.model, 'check_access_rights', [check.operation], { raise_exception: false }, z.boolean());
      if (!allowed) missing.push(check);
    }
    return missing;
  }

  /** Display names of groups by XML id (`sales_team.group_sale_manager` → "Sales / Administrator"). */
  async groupNames(xmlIds: string[]): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    for (const xmlId of xmlIds) {
      const [module, name] = xmlId.split('.');
      try {
        const refs = await this.client.executeKw(
          'ir.model.data',
          'search_read',
          [
            [
              ['module', '=', module],
              ['name', '=', name],
              ['model', '=', 'res.groups'],
            ],
          ],
          { fields: ['res_id'], limit: 1 },
          z.array(z.object({ res_id: z.number().int() })),
        );
        const ref = refs[0];
        if (!ref) continue;
        const [group] = await this.client.executeKw('res.groups', 'read', [[ref.res_id], ['full_name']], {}, z.array(z.object({ full_name: z.string() })));
        if (group) names.set(xmlId, group.full_name);
      } catch {
        // A user without rights on ir.model.data: the caller falls back to its own names.
      }
    }
    return names;
  }

  /**
   * Invoices a confirmed order through Odoo's public wizard (`_create_invoices` is private),
   * unless it already has an invoice (a retry after a lost answer must not invoice twice).
   */
  async invoice(saleOrderId: number): Promise<number[]> {
    const existing = await this.invoiceIds(saleOrderId);
    if (existing.length > 0) return existing;
    const context = { active_model: 'sale.order', active_ids: [saleOrderId], active_id: saleOrderId };
    const [wizardId] = await this.createMany(
      'sale.advance.payment.inv',
      [{ advance_payment_method: 'delivered', sale_order_ids: [[6, 0, [saleOrderId]]] }],
      context,
    );
    try {
      await this.client.executeKw('sale.advance.payment.inv', 'create_invoices', [[wizardId]], { context }, z.unknown());
    } catch (error) {
      // The wizard returns None: Odoo 17 and 18 answer a marshalling fault after creating the invoice.
      if (!(error instanceof OdooValidationError && MARSHAL_NONE.test(error.message))) throw error;
    }
    // Whatever the answer said, the invoice is what counts.
    const created = await this.invoiceIds(saleOrderId);
    if (created.length === 0) throw new OdooUnavailableError(`Odoo answered the invoicing of sale order ${saleOrderId} but no invoice exists; retrying.`);
    return created;
  }

  private async invoiceIds(saleOrderId: number): Promise<number[]> {
    const [row] = await this.client.executeKw(
      'sale.order',
      'read',
      [[saleOrderId], ['invoice_ids']],
      {},
      z.array(z.object({ id: z.number(), invoice_ids: z.array(z.number()) })),
    );
    return row?.invoice_ids ?? [];
  }

  private async createMany(model: string, vals: Array<Record<string, unknown>>, context?: Record<string, unknown>): Promise<number[]> {
    const ids = await this.client.executeKw(model, 'create', [vals], context ? { context } : {}, createdIds);
    if (ids.length !== vals.length) throw new Error(`Odoo created ${ids.length} ${model} records for ${vals.length} values`);
    return ids;
  }
}
