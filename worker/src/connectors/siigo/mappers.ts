import type { SiigoNotification, SiigoProduct } from './schemas';

/** What the stock job keeps of a SIIGO product. */
export interface StockReading {
  siigoId: string;
  code: string;
  name: string;
  /** null = SIIGO does not control stock for it: nothing to write. */
  quantity: number | null;
  warehouses: Array<{ id: string; name: string | null; quantity: number }>;
  /** SIIGO's last change time (stock or properties), ms since epoch; null when SIIGO gave none. */
  changedAt: number | null;
}

const toMs = (value: string | null | undefined): number | null => {
  if (!value) return null;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? null : parsed;
};

/** Latest of the product's change times. */
export function changedAtOf(dates: Array<string | null | undefined>): number | null {
  const values = dates.map(toMs).filter((value): value is number => value !== null);
  return values.length === 0 ? null : Math.max(...values);
}

/**
 * Stock for WooCommerce: `available_quantity` (all warehouses), or the sum over the chosen
 * warehouses; inactive products are not sellable (0); products without stock control → null.
 * Negative balances are floored at 0, fractional ones rounded down (WooCommerce stock is whole).
 */
export function quantityFor(
  product: Pick<SiigoProduct, 'stock_control' | 'active' | 'available_quantity' | 'warehouses'>,
  warehouseIds: readonly string[],
): number | null {
  if (!product.stock_control) return null;
  if (!product.active) return 0;
  const raw =
    warehouseIds.length === 0
      ? product.available_quantity
      : product.warehouses.filter((warehouse) => warehouseIds.includes(warehouse.id)).reduce((sum, warehouse) => sum + warehouse.quantity, 0);
  return Math.max(0, Math.floor(raw));
}

export function readingFromProduct(product: SiigoProduct, warehouseIds: readonly string[]): StockReading {
  return {
    siigoId: product.id,
    code: product.code,
    name: product.name,
    quantity: quantityFor(product, warehouseIds),
    warehouses: product.warehouses.map((warehouse) => ({ id: warehouse.id, name: warehouse.name ?? null, quantity: warehouse.quantity })),
    changedAt: changedAtOf([product.metadata?.last_updated, product.stock_updated]),
  };
}

/** Change time a notification claims, for dedupe and for ignoring stale deliveries. */
export function notificationChangedAt(notification: SiigoNotification): number | null {
  return changedAtOf([notification.stock_updated, notification.last_updated, notification.metadata?.last_updated]);
}

/** `yyyy-MM-ddTHH:mm:ssZ` as SIIGO's `updated_start` expects (UTC, whole seconds). */
export function siigoDateTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
