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
}

export interface SaleOrderInput {
  partnerId: number;
  clientOrderRef: string;
  origin: string;
  dateOrder: Date;
  lines: SaleOrderLineInput[];
}

export type OdooVals = Record<string, unknown>;

export function partnerVals(partner: PartnerInput): OdooVals {
  return { name: partner.name, email: partner.email, phone: partner.phone ?? false, is_company: false };
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
  return {
    partner_id: order.partnerId,
    client_order_ref: order.clientOrderRef,
    origin: order.origin,
    date_order: odooDatetime(order.dateOrder),
    order_line: order.lines.map((line) => [
      0,
      0,
      { product_id: line.productId, name: line.name, product_uom_qty: line.quantity, price_unit: line.priceUnit, discount: line.discount },
    ]),
  };
}
