import type { Selectable } from 'kysely';

import type { EventType, ProductInput } from '../ingest/payload';
import type { ProductsTable } from '../schema';
import { contentHash, type ContentHashFormula } from './content';

/** Where an event or a stored state sits in the order of one product's changes. */
export interface Mark {
  version: number | null;
  eventLogId: number;
}

/**
 * Whether `incoming` is at least as new as `current`. Versions decide when both events carry one
 * and they differ; otherwise arrival order (the event log id) does.
 */
export function isNewer(incoming: Mark, current: Mark | null): boolean {
  if (!current) return true;
  if (incoming.version !== null && current.version !== null && incoming.version !== current.version) return incoming.version > current.version;
  return incoming.eventLogId >= current.eventLogId;
}

export interface StoredState {
  is_active: number;
  content_hash: string | null;
  embedded_hash: string | null;
  source_version: number | null;
  last_event_log_id: number;
}

export interface IncomingEvent {
  eventLogId: number;
  eventId: string;
  eventType: EventType;
  version: number | null;
  /** Null for deletions, which carry only the id. */
  product: ProductInput | null;
}

/** The product row's content columns, as written by an upsert (a non-null content hash). */
export type ProductColumns = Pick<
  Selectable<ProductsTable>,
  | 'sku'
  | 'name'
  | 'short_description'
  | 'description'
  | 'price'
  | 'regular_price'
  | 'sale_price'
  | 'on_sale'
  | 'currency'
  | 'stock_quantity'
  | 'stock_status'
  | 'categories'
  | 'tags'
  | 'image'
  | 'gallery_images'
  | 'permalink'
  | 'external_source'
  | 'variations'
> & { content_hash: string };

export interface MarkColumns {
  source_version: number | null;
  last_event_log_id: number;
  last_event_id: string;
}

export type Plan =
  | { kind: 'stale' }
  | { kind: 'delete'; mark: MarkColumns; existed: boolean }
  | { kind: 'upsert'; columns: ProductColumns; mark: MarkColumns; needsEmbedding: boolean; contentChanged: boolean; restored: boolean };

/** WooCommerce's own rule when the sender does not say: a sale price below the regular one. */
export function isOnSale(product: Pick<ProductInput, 'on_sale' | 'sale_price' | 'regular_price'>): boolean {
  if (product.on_sale !== null) return product.on_sale;
  if (product.sale_price === null) return false;
  return product.regular_price === null || Number(product.sale_price) < Number(product.regular_price);
}

export function productColumns(product: ProductInput, formula: ContentHashFormula = 'synchub'): ProductColumns {
  return {
    sku: product.sku,
    name: product.name,
    short_description: product.short_description,
    description: product.description,
    price: product.price,
    regular_price: product.regular_price,
    sale_price: product.sale_price,
    on_sale: isOnSale(product) ? 1 : 0,
    currency: product.currency,
    stock_quantity: product.stock_quantity,
    stock_status: product.stock_status,
    categories: JSON.stringify(product.categories),
    tags: JSON.stringify(product.tags),
    image: product.image,
    gallery_images: JSON.stringify(product.gallery_images),
    permalink: product.permalink,
    external_source: product.external_source,
    variations: JSON.stringify(product.variations),
    content_hash: contentHash(product, formula),
  };
}

/**
 * What one event does to the stored product: nothing when an equal or newer state is stored;
 * a soft delete; or an upsert that needs embedding only when the text differs from what was
 * last embedded (a price-only edit keeps the embeddings).
 */
export function planEvent(current: StoredState | null, event: IncomingEvent, formula: ContentHashFormula = 'synchub'): Plan {
  const incoming: Mark = { version: event.version, eventLogId: event.eventLogId };
  const stored: Mark | null = current ? { version: current.source_version, eventLogId: current.last_event_log_id } : null;
  if (!isNewer(incoming, stored)) return { kind: 'stale' };
  const mark: MarkColumns = {
    // Keep the highest version seen, so an unversioned event cannot roll the order back.
    source_version: event.version ?? current?.source_version ?? null,
    last_event_log_id: event.eventLogId,
    last_event_id: event.eventId,
  };
  if (event.eventType === 'product.deleted' || !event.product) return { kind: 'delete', mark, existed: current !== null };
  const columns = productColumns(event.product, formula);
  return {
    kind: 'upsert',
    columns,
    mark,
    needsEmbedding: columns.content_hash !== (current?.embedded_hash ?? null),
    contentChanged: columns.content_hash !== (current?.content_hash ?? null),
    restored: current !== null && !current.is_active,
  };
}
