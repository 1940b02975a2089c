import { taxKeyId, type OdooSales, type SaleOrderInput, type TaxKey } from '../../connectors/odoo';
import { isPermanent } from '../../core/failures';
import type { BookingOptions } from './connection';
import type { KeyClaims } from '../orders/locks';
import type { BookingOrder } from '../orders/parse';
import { partnerInput, productInputs, saleOrderInput, taxKeysOf } from './plan';
import { clientOrderRef, type Locale } from '../rules';
import type { BookingStore, LinkRow } from '../store';

export interface SyncDeps {
  store: BookingStore;
  sales: OdooSales;
  connectionKey: string;
  options: BookingOptions;
  locale: Locale;
  /** Cross-process claims on emails and product codes; without it (tests) only this process is safe. */
  claims?: KeyClaims;
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
  if (unknown.length === 0) return ids;
  const lookUpOrCreate = async (): Promise<void> => {
    // Another process may have created some while we waited for the claim.
    const cachedNow = await deps.store.cached(deps.connectionKey, kind, unknown);
    for (const [key, id] of cachedNow) ids.set(key, id);
    const rest = unknown.filter((key) => !ids.has(key));
    const found = await search(rest);
    const missing = rest.filter((key) => !found.has(key));
    const created = await create(missing.map((key) => wanted.get(key) as T));
    missing.forEach((key, index) => found.set(key, created[index] as number));
    await deps.store.cache(deps.connectionKey, kind, found);
    for (const [key, id] of found) ids.set(key, id);
  };
  if (deps.claims)
    await deps.claims.withClaims(
      unknown.map((key) => `${deps.connectionKey}:${kind}:${key}`),
      lookUpOrCreate,
    );
  else await lookUpOrCreate();
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
      taxKeysOf(order, deps.locale);
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

  // Pricelists in each order's currency: an order whose currency Odoo cannot take fails alone.
  const pricelists = new Map<string, number>();
  for (const currency of new Set(pending.map((order) => order.currency).filter((code): code is string => code !== null))) {
    try {
      pricelists.set(currency, await deps.sales.pricelistFor(currency));
    } catch (error) {
      if (!isPermanent(error)) throw error;
      for (const order of pending) if (order.currency === currency) outcomes.set(order.id, { orderId: order.id, status: 'failed', error });
    }
  }
  pending = pending.filter((order) => !outcomes.has(order.id));

  const created: LinkRow[] = [];
  const dates = new Map<number, Date>();
  if (pending.length > 0) {
    const taxKeys = new Map<string, TaxKey>();
    for (const order of pending) for (const key of taxKeysOf(order, deps.locale)) taxKeys.set(taxKeyId(key), key);
    const taxIds = await deps.sales.taxIds([...taxKeys.values()]);
    const partners = new Map(pending.map((order) => [order.email as string, partnerInput(order)]));
    const partnerIds = await resolveIds(
      deps,
      'partner',
      partners,
      (keys) => deps.sales.findPartnersByEmail(keys),
      (values) => deps.sales.createPartners(values),
    );
    const products = new Map(pending.flatMap((order) => productInputs(order, deps.locale)).map((product) => [product.defaultCode, product]));
    const productIds = await resolveIds(
      deps,
      'product',
      products,
      (keys) => deps.sales.findProductsByCode(keys),
      (values) => deps.sales.createServiceProducts(values),
    );
    const inputs: SaleOrderInput[] = pending.map((order) =>
      saleOrderInput(
        order,
        partnerIds.get(order.email as string) as number,
        productIds,
        deps.locale,
        taxIds,
        order.currency ? (pricelists.get(order.currency) ?? null) : null,
      ),
    );
    const ids = await deps.sales.createSaleOrders(inputs);
    pending.forEach((order, index) => {
      const saleOrderId = ids[index] as number;
      created.push({ wcOrderId: order.id, saleOrderId, saleOrderName: null, partnerId: inputs[index]?.partnerId ?? null, state: 'draft', invoiced: false });
      outcomes.set(order.id, { orderId: order.id, status: 'created', saleOrderId, saleOrderName: null });
      toConfirm.add(saleOrderId);
      dates.set(saleOrderId, new Date(order.paidAt));
    });
    await deps.store.saveLinks(deps.connectionKey, created);
  }

  if (deps.options.confirmOrders && toConfirm.size > 0) {
    await deps.sales.confirm([...toConfirm]);
    // Confirmation stamps "now" on date_order: every confirmed order gets its paid date back, in one call.
    const byId = new Map(orders.map((order) => [order.id, order]));
    for (const outcome of outcomes.values()) {
      if (outcome.status === 'failed' || !toConfirm.has(outcome.saleOrderId) || dates.has(outcome.saleOrderId)) continue;
      const order = byId.get(outcome.orderId);
      if (order) dates.set(outcome.saleOrderId, new Date(order.paidAt));
    }
    await deps.sales.setOrderDates([...toConfirm].flatMap((id) => (dates.has(id) ? [{ id, date: dates.get(id) as Date }] : [])));
  }
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
