import type { DriftItem } from '../core/drift/types';

export interface StoreProductView {
  id: number;
  name: string;
  /** The store's last change of the product, ms since epoch. */
  modifiedAt: number;
}

export interface CatalogProductView {
  wooId: number;
  name: string;
  active: boolean;
  contentHash: string | null;
  embeddedHash: string | null;
  /** When the ingestion store last applied an event for it, ms since epoch. */
  updatedAt: number;
}

/**
 * Published products in the store against the ingestion store's products. Pure.
 * - `missing_in_catalog`: published in the store, not active in the ingestion store;
 * - `not_in_store`: active in the ingestion store, not published in the store (any more);
 * - `changed_since_ingest`: edited in the store more than `skewMs` after the last event applied;
 * - `embedding_stale`: the content hash disagrees with the hash that was embedded (search finds old
 *   text); only with `compareEmbeddings` (an embeddings endpoint is configured).
 * Products are matched by WooCommerce id (several owners may hold one: any active one counts).
 * A stale embedding is re-synced by the worker; the rest only by the store sending the product
 * again (`storeCanResend`: the worker can reach the plugin's signed resend route).
 */
export function compareProducts(
  store: readonly StoreProductView[],
  catalog: readonly CatalogProductView[],
  options: { storeCanResend: boolean; compareEmbeddings: boolean; skewMs?: number },
): DriftItem[] {
  const { storeCanResend, compareEmbeddings, skewMs = 120_000 } = options;
  const active = new Map<number, CatalogProductView>();
  for (const product of catalog) if (product.active && !active.has(product.wooId)) active.set(product.wooId, product);
  const published = new Map(store.map((product) => [product.id, product]));
  const items: DriftItem[] = [];
  for (const product of store) {
    const held = active.get(product.id);
    if (!held) {
      items.push({ id: String(product.id), kind: 'missing_in_catalog', detail: { name: product.name }, resyncable: storeCanResend });
    } else if (product.modifiedAt > held.updatedAt + skewMs) {
      items.push({
        id: String(product.id),
        kind: 'changed_since_ingest',
        detail: { name: product.name, store_modified: new Date(product.modifiedAt).toISOString(), ingested: new Date(held.updatedAt).toISOString() },
        resyncable: storeCanResend,
      });
    }
  }
  for (const held of active.values()) {
    if (!published.has(held.wooId)) items.push({ id: String(held.wooId), kind: 'not_in_store', detail: { name: held.name }, resyncable: storeCanResend });
    else if (compareEmbeddings && held.contentHash !== null && held.embeddedHash !== held.contentHash)
      items.push({ id: String(held.wooId), kind: 'embedding_stale', detail: { name: held.name }, resyncable: true });
  }
  return items;
}
