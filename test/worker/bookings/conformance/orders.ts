/**
 * WooCommerce REST v3 orders with taxes, fees and a currency, computed the way WooCommerce does
 * (tax rounded per line; with prices entered with tax, the tax comes out of the price).
 */
import { bookingItem, gmt, PAID_AT } from '../fixtures';

export interface TaxSpec {
  rateId: number;
  percent: number;
  compound?: boolean;
  label?: string;
}

export interface LineSpec {
  persons?: number;
  quantity?: number;
  /** The line's amount as the shop shows it: excluding tax, or including it when prices include tax. */
  amount: number;
  start?: string;
  productId?: number;
  tax?: TaxSpec;
}

export interface OrderSpec {
  id: number;
  email: string;
  currency?: string;
  pricesIncludeTax?: boolean;
  lines: LineSpec[];
  fees?: Array<{ name: string; amount: number; tax?: TaxSpec }>;
  status?: string;
  firstName?: string;
}

const round2 = (value: number): number => Math.round((value + Number.EPSILON) * 100) / 100;
const money = (value: number): string => value.toFixed(2);

/** Excluding-tax amount and tax of a shown amount. */
function split(amount: number, tax: TaxSpec | undefined, included: boolean): { net: number; tax: number } {
  if (!tax) return { net: amount, tax: 0 };
  if (included) {
    const taxAmount = round2(amount - amount / (1 + tax.percent / 100));
    return { net: round2(amount - taxAmount), tax: taxAmount };
  }
  return { net: amount, tax: round2((amount * tax.percent) / 100) };
}

export interface BuiltOrder {
  body: Record<string, unknown>;
  total: number;
  totalTax: number;
}

export function taxedOrder(spec: OrderSpec): BuiltOrder {
  const included = spec.pricesIncludeTax ?? false;
  const rates = new Map<number, TaxSpec & { total: number }>();
  const charge = (tax: TaxSpec | undefined, amount: number) => {
    if (!tax) return;
    const entry = rates.get(tax.rateId) ?? { ...tax, total: 0 };
    entry.total = round2(entry.total + amount);
    rates.set(tax.rateId, entry);
  };
  let total = 0;
  let totalTax = 0;
  const lineItems = spec.lines.map((line, index) => {
    const { net, tax } = split(line.amount, line.tax, included);
    charge(line.tax, tax);
    total = round2(total + net + tax);
    totalTax = round2(totalTax + tax);
    const item = bookingItem(
      { persons: line.persons ?? 2, quantity: line.quantity ?? 1, subtotal: money(net), start: line.start, productId: line.productId, itemId: 100 + index },
      index,
    );
    return {
      ...item,
      subtotal_tax: money(tax),
      total_tax: money(tax),
      taxes: line.tax ? [{ id: line.tax.rateId, subtotal: money(tax), total: money(tax) }] : [],
    };
  });
  const feeLines = (spec.fees ?? []).map((fee, index) => {
    const { net, tax } = split(fee.amount, fee.tax, included);
    charge(fee.tax, tax);
    total = round2(total + net + tax);
    totalTax = round2(totalTax + tax);
    return {
      id: 700 + index,
      name: fee.name,
      tax_status: fee.tax ? 'taxable' : 'none',
      total: money(net),
      total_tax: money(tax),
      taxes: fee.tax ? [{ id: fee.tax.rateId, total: money(tax), subtotal: '' }] : [],
    };
  });
  const body: Record<string, unknown> = {
    id: spec.id,
    number: String(spec.id),
    status: spec.status ?? 'processing',
    currency: spec.currency ?? 'EUR',
    prices_include_tax: included,
    date_created_gmt: gmt(new Date(PAID_AT.getTime() - 60_000)),
    date_paid_gmt: gmt(PAID_AT),
    billing: { first_name: spec.firstName ?? 'Carla', last_name: 'Hand', email: spec.email, phone: '+34 600 000 001' },
    line_items: lineItems,
    fee_lines: feeLines,
    tax_lines: [...rates.values()].map((rate, index) => ({
      id: 800 + index,
      rate_id: rate.rateId,
      rate_code: `ES-VAT-${rate.percent}`,
      label: rate.label ?? `VAT ${rate.percent}%`,
      compound: rate.compound ?? false,
      tax_total: money(rate.total),
      rate_percent: rate.percent,
    })),
    total: money(total),
    total_tax: money(totalTax),
    meta_data: [],
  };
  return { body, total, totalTax };
}
