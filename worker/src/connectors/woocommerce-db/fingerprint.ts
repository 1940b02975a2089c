import { createHash, type Hash } from 'node:crypto';

/**
 * Source fingerprints: one SHA-256 per order over the very rows its load reads, so a forced
 * re-scan can tell an unchanged order from the store's answer alone, without loading and mapping
 * it. The store computes it in SQL (`sqlFingerprint`); a load computes the same value from the
 * rows it read (`FingerprintBook`), so a first sync stores fingerprints at no extra query.
 *
 * The hashed text, per order: the caller's seed, `|`, the line item meta rows in meta id order,
 * `|`, the order meta rows in meta id order, `|`, the header fields. Every text value is length-prefixed
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

type Row = { [column: string]: unknown };

/**
 * The fingerprints of the orders one load read, hashed from its rows in three passes, in the
 * order of the hashed text: the line item meta rows (`items`), the order meta rows (`orderMeta`),
 * then each order's header (`digest`). Rows mostly arrive in meta id order per order and are hashed
 * as they stand; only an order whose rows did not is sorted first. Nothing per row is kept. An order with rows
 * the fingerprint does not cover (refunds, ticket posts) is excluded.
 */
export class FingerprintBook {
  private readonly orders = new Map<number, { hash: Hash; part: 'items' | 'meta' }>();
  private readonly excluded = new Set<number>();

  constructor(private readonly seed: string) {}

  items(rows: readonly Row[], orderOf: (row: Row) => number, text: (row: Row) => string): void {
    this.pass(rows, orderOf, text, 'items');
  }

  orderMeta(rows: readonly Row[], orderOf: (row: Row) => number, text: (row: Row) => string): void {
    this.pass(rows, orderOf, text, 'meta');
  }

  exclude(orderId: number): void {
    this.excluded.add(orderId);
  }

  /** The order's fingerprint, given its header fields; null when it is excluded. */
  digest(orderId: number, header: unknown[]): string | null {
    if (this.excluded.has(orderId)) return null;
    // A header read twice (two billing address rows) is not one order's text: no fingerprint, always loaded.
    this.excluded.add(orderId);
    const hash = this.open(orderId, 'meta');
    hash.update('|');
    for (const value of header) hash.update(fieldText(value));
    return hash.digest('hex');
  }

  /** The order's hash, moved on to `part` (an order without rows of a part gets its separator all the same). */
  private open(orderId: number, part: 'items' | 'meta'): Hash {
    let entry = this.orders.get(orderId);
    if (!entry) {
      entry = { hash: createHash('sha256').update(this.seed).update('|'), part: 'items' };
      this.orders.set(orderId, entry);
    }
    if (entry.part === 'items' && part === 'meta') {
      entry.hash.update('|');
      entry.part = 'meta';
    }
    return entry.hash;
  }

  private pass(rows: readonly Row[], orderOf: (row: Row) => number, text: (row: Row) => string, part: 'items' | 'meta'): void {
    const lastId = new Map<number, number>();
    let unordered: Set<number> | undefined;
    for (const row of rows) {
      const orderId = orderOf(row);
      const metaId = Number(row.mid);
      if (metaId < (lastId.get(orderId) ?? -1)) (unordered ??= new Set()).add(orderId);
      lastId.set(orderId, metaId);
    }
    let sorted: Map<number, Row[]> | undefined;
    for (const row of rows) {
      const orderId = orderOf(row);
      if (unordered?.has(orderId)) {
        sorted ??= new Map();
        const list = sorted.get(orderId);
        if (list) list.push(row);
        else sorted.set(orderId, [row]);
      } else {
        this.open(orderId, part).update(text(row));
      }
    }
    for (const [orderId, list] of sorted ?? []) {
      const hash = this.open(orderId, part);
      for (const row of list.sort((a, b) => Number(a.mid) - Number(b.mid))) hash.update(text(row));
    }
  }
}

/**
 * SQL of an order's fingerprint from two row-set subqueries and its header fields (see the module
 * comment). A row set longer than max_allowed_packet is cut by GROUP_CONCAT, which makes the
 * CONCAT around it longer than max_allowed_packet too, so MySQL answers NULL: such an order has
 * no fingerprint and is always loaded (the session's group_concat_max_len is set at least as high).
 */
export const sqlFingerprint = (headerFields: string[], itemRows: string, metaRows: string): string =>
  `SHA2(CONCAT(?, '|', (${itemRows}), '|', (${metaRows}), '|', ${headerFields.map(sqlField).join(', ')}), 256)`;
/** Order id → fingerprint from the store's rows (`id`, `fp`), leaving out NULLs and the `uncovered` orders. */
export function fingerprintsOf(rows: ReadonlyArray<{ [column: string]: unknown }>, uncovered: Set<number>): Map<number, string> {
  const fingerprints = new Map<number, string>();
  for (const row of rows) if (row.fp !== null && !uncovered.has(Number(row.id))) fingerprints.set(Number(row.id), String(row.fp));
  return fingerprints;
}
