import type { WooFixture } from './fixture';

const now = (): string => new Date().toISOString().slice(0, 19).replace('T', ' ');

/** Adds a product (post + meta) the way WooCommerce stores one: SKU, managed stock, quantity. */
export async function addStoreProduct(
  fixture: WooFixture,
  product: {
    id: number;
    name: string;
    sku?: string;
    manageStock?: boolean;
    stock?: number | null;
    status?: string;
    type?: 'product' | 'product_variation';
    parent?: number;
    modifiedGmt?: string;
  },
): Promise<void> {
  const modified = product.modifiedGmt ?? now();
  await fixture.query(
    `INSERT INTO \`${fixture.prefix}posts\` (ID, post_title, post_status, post_type, post_parent, post_date, post_date_gmt, post_modified, post_modified_gmt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [product.id, product.name, product.status ?? 'publish', product.type ?? 'product', product.parent ?? 0, modified, modified, modified, modified],
  );
  const meta: Array<[string, string]> = [];
  if (product.sku !== undefined) meta.push(['_sku', product.sku]);
  meta.push(['_manage_stock', product.manageStock === false ? 'no' : 'yes']);
  if (product.stock !== undefined && product.stock !== null) meta.push(['_stock', String(product.stock)]);
  for (const [key, value] of meta)
    await fixture.query(`INSERT INTO \`${fixture.prefix}postmeta\` (post_id, meta_key, meta_value) VALUES (?, ?, ?)`, [product.id, key, value]);
}

/** Sets a product's `_stock` directly, behind the worker's back (as a person in wp-admin would). */
export async function setStoreStock(fixture: WooFixture, sku: string, quantity: number): Promise<void> {
  await fixture.query(
    `UPDATE \`${fixture.prefix}postmeta\` st JOIN \`${fixture.prefix}postmeta\` sku ON sku.post_id = st.post_id AND sku.meta_key = '_sku' AND sku.meta_value = ?
        SET st.meta_value = ? WHERE st.meta_key = '_stock'`,
    [sku, String(quantity)],
  );
}

/** Touches a product's modified date (an edit in wp-admin). */
export async function touchStoreProduct(fixture: WooFixture, id: number, modifiedGmt: string): Promise<void> {
  await fixture.query(`UPDATE \`${fixture.prefix}posts\` SET post_modified = ?, post_modified_gmt = ? WHERE ID = ?`, [modifiedGmt, modifiedGmt, id]);
}
