import { z } from 'zod';

import { discountFromFees } from '../rules';

/** One booked class slot: a WooCommerce line item carrying YITH booking data. */
export interface BookingSlot {
  itemId: number;
  productId: number;
  className: string;
  /** Store wall-clock time, `YYYY-MM-DD HH:MM`. */
  start: string;
  end: string | null;
  persons: number;
  personTypes: Array<{ id: number; title: string; number: number }>;
  bookingId: number | null;
  quantity: number;
  /** Line subtotal per unit (before the cart discount, excluding tax). */
  unitPrice: number;
  /** The line's subtotal (before the cart discount, excluding tax) and its tax, as WooCommerce computed them. */
  subtotal: number;
  subtotalTax: number;
  /** WooCommerce tax rate ids charged on the line. */
  taxRateIds: number[];
}

/** A WooCommerce tax rate used by the order (`tax_lines`). */
export interface TaxRate {
  rateId: number;
  label: string;
  percent: number;
  compound: boolean;
}

/** A fee line of the order other than the volume discount (negative fees are the discount). */
export interface FeeLine {
  name: string;
  total: number;
  totalTax: number;
  taxRateIds: number[];
}

export interface BookingOrder {
  id: number;
  number: string;
  email: string | null;
  name: string;
  phone: string | null;
  /** ISO-8601 UTC. */
  paidAt: string;
  slots: BookingSlot[];
  /** The percent the customer was charged (order meta `synchub_volume_discount`, else the discount fee lines); null when the order says nothing. */
  discountPercent: number | null;
  /** ISO 4217 code of the order, null when the payload does not say (Odoo's company currency then). */
  currency: string | null;
  /** WooCommerce's "prices entered with tax". */
  pricesIncludeTax: boolean;
  taxRates: TaxRate[];
  /** Positive fee lines: each becomes its own sale order line. */
  fees: FeeLine[];
  /** The order's total and total tax as WooCommerce charged them, when the payload has them. */
  total: number | null;
  totalTax: number | null;
}

const metaEntry = z.object({ key: z.string(), value: z.unknown() });
const money = z
  .union([z.number(), z.string()])
  .transform((value) => Number(value))
  .pipe(z.number().finite());

/** The parts of a WooCommerce REST v3 order that bookings read; everything else passes through. */
export const wcOrderSchema = z.object({
  id: z.coerce.number().int().positive(),
  number: z.union([z.string(), z.number()]).transform(String).optional(),
  status: z.string().optional(),
  date_paid_gmt: z.string().nullish(),
  date_paid: z.string().nullish(),
  date_created_gmt: z.string().nullish(),
  billing: z
    .object({
      first_name: z.string().nullish(),
      last_name: z.string().nullish(),
      email: z.string().nullish(),
      phone: z.string().nullish(),
      company: z.string().nullish(),
    })
    .partial()
    .nullish(),
  line_items: z
    .array(
      z.object({
        id: z.coerce.number().int(),
        name: z.string().default(''),
        product_id: z.coerce.number().int().default(0),
        quantity: z.coerce.number().default(1),
        subtotal: money.default(0),
        subtotal_tax: money.default(0),
        taxes: z
          .array(
            z
              .object({ id: z.coerce.number().int(), subtotal: z.union([money, z.literal('')]).optional(), total: z.union([money, z.literal('')]).optional() })
              .passthrough(),
          )
          .default([]),
        meta_data: z.array(metaEntry).default([]),
      }),
    )
    .default([]),
  meta_data: z.array(metaEntry).default([]),
  /** WooCommerce's fee lines; the cart's volume discount is a negative one. */
  fee_lines: z
    .array(
      z
        .object({
          name: z.string().default(''),
          total: money.default(0),
          total_tax: money.default(0),
          taxes: z.array(z.object({ id: z.coerce.number().int(), total: z.union([money, z.literal('')]).optional() }).passthrough()).default([]),
        })
        .passthrough(),
    )
    .optional(),
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/)
    .nullish(),
  prices_include_tax: z.boolean().nullish(),
  total: money.nullish(),
  total_tax: money.nullish(),
  tax_lines: z
    .array(
      z
        .object({
          rate_id: z.coerce.number().int(),
          label: z.string().default(''),
          compound: z.boolean().default(false),
          rate_percent: z.coerce.number().nullish(),
          tax_total: money.default(0),
        })
        .passthrough(),
    )
    .default([]),
});
export type WcOrder = z.infer<typeof wcOrderSchema>;

const num = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)]).transform(Number);
const personTypeList = z.array(z.object({ id: num, title: z.string().default(''), number: num }));
/** YITH keeps person types as `{ id: number }` in order item data and as a list on bookings. */
const personTypes = z.union([
  personTypeList,
  z.record(z.string(), num).transform((map) => Object.entries(map).map(([id, number]) => ({ id: Number(id), title: '', number }))),
]);

const synchubBooking = z.object({
  booking_id: num.nullish(),
  start: z.string().regex(/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}/),
  end: z.string().nullish(),
  persons: num.nullish(),
  person_types: personTypes.nullish(),
});
const yithBookingData = z.object({ from: num, to: num.nullish(), persons: num.nullish(), person_types: personTypes.nullish() });

/**
 * YITH stores `from`/`to` as the shop's wall-clock time encoded as if it were UTC (see the YITH
 * reference), so formatting the timestamp in UTC gives the store-local time the customer booked.
 */
export const wallClockFromTimestamp = (seconds: number): string => new Date(seconds * 1000).toISOString().slice(0, 16).replace('T', ' ');

const metaValue = (meta: Array<{ key: string; value: unknown }>, key: string): unknown => meta.find((entry) => entry.key === key)?.value;

/** The booking data of one line item, or null when it is not a booking line. */
export function slotFromLineItem(item: WcOrder['line_items'][number]): BookingSlot | null {
  const own = synchubBooking.safeParse(metaValue(item.meta_data, 'synchub_booking'));
  const yith = yithBookingData.safeParse(metaValue(item.meta_data, 'yith_booking_data'));
  if (!own.success && !yith.success) return null;
  const bookingIdMeta = num.safeParse(metaValue(item.meta_data, '_booking_id'));
  const types = (own.success ? own.data.person_types : undefined) ?? (yith.success ? yith.data.person_types : undefined) ?? [];
  const fromTypes = types.reduce((sum, type) => sum + type.number, 0);
  const persons = (own.success ? own.data.persons : undefined) ?? (yith.success ? yith.data.persons : undefined) ?? (fromTypes > 0 ? fromTypes : 1);
  const start = own.success ? own.data.start.replace('T', ' ').slice(0, 16) : wallClockFromTimestamp((yith.success && yith.data.from) || 0);
  const end = own.success
    ? own.data.end
      ? own.data.end.replace('T', ' ').slice(0, 16)
      : null
    : yith.success && yith.data.to
      ? wallClockFromTimestamp(yith.data.to)
      : null;
  const quantity = item.quantity > 0 ? item.quantity : 1;
  return {
    itemId: item.id,
    productId: item.product_id,
    className: item.name.trim() || `#${item.product_id}`,
    start,
    end,
    persons,
    personTypes: types,
    bookingId: (own.success ? own.data.booking_id : undefined) ?? (bookingIdMeta.success ? bookingIdMeta.data : null),
    quantity,
    unitPrice: Math.round((item.subtotal / quantity) * 10_000) / 10_000,
    subtotal: item.subtotal,
    subtotalTax: item.subtotal_tax,
    // A rate listed with a zero or empty subtotal was not charged on this line.
    taxRateIds: item.taxes.filter((tax) => typeof tax.subtotal === 'number' && tax.subtotal !== 0).map((tax) => tax.id),
  };
}

/** The order's tax rates; a rate without `rate_percent` (older WooCommerce) is derived from its lines. */
function taxRatesOf(wc: WcOrder): TaxRate[] {
  return wc.tax_lines.map((line) => {
    let percent = line.rate_percent ?? null;
    if (percent === null) {
      let base = 0;
      let tax = 0;
      for (const item of wc.line_items) {
        const charged = item.taxes.find((entry) => entry.id === line.rate_id);
        if (typeof charged?.subtotal === 'number') {
          base += item.subtotal;
          tax += charged.subtotal;
        }
      }
      percent = base > 0 ? Math.round((tax / base) * 10_000) / 100 : 0;
    }
    return { rateId: line.rate_id, label: line.label, percent, compound: line.compound };
  });
}

/** WooCommerce REST dates in `_gmt` fields carry no zone; they are UTC. */
export function gmtToIso(value: string | null | undefined): string | null {
  if (!value) return null;
  const withZone = /([zZ]|[+-]\d{2}:?\d{2})$/.test(value) ? value : `${value}Z`;
  const time = Date.parse(withZone.replace(' ', 'T'));
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

/** WooCommerce's paid statuses (`woocommerce_order_is_paid_statuses`); an order without a status is trusted. */
export const PAID_STATUSES = ['processing', 'completed'];
export const isPaidStatus = (status: string | undefined): boolean => status === undefined || PAID_STATUSES.includes(status.replace(/^wc-/, ''));

export type ParsedOrder =
  | { kind: 'invalid'; reason: string }
  | { kind: 'not_paid'; orderId: number; status: string }
  | { kind: 'no_bookings'; orderId: number }
  | { kind: 'bookings'; order: BookingOrder };

/** A WooCommerce order payload → the booking order the sync works on (pure). */
export function parseBookingOrder(payload: unknown): ParsedOrder {
  const parsed = wcOrderSchema.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { kind: 'invalid', reason: `not a WooCommerce order: ${issue ? `${issue.path.join('.') || 'body'} ${issue.message}` : 'invalid'}` };
  }
  const wc = parsed.data;
  if (!isPaidStatus(wc.status)) return { kind: 'not_paid', orderId: wc.id, status: wc.status ?? '' };
  const slots = wc.line_items.map(slotFromLineItem).filter((slot): slot is BookingSlot => slot !== null);
  if (slots.length === 0) return { kind: 'no_bookings', orderId: wc.id };
  const billing = wc.billing ?? {};
  const email = billing.email?.trim().toLowerCase() || null;
  const name =
    [billing.first_name, billing.last_name]
      .map((part) => part?.trim() ?? '')
      .filter(Boolean)
      .join(' ') ||
    billing.company?.trim() ||
    email ||
    `WooCommerce customer #${wc.id}`;
  const discount = z.object({ percent: num }).safeParse(metaValue(wc.meta_data, 'synchub_volume_discount'));
  return {
    kind: 'bookings',
    order: {
      id: wc.id,
      number: wc.number ?? String(wc.id),
      email,
      name,
      phone: billing.phone?.trim() || null,
      paidAt: gmtToIso(wc.date_paid_gmt) ?? gmtToIso(wc.date_created_gmt) ?? new Date().toISOString(),
      slots,
      discountPercent: discount.success ? discount.data.percent : wc.fee_lines ? discountFromFees(wc.fee_lines, slots) : null,
      currency: wc.currency ? wc.currency.toUpperCase() : null,
      pricesIncludeTax: wc.prices_include_tax === true,
      taxRates: taxRatesOf(wc),
      fees: (wc.fee_lines ?? [])
        .filter((fee) => fee.total > 0)
        .map((fee) => ({
          name: fee.name,
          total: fee.total,
          totalTax: fee.total_tax,
          taxRateIds: fee.taxes.filter((tax) => typeof tax.total === 'number' && tax.total !== 0).map((tax) => tax.id),
        })),
      total: wc.total ?? null,
      totalTax: wc.total_tax ?? null,
    },
  };
}

export const bookingOrderSchema: z.ZodType<BookingOrder> = z.object({
  id: z.number(),
  number: z.string(),
  email: z.string().nullable(),
  name: z.string(),
  phone: z.string().nullable(),
  paidAt: z.string(),
  slots: z.array(
    z
      .object({
        itemId: z.number(),
        productId: z.number(),
        className: z.string(),
        start: z.string(),
        end: z.string().nullable(),
        persons: z.number(),
        personTypes: z.array(z.object({ id: z.number(), title: z.string(), number: z.number() })),
        bookingId: z.number().nullable(),
        quantity: z.number(),
        unitPrice: z.number(),
        // Orders stored before taxes travelled: their subtotal, no tax.
        subtotal: z.number().optional(),
        subtotalTax: z.number().default(0),
        taxRateIds: z.array(z.number()).default([]),
      })
      .transform((slot) => ({ ...slot, subtotal: slot.subtotal ?? Math.round(slot.unitPrice * slot.quantity * 100) / 100 })),
  ),
  discountPercent: z.number().nullable(),
  currency: z.string().nullable().default(null),
  pricesIncludeTax: z.boolean().default(false),
  taxRates: z.array(z.object({ rateId: z.number(), label: z.string(), percent: z.number(), compound: z.boolean() })).default([]),
  fees: z.array(z.object({ name: z.string(), total: z.number(), totalTax: z.number(), taxRateIds: z.array(z.number()) })).default([]),
  total: z.number().nullable().default(null),
  totalTax: z.number().nullable().default(null),
});
