import type { ProductTypeFields } from './client';

/** Odoo exchanges datetimes as UTC strings `YYYY-MM-DD HH:MM:SS`. */
export function odooDatetime(date: Date): string {
  return date.toISOString().replace('T', ' ').slice(0, 19);
}

export interface PartnerInput {
  name: string;
  email: string;
  phone: string | null;
}

export interface ServiceProductInput {
  name: string;
  defaultCode: string;
  listPrice: number;
}

export interface SaleOrderLineInput {
  productId: number;
  name: string;
  quantity: number;
  priceUnit: number;
  discount: number;
  /** Odoo tax ids, always set explicitly (an empty list means no tax, never the default tax). */
  taxIds: number[];
}

export interface SaleOrderInput {
  partnerId: number;
  /** A pricelist in the order's currency; null keeps Odoo's default (company currency). */
  pricelistId: number | null;
  clientOrderRef: string;
  origin: string;
  dateOrder: Date;
  lines: SaleOrderLineInput[];
}

export type OdooVals = Record<string, unknown>;

export function partnerVals(partner: PartnerInput): OdooVals {
  // customer_rank > 0: the contact shows under Sales › Customers, like one Odoo made from a sale.
  return { name: partner.name, email: partner.email, phone: partner.phone ?? false, is_company: false, customer_rank: 1 };
}

/** A bookable class as a service product: Odoo 17 wants `detailed_type`, 18 only `type`. */
export function serviceProductVals(product: ServiceProductInput, typeFields: ProductTypeFields): OdooVals {
  const vals: OdooVals = {
    name: product.name,
    default_code: product.defaultCode,
    list_price: product.listPrice,
    sale_ok: true,
    purchase_ok: false,
    type: 'service',
    invoice_policy: 'order',
  };
  if (typeFields.detailedType) vals.detailed_type = 'service';
  if (typeFields.isStorable) vals.is_storable = false;
  return vals;
}

/** The whole order in one `create`: lines as one2many `[0, 0, vals]` commands. */
export function saleOrderVals(order: SaleOrderInput): OdooVals {
  const vals: OdooVals = {
    partner_id: order.partnerId,
    client_order_ref: order.clientOrderRef,
    origin: order.origin,
    date_order: odooDatetime(order.dateOrder),
    order_line: order.lines.map((line) => [
      0,
      0,
      {
        product_id: line.productId,
        name: line.name,
        product_uom_qty: line.quantity,
        price_unit: line.priceUnit,
        discount: line.discount,
        tax_id: [[6, 0, line.taxIds]],
      },
    ]),
  };
  if (order.pricelistId !== null) vals.pricelist_id = order.pricelistId;
  return vals;
}

/** A WooCommerce tax rate as Odoo sees it: a sale tax of `percent`, price-included or not. */
export interface TaxKey {
  percent: number;
  included: boolean;
}
export const taxKeyId = (key: TaxKey): string => `${key.percent}:${key.included ? 'incl' : 'excl'}`;

/** A sale tax for a WooCommerce rate: Odoo 17 has `price_include`, 18 `price_include_override`. */
export function saleTaxVals(key: TaxKey, override: boolean): OdooVals {
  const vals: OdooVals = {
    name: `${key.percent}% ${key.included ? 'incl.' : 'excl.'} (WooCommerce)`,
    amount: key.percent,
    amount_type: 'percent',
    type_tax_use: 'sale',
  };
  if (override) vals.price_include_override = key.included ? 'tax_included' : 'tax_excluded';
  else vals.price_include = key.included;
  return vals;
}

/** `=ilike` on each email (no wildcards: `%`, `_` and `\\` are escaped), OR-ed in prefix notation. */
export function emailDomain(emails: string[]): unknown[] {
  const terms = emails.map((email) => ['email', '=ilike', email.replace(/[\\%_]/g, (char) => `\\${char}`)]);
  return [...Array<string>(Math.max(0, terms.length - 1)).fill('|'), ...terms];
}
