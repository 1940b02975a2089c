import { PermanentFailure } from '../../core/failures';

import { taxKeyId, type PartnerInput, type SaleOrderInput, type ServiceProductInput, type TaxKey } from '../../connectors/odoo';
import type { BookingOrder } from '../orders/parse';
import { clientOrderRef, discountPercent, MissingEmailError, originFor, serviceProductCode, serviceProductName, type Locale } from '../rules';

/** The service product every fee line of WooCommerce is booked on in Odoo. */
export const FEE_PRODUCT_CODE = 'WC-FEE';
const FEE_PRODUCT_NAME = 'WooCommerce fee';

/** A compound WooCommerce tax (tax on tax) has no faithful Odoo equivalent here: refused, not guessed. */
export class CompoundTaxError extends PermanentFailure {
  constructor(order: Pick<BookingOrder, 'number'>, label: string) {
    super(
      `Order #${order.number} uses the compound tax "${label}"; Sync Hub does not map compound WooCommerce taxes to Odoo. Make the rate non-compound in WooCommerce, or enter this order in Odoo by hand.`,
    );
  }
}

/** One sale order line before Odoo ids are known. */
export interface PlannedLine {
  productCode: string;
  name: string;
  quantity: number;
  priceUnit: number;
  discount: number;
  taxes: TaxKey[];
}

const cents = (amount: number): number => Math.round(amount * 100);

/**
 * Quantity and unit price whose product is exactly `amount`: the quantity is kept when the
 * amount divides into whole cents per unit, else one unit at the whole amount (Odoo rounds unit
 * prices to cents, so 3 × 33.33 would make 99.99 out of 100.00).
 */
export function wholeCentQuantity(amount: number, quantity: number): { quantity: number; priceUnit: number } {
  const total = cents(amount);
  if (Number.isInteger(quantity) && quantity > 1 && total % quantity === 0) return { quantity, priceUnit: total / quantity / 100 };
  return { quantity: 1, priceUnit: total / 100 };
}

/** Pure mapping from a booking order to what Odoo is asked to find or create. */
export function partnerInput(order: BookingOrder): PartnerInput {
  if (!order.email) throw new MissingEmailError(order);
  return { name: order.name, email: order.email, phone: order.phone };
}

/** The Odoo taxes of some WooCommerce rate ids; compound rates are refused. */
function taxesOf(order: BookingOrder, rateIds: number[]): TaxKey[] {
  const keys: TaxKey[] = [];
  for (const rateId of rateIds) {
    const rate = order.taxRates.find((candidate) => candidate.rateId === rateId);
    if (!rate) continue;
    if (rate.compound) throw new CompoundTaxError(order, rate.label || `#${rate.rateId}`);
    keys.push({ percent: rate.percent, included: order.pricesIncludeTax });
  }
  return keys;
}

/**
 * The sale order lines of an order: one per booked slot (the discount the customer was charged
 * travels as the line discount) and one per positive fee. With prices entered with tax, the unit
 * price includes the tax and the Odoo tax is price-included, as in the store.
 */
export function plannedLines(order: BookingOrder, locale: Locale): PlannedLine[] {
  const discount = discountPercent(order);
  const lines: PlannedLine[] = order.slots.map((slot) => {
    const amount = order.pricesIncludeTax ? (cents(slot.subtotal) + cents(slot.subtotalTax)) / 100 : slot.subtotal;
    return {
      productCode: serviceProductCode(slot),
      name: serviceProductName(slot, locale),
      ...wholeCentQuantity(amount, slot.quantity),
      discount,
      taxes: taxesOf(order, slot.taxRateIds),
    };
  });
  for (const fee of order.fees) {
    const amount = order.pricesIncludeTax ? (cents(fee.total) + cents(fee.totalTax)) / 100 : fee.total;
    lines.push({
      productCode: FEE_PRODUCT_CODE,
      name: fee.name || FEE_PRODUCT_NAME,
      quantity: 1,
      priceUnit: amount,
      discount: 0,
      taxes: taxesOf(order, fee.taxRateIds),
    });
  }
  return lines;
}

/** Every Odoo tax an order needs (throws CompoundTaxError). */
export function taxKeysOf(order: BookingOrder, locale: Locale): TaxKey[] {
  const keys = new Map<string, TaxKey>();
  for (const line of plannedLines(order, locale)) for (const key of line.taxes) keys.set(taxKeyId(key), key);
  return [...keys.values()];
}

export function productInputs(order: BookingOrder, locale: Locale): ServiceProductInput[] {
  const byCode = new Map<string, ServiceProductInput>();
  for (const slot of order.slots) {
    const defaultCode = serviceProductCode(slot);
    if (!byCode.has(defaultCode)) byCode.set(defaultCode, { name: serviceProductName(slot, locale), defaultCode, listPrice: slot.unitPrice });
  }
  if (order.fees.length > 0) byCode.set(FEE_PRODUCT_CODE, { name: FEE_PRODUCT_NAME, defaultCode: FEE_PRODUCT_CODE, listPrice: 0 });
  return [...byCode.values()];
}

export function saleOrderInput(
  order: BookingOrder,
  partnerId: number,
  productIds: ReadonlyMap<string, number>,
  locale: Locale,
  taxIds: ReadonlyMap<string, number> = new Map(),
  pricelistId: number | null = null,
): SaleOrderInput {
  return {
    partnerId,
    pricelistId,
    clientOrderRef: clientOrderRef(order),
    origin: originFor(order),
    dateOrder: new Date(order.paidAt),
    lines: plannedLines(order, locale).map((line) => {
      const productId = productIds.get(line.productCode);
      if (productId === undefined) throw new Error(`no Odoo product resolved for ${line.productCode}`);
      const lineTaxIds = line.taxes.map((key) => {
        const id = taxIds.get(taxKeyId(key));
        if (id === undefined) throw new Error(`no Odoo tax resolved for ${taxKeyId(key)}`);
        return id;
      });
      return { productId, name: line.name, quantity: line.quantity, priceUnit: line.priceUnit, discount: line.discount, taxIds: lineTaxIds };
    }),
  };
}
