import type { RowDataPacket } from 'mysql2/promise';

import type { Config } from '../../core/config';
import type { SettingsStore } from '../../core/settings';
import { WooCommerceDb, type SqlReader } from './client';
import { resolveWooDbConfig } from './config';

/** A product or variation with a SKU, and its stock as WooCommerce keeps it (post meta). */
export interface SkuStock {
  productId: number;
  sku: string;
  managed: boolean;
  /** `_stock` as a number; null when unset or not a number. */
  quantity: number | null;
}

/** A published product (post), with its last change time (UTC, `Y-m-d H:i:s`). */
export interface PublishedProduct {
  id: number;
  name: string;
  modifiedGmt: string;
}

const PAGE = 1_000;

const toQuantity = (value: unknown): number | null => {
  if (value === null || value === undefined || String(value).trim() === '') return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
};

/** Every product and variation that has a SKU (trash left out), keyset-paged by id. */
export async function skuStock(reader: SqlReader): Promise<SkuStock[]> {
  const posts = `${reader.prefix}posts`;
  const meta = `${reader.prefix}postmeta`;
  const all: SkuStock[] = [];
  for (let afterId = 0; ;) {
    const rows = await reader.rows<RowDataPacket>(
      `SELECT p.ID AS id, sku.meta_value AS sku, ms.meta_value AS managed, st.meta_value AS stock
         FROM \`${posts}\` p
         JOIN \`${meta}\` sku ON sku.post_id = p.ID AND sku.meta_key = '_sku' AND sku.meta_value <> ''
         LEFT JOIN \`${meta}\` ms ON ms.post_id = p.ID AND ms.meta_key = '_manage_stock'
         LEFT JOIN \`${meta}\` st ON st.post_id = p.ID AND st.meta_key = '_stock'
        WHERE p.post_type IN ('product', 'product_variation') AND p.post_status NOT IN ('trash', 'auto-draft') AND p.ID > ?
        ORDER BY p.ID LIMIT ${PAGE}`,
      [afterId],
      posts,
    );
    for (const row of rows)
      all.push({ productId: Number(row.id), sku: String(row.sku), managed: String(row.managed ?? '') === 'yes', quantity: toQuantity(row.stock) });
    if (rows.length < PAGE) return all;
    afterId = Number(rows[rows.length - 1]?.id);
  }
}

/** Every published product (variations are part of their product), keyset-paged by id. */
export async function publishedProducts(reader: SqlReader): Promise<PublishedProduct[]> {
  const posts = `${reader.prefix}posts`;
  const all: PublishedProduct[] = [];
  for (let afterId = 0; ;) {
    const rows = await reader.rows<RowDataPacket>(
      `SELECT ID AS id, post_title AS name, post_modified_gmt AS modified FROM \`${posts}\`
        WHERE post_type = 'product' AND post_status = 'publish' AND ID > ? ORDER BY ID LIMIT ${PAGE}`,
      [afterId],
      posts,
    );
    for (const row of rows) all.push({ id: Number(row.id), name: String(row.name), modifiedGmt: String(row.modified) });
    if (rows.length < PAGE) return all;
    afterId = Number(rows[rows.length - 1]?.id);
  }
}

/** Opens the store database as configured (saved settings over WOOCOMMERCE_MYSQL_*); null when it is not. */
export async function openConfiguredStore(config: Config, settings: SettingsStore, connectionLimit = 2): Promise<WooCommerceDb | null> {
  const resolved = await resolveWooDbConfig(config, settings);
  return resolved.success ? WooCommerceDb.open(resolved.data, connectionLimit) : null;
}
