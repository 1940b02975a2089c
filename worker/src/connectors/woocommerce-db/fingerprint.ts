import { createHash, type Hash } from 'node:crypto';

/**
 * Source fingerprints: one SHA-256 per order over the very rows its load reads, so a forced
 * re-scan can tell an unchanged order from the store's answer alone, without loading and mapping
 * it. The store computes it in SQL (`fingerprintSql`); a load computes the same value from the
 * rows it read (`OrderFingerprint`), so a first sync stores fingerprints at no extra query.
 *
 * The hashed text, per order: the caller's seed, the header fields, `|`, the line item meta rows
 * in meta id order, `|`, the order meta rows in meta id order. Every text value is length-prefixed
 * (bytes, as MySQL's LENGTH counts them in UTF-8) and NULL is `~`, so no two row sets give the
 * same text. Both sides must build it byte for byte alike: a difference only costs a reload,
 * never a missed change, as long as every row a load reads is in the text.
 */

/** SQL of one text field in the hashed text (see module comment). */
export const sqlField = (expression: string): string => `IFNULL(CONCAT(LENGTH(${expression}), ':', ${expression}), '~')`;

/** The same field as the worker writes it, from a value as the driver returned it (text protocol, date strings). */
export function fieldText(value: unknown): string {
  if (value === null || value === undefined) return '~';
  const text = String(value);
  return `${Buffer.byteLength(text)}:${text}`;
}

/** SQL of a line item meta row (tables `oi`, `im`, key place `k`): meta id, item id, key place, value, and the item's name on its `_product_id` row. */
export const sqlItemRow = (keyPlace: string): string =>
  `CONCAT(im.meta_id, ',', oi.order_item_id, ',', ${keyPlace}, ',', ${sqlField('im.meta_value')}, ${sqlField("IF(CAST(im.meta_key AS BINARY) = '_product_id', oi.order_item_name, NULL)")})`;

export const itemRowText = (row: { [column: string]: unknown }): string =>
  `${String(row.mid)},${String(row.id)},${String(row.k)},${fieldText(row.v)}${fieldText(row.name)}`;

/** SQL of `rows` (one text each, ordered by `orderBy`) as one text: empty when there is none. */
export const sqlRows = (rowText: string, orderBy: string): string => `IFNULL(GROUP_CONCAT(${rowText} ORDER BY ${orderBy} SEPARATOR ''), '')`;

/**
 * The fingerprints of the orders one load read, built from its rows as they come: headers, line
 * item meta and order meta in any order (each row set is sorted by meta id at the end, as the SQL
 * orders it). An order with rows the fingerprint does not cover (refunds, ticket posts) is excluded.
 */
export class FingerprintBook {
  private readonly orders = new Map<number, { header?: string; items: RowSet; meta: RowSet }>();
  private readonly excluded = new Set<number>();

  private entry(orderId: number) {
    let entry = this.orders.get(orderId);
    if (!entry) {
      entry = { items: new RowSet(), meta: new RowSet() };
      this.orders.set(orderId, entry);
    }
    return entry;
  }

  header(orderId: number, values: unknown[]): void {
    this.entry(orderId).header = values.map(fieldText).join('');
  }

  item(orderId: number, metaId: number, text: string): void {
    this.entry(orderId).items.add(metaId, text);
  }

  orderMeta(orderId: number, metaId: number, text: string): void {
    this.entry(orderId).meta.add(metaId, text);
  }

  exclude(orderId: number): void {
    this.excluded.add(orderId);
  }

  /** The order's fingerprint, or null when it is excluded or its header was not read. */
  digest(orderId: number, seed: string): string | null {
    const entry = this.orders.get(orderId);
    if (!entry || entry.header === undefined || this.excluded.has(orderId)) return null;
    const hash = createHash('sha256').update(seed).update(entry.header).update('|');
    entry.items.feed(hash);
    hash.update('|');
    entry.meta.feed(hash);
    return hash.digest('hex');
  }
}

/** Row texts, hashed in meta id order (they mostly arrive in it: then no sort). */
class RowSet {
  private readonly ids: number[] = [];
  private readonly texts: string[] = [];
  private inOrder = true;

  add(metaId: number, text: string): void {
    const count = this.ids.length;
    if (count > 0 && metaId < (this.ids[count - 1] as number)) this.inOrder = false;
    this.ids.push(metaId);
    this.texts.push(text);
  }

  /** Row by row: one long joined string would cost more to flatten than the calls do. */
  feed(hash: Hash): void {
    const { ids, texts } = this;
    if (this.inOrder) {
      for (const text of texts) hash.update(text);
      return;
    }
    const order = ids.map((_, index) => index).sort((a, b) => (ids[a] as number) - (ids[b] as number));
    for (const index of order) hash.update(texts[index] as string);
  }
}

/**
 * SQL of an order's fingerprint from its header fields and two row-set subqueries (see the module
 * comment). A row set longer than max_allowed_packet is cut by GROUP_CONCAT, which makes the
 * CONCAT around it longer than max_allowed_packet too, so MySQL answers NULL: such an order has
 * no fingerprint and is always loaded (the session's group_concat_max_len is set at least as high).
 */
export const sqlFingerprint = (headerFields: string[], itemRows: string, metaRows: string): string =>
  `SHA2(CONCAT(?, ${headerFields.map(sqlField).join(', ')}, '|', (${itemRows}), '|', (${metaRows})), 256)`;
/** Order id → fingerprint from the store's rows (`id`, `fp`), leaving out NULLs and the `uncovered` orders. */
export function fingerprintsOf(rows: ReadonlyArray<{ [column: string]: unknown }>, uncovered: Set<number>): Map<number, string> {
  const fingerprints = new Map<number, string>();
  for (const row of rows) if (row.fp !== null && !uncovered.has(Number(row.id))) fingerprints.set(Number(row.id), String(row.fp));
  return fingerprints;
}
