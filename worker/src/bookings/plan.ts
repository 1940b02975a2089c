import type { PartnerInput, SaleOrderInput, ServiceProductInput } from '../connectors/odoo';
import type { BookingOrder } from './order';
import { clientOrderRef, discountPercent, MissingEmailError, originFor, serviceProductCode, serviceProductName, type Locale } from './rules';

/** Pure mapping from a booking order to what Odoo is asked to find or create. */
export function partnerInput(order: BookingOrder): PartnerInput {
  if (!order.email) throw new MissingEmailError(order);
  return { name: order.name, email: order.email, phone: order.phone };
}

export function productInputs(order: BookingOrder, locale: Locale): ServiceProductInput[] {
  const byCode = new Map<string, ServiceProductInput>();
  for (const slot of order.slots) {
    const defaultCode = serviceProductCode(slot);
    if (!byCode.has(defaultCode)) byCode.set(defaultCode, { name: serviceProductName(slot, locale), defaultCode, listPrice: slot.unitPrice });
  }
  return [...byCode.values()];
}

export function saleOrderInput(order: BookingOrder, partnerId: number, productIds: ReadonlyMap<string, number>, locale: Locale): SaleOrderInput {
  const discount = discountPercent(order);
  return {
    partnerId,
    clientOrderRef: clientOrderRef(order),
    origin: originFor(order),
    dateOrder: new Date(order.paidAt),
    lines: order.slots.map((slot) => {
      const code = serviceProductCode(slot);
      const productId = productIds.get(code);
      if (productId === undefined) throw new Error(`no Odoo product resolved for ${code}`);
      return { productId, name: serviceProductName(slot, locale), quantity: slot.quantity, priceUnit: slot.unitPrice, discount };
    }),
  };
}
