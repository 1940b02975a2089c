import type { OdooSales, SaleOrderInput } from '../connectors/odoo';
import type { BookingOptions } from './connection';
import type { BookingOrder } from './order';
import { partnerInput, productInputs, saleOrderInput } from './plan';
import { clientOrderRef, type Locale } from './rules';
import type { BookingStore, LinkRow } from './store';

export interface SyncDeps {
  store: BookingStore;
  sales: OdooSales;
  connectionKey: string;
  options: BookingOptions;
  locale: Locale;
}

export type OrderOutcome =
  | { orderId: number; status: 'created' | 'linked' | 'already_linked'; saleOrderId: number; saleOrderName: string | null }
  | { orderId: number; status: 'failed'; error: Error };

/** Odoo ids for keys: the local cache first, then one `in` search, then one multi-create. */
async function resolveIds<T>(
  deps: SyncDeps,
  kind: 'partner' | 'product',
  wanted: Map<string, T>,
  search: (keys: string[]) => Promise<Map<string, number>>,
  create: (values: T[]) => Promise<number[]>,
): Promise<Map<string, number>> {
  const keys = [...wanted.keys()];
  const ids = await deps.store.cached(deps.connectionKey, kind, keys);
  const unknown = keys.filter((key) => !ids.has(key));
  const found = await search(unknown);
  const missing = unknown.filter((key) => !found.has(key));
  const created = await create(missing.map((key) => wanted.get(key) as T));
  missing.forEach((key, index) => found.set(key, created[index] as number));
  await deps.store.cache(deps.connectionKey, kind, found);
  for (const [key, id] of found) ids.set(key, id);
  return ids;
}

/**
 * Syncs booking orders to Odoo, exactly once, in as few calls as the batch allows:
 * link table → `client_order_ref` lookup (finds orders whose create answer was lost) →
 * partners and products (cache, `in` search, multi-create) → one multi-create of sale orders →
 * links saved at once → one `action_confirm` → names read back. The caller holds the order locks.
 */
export async function syncOrders(orders: BookingOrder[], deps: SyncDeps): Promise<OrderOutcome[]> {
  const outcomes = new Map<number, OrderOutcome>();
  const links = await deps.store.links(orders.map((order) => order.id));
  const toConfirm = new Set<number>();
  const touched: LinkRow[] = [];

  for (const link of links.values()) {
    outcomes.set(link.wcOrderId, { orderId: link.wcOrderId, status: 'already_linked', saleOrderId: link.saleOrderId, saleOrderName: link.saleOrderName });
    if (link.state === 'draft' || link.state === 'sent') touched.push(link);
  }

  let pending = orders.filter((order) => !links.has(order.id));
  for (const order of pending) {
    try {
      partnerInput(order);
    } catch (error) {
      outcomes.set(order.id, { orderId: order.id, status: 'failed', error: error as Error });
    }
  }
  pending = pending.filter((order) => !outcomes.has(order.id));

  if (pending.length > 0) {
    const existing = await deps.sales.findSaleOrdersByRef(pending.map(clientOrderRef));
    const found: LinkRow[] = [];
    for (const order of pending) {
      const row = existing.get(clientOrderRef(order));
      if (!row) continue;
      found.push({ wcOrderId: order.id, saleOrderId: row.id, saleOrderName: row.name, partnerId: null, state: row.state, invoiced: false });
      outcomes.set(order.id, { orderId: order.id, status: 'linked', saleOrderId: row.id, saleOrderName: row.name });
    }
    await deps.store.saveLinks(deps.connectionKey, found);
    for (const link of found) if (link.state === 'draft' || link.state === 'sent') toConfirm.add(link.saleOrderId);
    pending = pending.filter((order) => !outcomes.has(order.id));
  }

  // Links left in draft by an earlier run: their confirm may have happened without an answer.
  if (touched.length > 0 && deps.options.confirmOrders) {
    const fresh = await deps.sales.readSaleOrders(touched.map((link) => link.saleOrderId));
    const byId = new Map(fresh.map((row) => [row.id, row]));
    for (const link of touched) {
      const state = byId.get(link.saleOrderId)?.state ?? link.state;
      if (state === 'draft' || state === 'sent') toConfirm.add(link.saleOrderId);
      else if (state !== link.state) await deps.store.saveLinks(deps.connectionKey, [{ ...link, state }]);
    }
  }

  const created: LinkRow[] = [];
  if (pending.length > 0) {
    const partners = new Map(pending.map((order) => [order.email as string, partnerInput(order)]));
    const partnerIds = await resolveIds(deps, 'partner', partners, (keys) => deps.sales.findPartnersByEmail(keys), (values) => deps.sales.createPartners(values));
    const products = new Map(pending.flatMap((order) => productInputs(order, deps.locale)).map((product) => [product.defaultCode, product]));
    const productIds = await resolveIds(deps, 'product', products, (keys) => deps.sales.findProductsByCode(keys), (values) => deps.sales.createServiceProducts(values));
    const inputs: SaleOrderInput[] = pending.map((order) => saleOrderInput(order, partnerIds.get(order.email as string) as number, productIds, deps.locale));
    const ids = await deps.sales.createSaleOrders(inputs);
    pending.forEach((order, index) => {
      const saleOrderId = ids[index] as number;
      created.push({ wcOrderId: order.id, saleOrderId, saleOrderName: null, partnerId: inputs[index]?.partnerId ?? null, state: 'draft', invoiced: false });
      outcomes.set(order.id, { orderId: order.id, status: 'created', saleOrderId, saleOrderName: null });
      toConfirm.add(saleOrderId);
    });
    await deps.store.saveLinks(deps.connectionKey, created);
  }

  if (deps.options.confirmOrders && toConfirm.size > 0) await deps.sales.confirm([...toConfirm]);
  const confirmed = deps.options.confirmOrders ? toConfirm : new Set<number>();

  if (deps.options.createInvoices) {
    const all = await deps.store.links(orders.map((order) => order.id));
    for (const link of all.values()) {
      if (link.invoiced || !(confirmed.has(link.saleOrderId) || link.state === 'sale')) continue;
      await deps.sales.invoice(link.saleOrderId);
      await deps.store.saveLinks(deps.connectionKey, [{ ...link, state: 'sale', invoiced: true }]);
    }
  }

  // Names (S00042) and states of what this run created or confirmed: one read.
  const refresh = [...new Set([...created.map((link) => link.saleOrderId), ...confirmed])];
  if (refresh.length > 0) {
    const rows = new Map((await deps.sales.readSaleOrders(refresh)).map((row) => [row.id, row]));
    const byOrder = new Map([...links.values(), ...created].map((link) => [link.saleOrderId, link]));
    const updates: LinkRow[] = [];
    for (const [saleOrderId, row] of rows) {
      const link = byOrder.get(saleOrderId);
      if (link) updates.push({ ...link, saleOrderName: row.name, state: row.state });
      const outcome = link ? outcomes.get(link.wcOrderId) : undefined;
      if (outcome && outcome.status !== 'failed') outcome.saleOrderName = row.name;
    }
    for (const outcome of outcomes.values()) {
      if (outcome.status === 'linked' && confirmed.has(outcome.saleOrderId)) {
        const row = rows.get(outcome.saleOrderId);
        if (row) updates.push({ wcOrderId: outcome.orderId, saleOrderId: row.id, saleOrderName: row.name, partnerId: null, state: row.state, invoiced: false });
      }
    }
    await deps.store.saveLinks(deps.connectionKey, updates);
  }

  await deps.store.markSynced([...outcomes.values()].filter((outcome) => outcome.status !== 'failed').map((outcome) => outcome.orderId));
  return orders.map((order) => outcomes.get(order.id) as OrderOutcome);
}
