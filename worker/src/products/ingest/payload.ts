import { z } from 'zod';

export const EVENT_TYPES = ['product.created', 'product.updated', 'product.deleted'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

const MAX_TEXT = 200_000;

// The schemas below only validate; one function per shape then normalizes what passed
// (normalizeProduct). zod's per-field transforms cost ~7× the validation itself, on every event
// at intake and again when a jobs process reads the stored payload.

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
  .optional();
const moneyOut = (value: string | number | null | undefined): string | null =>
  value === undefined || value === null || value === '' ? null : typeof value === 'number' ? String(value) : value;

/** A category or tag: its name, or WooCommerce's `{ id, name, slug }`. */
const term = z.union([
  z.string().trim().min(1).max(200),
  z.object({ id: z.number().int().optional(), name: z.string().trim().min(1).max(200), slug: z.string().max(200).optional() }),
]);
const termOut = (value: z.output<typeof term>): string => (typeof value === 'string' ? value : value.name);

const url = z.string().trim().max(2048);
const urlOrSrc = z.union([url, z.object({ src: url })]);

/** An image URL, or WooCommerce's `{ src }`. */
const image = urlOrSrc.nullable().optional();
const imageOut = (value: z.output<typeof image>): string | null =>
  value === undefined || value === null || value === '' ? null : typeof value === 'string' ? value : value.src || null;

/** WooCommerce's `images` (the first is the main image) or the original backend's `gallery`: URLs or `{ src }`. */
const imageList = z.array(urlOrSrc).max(100).optional();
const imageListOut = (value: z.output<typeof imageList>): string[] =>
  (value ?? []).map((item) => (typeof item === 'string' ? item : item.src)).filter((item) => item !== '');

const text = z.string().max(MAX_TEXT).nullable().optional();

/** `{ pa_color: "Red" }`, or WooCommerce's `[{ name, option }]`. */
const attributes = z
  .union([
    z.record(z.string().max(200), z.string().max(500)),
    z.array(z.object({ id: z.number().int().optional(), name: z.string().max(200), option: z.string().max(500) })).max(100),
  ])
  .optional();
const attributesOut = (value: z.output<typeof attributes>): Record<string, string> => {
  if (!value) return {};
  return Array.isArray(value) ? Object.fromEntries(value.map((item) => [item.name, item.option])) : value;
};

const stock = z.number().int().min(-1_000_000_000).max(1_000_000_000).nullable().optional();

const stockStatus = z.enum(['instock', 'outofstock', 'onbackorder']).nullable().optional();

const variation = z.object({
  id: z.number().int().positive(),
  sku: z.string().max(100).nullable().optional(),
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
  sku: z.string().trim().max(100).nullable().optional(),
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
    .optional(),
  stock_quantity: stock,
  stock_status: stockStatus,
  categories: z.array(term).max(200).optional(),
  tags: z.array(term).max(200).optional(),
  on_sale: z.boolean().nullable().optional(),
  image,
  images: imageList,
  gallery: imageList,
  permalink: url.nullable().optional(),
  external_source: z
    .string()
    .trim()
    .regex(/^[a-z0-9_-]{1,20}$/, 'letters, digits, - and _ (such as woocommerce)')
    .optional(),
  date_modified_gmt: z.string().max(40).nullable().optional(),
  variations: z.array(variation).max(1000).optional(),
});

/**
 * A product as received, normalized: unset values are null (texts ''), terms their names,
 * images URLs. The main image is `image`, else the first of WooCommerce's `images`; the gallery
 * is the original backend's `gallery`, else the rest of `images`.
 */
function normalizeProduct(product: z.output<typeof productFields>) {
  const images = imageListOut(product.images);
  const gallery = imageListOut(product.gallery);
  return {
    id: product.id,
    sku: product.sku || null,
    name: product.name,
    short_description: product.short_description ?? '',
    description: product.description ?? '',
    price: moneyOut(product.price),
    regular_price: moneyOut(product.regular_price),
    sale_price: moneyOut(product.sale_price),
    currency: product.currency ? product.currency.toUpperCase() : null,
    stock_quantity: product.stock_quantity ?? null,
    stock_status: product.stock_status ?? null,
    categories: (product.categories ?? []).map(termOut),
    tags: (product.tags ?? []).map(termOut),
    on_sale: product.on_sale ?? null,
    image: imageOut(product.image) ?? images[0] ?? null,
    permalink: product.permalink || null,
    external_source: product.external_source ?? 'woocommerce',
    ...(product.date_modified_gmt !== undefined ? { date_modified_gmt: product.date_modified_gmt } : {}),
    variations: (product.variations ?? []).map((item) => ({
      id: item.id,
      sku: item.sku || null,
      attributes: attributesOut(item.attributes),
      price: moneyOut(item.price),
      regular_price: moneyOut(item.regular_price),
      sale_price: moneyOut(item.sale_price),
      stock_quantity: item.stock_quantity ?? null,
      stock_status: item.stock_status ?? null,
    })),
    gallery_images: gallery.length > 0 ? gallery : images.slice(1),
  };
}

export const productSchema = productFields.transform(normalizeProduct);

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

const receivedBody = z.discriminatedUnion(
  'event_type',
  [
    z.object({ ...envelope, event_type: z.literal('product.created'), product: productFields }),
    z.object({ ...envelope, event_type: z.literal('product.updated'), product: productFields }),
    z.object({ ...envelope, event_type: z.literal('product.deleted'), product: deletedProductSchema }),
  ],
  { error: (issue) => (issue.input === undefined ? 'event_type is required' : `event_type must be one of ${EVENT_TYPES.join(', ')}`) },
);

/** A product event as received: validated, then its product normalized in one step. */
export const webhookBody = receivedBody.transform((body) =>
  body.event_type === 'product.deleted' ? body : { ...body, product: normalizeProduct(body.product) },
);

export type WebhookBody = z.output<typeof webhookBody>;
export type ProductInput = ReturnType<typeof normalizeProduct>;
export type VariationInput = ProductInput['variations'][number];

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
