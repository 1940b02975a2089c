/** WooCommerce REST v3 orders with YITH booking items, as the plugin's order.paid body carries them. */

/**
 * Paid two days before the test runs, on a whole second: inside the sweep's look-back window
 * (BOOKINGS_SWEEP_DAYS, 7) whatever the calendar says.
 */
export const PAID_AT = new Date(Math.floor((Date.now() - 2 * 86_400_000) / 1000) * 1000);
const CREATED_AT = new Date(PAID_AT.getTime() - 60_000);

/** `YYYY-MM-DDTHH:MM:SS` in UTC, as WooCommerce's `*_gmt` fields. */
export const gmt = (date: Date): string => date.toISOString().slice(0, 19);
/** `YYYY-MM-DD HH:MM:SS` in UTC, as Odoo's datetime fields. */
export const odooDatetime = (date: Date): string => gmt(date).replace('T', ' ');
export interface SlotSpec {
  itemId?: number;
  productId?: number;
  name?: string;
  start?: string;
  persons?: number;
  subtotal?: string;
  quantity?: number;
  yithOnly?: boolean;
}

export function bookingItem(spec: SlotSpec = {}, index = 0): Record<string, unknown> {
  const start = spec.start ?? '2026-12-01 18:30';
  const persons = spec.persons ?? 2;
  const from = Date.parse(`${start.replace(' ', 'T')}:00Z`) / 1000;
  const meta: Array<{ id: number; key: string; value: unknown }> = [
    { id: 900 + index, key: 'yith_booking_data', value: { from, to: from + 3600, duration: 1, persons, person_types: { '71': persons } } },
    { id: 950 + index, key: '_booking_id', value: String(5000 + index) },
  ];
  if (!spec.yithOnly) {
    meta.push({
      id: 980 + index,
      key: 'synchub_booking',
      value: { booking_id: 5000 + index, start, end: null, persons, person_types: [{ id: 71, title: 'Adult', number: persons }] },
    });
  }
  return {
    id: spec.itemId ?? 100 + index,
    name: spec.name ?? 'Yoga Flow',
    product_id: spec.productId ?? 42,
    variation_id: 0,
    quantity: spec.quantity ?? 1,
    subtotal: spec.subtotal ?? '30.00',
    total: spec.subtotal ?? '30.00',
    meta_data: meta,
  };
}

export function wcOrder(
  id: number,
  options: { slots?: SlotSpec[]; email?: string | null; discountPercent?: number; plainItems?: boolean; firstName?: string } = {},
): Record<string, unknown> {
  const slots = options.slots ?? [{}];
  return {
    id,
    number: String(id),
    status: 'processing',
    currency: 'EUR',
    date_created_gmt: gmt(CREATED_AT),
    date_paid_gmt: gmt(PAID_AT),
    billing: {
      first_name: options.firstName ?? 'Ana',
      last_name: 'García',
      email: options.email === undefined ? `ana${id}@example.com` : (options.email ?? ''),
      phone: '+34 600 000 000',
    },
    line_items: options.plainItems
      ? [{ id: 1, name: 'T-shirt', product_id: 7, quantity: 1, subtotal: '10.00', total: '10.00', meta_data: [] }]
      : slots.map((slot, index) => bookingItem(slot, index)),
    meta_data:
      options.discountPercent !== undefined ? [{ id: 1, key: 'synchub_volume_discount', value: { percent: options.discountPercent, threshold: 4 } }] : [],
  };
}
