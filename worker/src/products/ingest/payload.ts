import { z } from 'zod';

export const EVENT_TYPES = ['product.created', 'product.updated', 'product.deleted'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

const MAX_TEXT = 200_000;

/** WooCommerce sends prices as decimal strings ('' when unset); numbers are accepted too. */
const money = z
  .union([
    z
      .string()
      .trim()
      .regex(/^(-?\d{1,15}(\.\d{1,8})?)?$/, 'expected a decimal amount such as "19.99"'),
    z.number().finite().min(-1e15).max(1e15),
  ])
  .nullable()
  .optional()
  .transform((value) => (value === undefined || value === null || value === '' ? null : typeof value === 'number' ? String(value) : value));

/** A category or tag: its name, or WooCommerce's `{ id, name, slug }`. */
const term = z
  .union([
    z.string().trim().min(1).max(200),
    z.object({ id: z.number().int().optional(), name: z.string().trim().min(1).max(200), slug: z.string().max(200).optional() }),
  ])
  .transform((value) => (typeof value === 'string' ? value : value.name));

const url = z.string().trim().max(2048);

/** An image URL, or WooCommerce's `{ src }`. */
const image = z
  .union([url, z.object({ src: url })])
  .nullable()
  .optional()
  .transform((value) => (value === undefined || value === null || value === '' ? null : typeof value === 'string' ? value : value.src || null));

/** WooCommerce's `images` (the first is the main image) or the original backend's `gallery`: URLs or `{ src }`. */
const imageList = z
  .array(z.union([url, z.object({ src: url })]))
  .max(100)
  .optional()
  .transform((value) => (value ?? []).map((item) => (typeof item === 'string' ? item : item.src)).filter((item) => item !== ''));

const text = z
  .string()
  .max(MAX_TEXT)
  .nullable()
  .optional()
  .transform((value) => value ?? '');

/** `{ pa_color: "Red" }`, or WooCommerce's `[{ name, option }]`. */
const attributes = z
  .union([
    z.record(z.string().max(200), z.string().max(500)),
    z.array(z.object({ id: z.number().int().optional(), name: z.string().max(200), option: z.string().max(500) })).max(100),
  ])
  .optional()
  .transform((value): Record<string, string> => {
    if (!value) return {};
    return Array.isArray(value) ? Object.fromEntries(value.map((item) => [item.name, item.option])) : value;
  });

const stock = z
  .number()
  .int()
  .min(-1_000_000_000)
  .max(1_000_000_000)
  .nullable()
  .optional()
  .transform((value) => value ?? null);

const stockStatus = z
  .enum(['instock', 'outofstock', 'onbackorder'])
  .nullable()
  .optional()
  .transform((value) => value ?? null);

const variation = z.object({
  id: z.number().int().positive(),
  sku: z
    .string()
    .max(100)
    .nullable()
    .optional()
    .transform((value) => value || null),
  attributes,
  price: money,
  regular_price: money,
  sale_price: money,
  stock_quantity: stock,
  stock_status: stockStatus,
});

const productId = z.number({ error: 'expected the WooCommerce product id (a positive integer)' }).int().positive().max(Number.MAX_SAFE_INTEGER);

const productFields = z.object({
  id: productId,
  sku: z
    .string()
    .trim()
    .max(100)
    .nullable()
    .optional()
    .transform((value) => value || null),
  name: z.string().trim().min(1, 'the product name is required').max(500),
  short_description: text,
  description: text,
  price: money,
  regular_price: money,
  sale_price: money,
  currency: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{3}$/, 'expected an ISO 4217 code such as EUR')
    .nullable()
    .optional()
    .transform((value) => (value ? value.toUpperCase() : null)),
  stock_quantity: stock,
  stock_status: stockStatus,
  categories: z
    .array(term)
    .max(200)
    .optional()
    .transform((value) => value ?? []),
  tags: z
    .array(term)
    .max(200)
    .optional()
    .transform((value) => value ?? []),
  on_sale: z
    .boolean()
    .nullable()
    .optional()
    .transform((value) => value ?? null),
  image,
  images: imageList,
  gallery: imageList,
  permalink: url
    .nullable()
    .optional()
    .transform((value) => value || null),
  external_source: z
    .string()
    .trim()
    .regex(/^[a-z0-9_-]{1,20}$/, 'letters, digits, - and _ (such as woocommerce)')
    .optional()
    .transform((value) => value ?? 'woocommerce'),
  date_modified_gmt: z.string().max(40).nullable().optional(),
  variations: z
    .array(variation)
    .max(1000)
    .optional()
    .transform((value) => value ?? []),
});

/**
 * A product as received. The main image is `image`, else the first of WooCommerce's `images`; the
 * gallery is the original backend's `gallery`, else the rest of `images`.
 */
export const productSchema = productFields.transform(({ images, gallery, ...product }) => ({
  ...product,
  image: product.image ?? images[0] ?? null,
  gallery_images: gallery.length > 0 ? gallery : images.slice(1),
}));

/** A deletion only needs the id (WooCommerce's own `deleted` webhooks send just `{ id }`). */
const deletedProductSchema = z.object({ id: productId, date_modified_gmt: z.string().max(40).nullable().optional() });

const envelope = {
  event_id: z
    .string({ error: 'event_id is required' })
    .trim()
    .min(1, 'event_id is required')
    .max(191)
    .regex(/^[\x21-\x7E]+$/, 'printable ASCII without spaces'),
  occurred_at: z.iso.datetime({ offset: true }).optional(),
  sequence: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
};

export const webhookBody = z.discriminatedUnion(
  'event_type',
  [
    z.object({ ...envelope, event_type: z.literal('product.created'), product: productSchema }),
    z.object({ ...envelope, event_type: z.literal('product.updated'), product: productSchema }),
    z.object({ ...envelope, event_type: z.literal('product.deleted'), product: deletedProductSchema }),
  ],
  { error: (issue) => (issue.input === undefined ? 'event_type is required' : `event_type must be one of ${EVENT_TYPES.join(', ')}`) },
);

export type WebhookBody = z.output<typeof webhookBody>;
export type ProductInput = z.output<typeof productSchema>;
export type VariationInput = z.output<typeof variation>;

/**
 * The order of events for one product: the sender's `sequence` if given, else the time of the
 * change in microseconds (occurred_at, else the product's date_modified_gmt); null when unknown,
 * in which case arrival order decides.
 */
export function eventVersion(body: Pick<WebhookBody, 'sequence' | 'occurred_at'> & { product: { date_modified_gmt?: string | null } }): number | null {
  if (body.sequence !== undefined) return body.sequence;
  const time = body.occurred_at ?? body.product.date_modified_gmt ?? undefined;
  if (!time) return null;
  const withZone = /([zZ]|[+-]\d\d:?\d\d)$/.test(time) ? time : `${time}Z`;
  const ms = Date.parse(withZone);
  return Number.isFinite(ms) ? ms * 1000 : null;
}
