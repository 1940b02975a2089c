import { z } from 'zod';

import type { OdooClient } from './client';
import { partnerVals, saleOrderVals, serviceProductVals, type PartnerInput, type SaleOrderInput, type ServiceProductInput } from './mappers';

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
      const rows = await this.client.executeKw('sale.order', 'search_read', [[['id', 'in', page]]], { fields: ['name', 'state', 'amount_untaxed', 'amount_total'] }, z.array(saleOrderTotalsRow));
      for (const row of rows) found.set(row.id, row);
    }
    return found;
  }

  /** Partners by email (lower-case), oldest first wins. */
  async findPartnersByEmail(emails: string[]): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    if (emails.length === 0) return found;
    const rows = await this.client.executeKw(
      'res.partner',
      'search_read',
      [[['email', 'in', emails]]],
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
    return this.createMany('product.product', products.map((product) => serviceProductVals(product, typeFields)));
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
   * Invoices a confirmed order through Odoo's public wizard (`_create_invoices` is private),
   * unless it already has an invoice (a retry after a lost answer must not invoice twice).
   */
  async invoice(saleOrderId: number): Promise<void> {
    const [current] = await this.client.executeKw('sale.order', 'read', [[saleOrderId], ['invoice_ids']], {}, z.array(z.object({ id: z.number(), invoice_ids: z.array(z.number()) })));
    if (current && current.invoice_ids.length > 0) return;
    const context = { active_model: 'sale.order', active_ids: [saleOrderId], active_id: saleOrderId };
    const [wizardId] = await this.createMany('sale.advance.payment.inv', [{ advance_payment_method: 'delivered', sale_order_ids: [[6, 0, [saleOrderId]]] }], context);
    await this.client.executeKw('sale.advance.payment.inv', 'create_invoices', [[wizardId]], { context }, z.unknown());
  }

  private async createMany(model: string, vals: Array<Record<string, unknown>>, context?: Record<string, unknown>): Promise<number[]> {
    const ids = await this.client.executeKw(model, 'create', [vals], context ? { context } : {}, createdIds);
    if (ids.length !== vals.length) throw new Error(`Odoo created ${ids.length} ${model} records for ${vals.length} values`);
    return ids;
  }
}
