import { sql, type Transaction } from 'kysely';

import type { Db } from '../../core/db';
import { insertRows } from '../../core/db/insert-rows';
import type { Database } from '../../core/db/schema';
import type { DesiredOrder, DesiredTicket } from '../rules';
import type { NotifyState } from '../schema';

export interface BatchMetrics {
  ordersProcessed: number;
  ticketsProcessed: number;
  newOrders: number;
  updatedOrders: number;
  newTickets: number;
  updatedTickets: number;
  voidedTickets: number;
  skippedOrders: number;
  /** Orders not re-read because their source fingerprint was unchanged (also in ordersProcessed). */
  unchangedOrders: number;
  /** New tickets waiting for their email. */
  pendingNotifications: number;
}

export const emptyMetrics = (): BatchMetrics => ({
  ordersProcessed: 0,
  ticketsProcessed: 0,
  newOrders: 0,
  updatedOrders: 0,
  newTickets: 0,
  updatedTickets: 0,
  voidedTickets: 0,
  skippedOrders: 0,
  unchangedOrders: 0,
  pendingNotifications: 0,
});

export interface BatchTarget {
  configurationId: number;
  eventId: number;
  /** `productId:variationId` → tier id (every ticket's tier must be present). */
  tiers: Map<string, number>;
  notifyState: NotifyState;
  /** Multi-row inserts get consecutive ids on this server (see idsAreConsecutive): new order rows need no read-back. */
  consecutiveIds?: boolean;
}

type Trx = Transaction<Database>;
/** Our ISO dates (`…T…sssZ`, UTC) as DATETIME text for the UTC session: no Date object to format again per ticket. */
const isoToDatetime = (iso: string | null): string | Date | null => {
  if (!iso) return null;
  return iso.length === 24 && iso[10] === 'T' && iso[23] === 'Z' ? `${iso.slice(0, 10)} ${iso.slice(11, 23)}` : new Date(iso);
};
const tierOf = (target: BatchTarget, ticket: DesiredTicket): number => {
  const tier = target.tiers.get(`${ticket.productId}:${ticket.variationId}`);
  if (tier === undefined) throw new Error(`no tier for product ${ticket.productId} variation ${ticket.variationId}`);
  return tier;
};

const ticketRow = (target: BatchTarget, orderRowId: number, ticket: DesiredTicket, status: 'valid' | 'void') => ({
  ticket_order_id: orderRowId,
  event_id: target.eventId,
  tier_id: tierOf(target, ticket),
  woocommerce_order_item_id: ticket.itemId,
  sequence: ticket.sequence,
  attendee_name: ticket.attendeeName.slice(0, 255),
  attendee_email: ticket.attendeeEmail.slice(0, 320),
  price: ticket.price,
  service_fee: ticket.serviceFee,
  status,
  issued_at: isoToDatetime(ticket.issuedAt),
  notify_state: status === 'valid' ? target.notifyState : ('skipped' as const),
});

export const TICKET_COLUMNS = [
  'ticket_order_id',
  'event_id',
  'tier_id',
  'woocommerce_order_item_id',
  'sequence',
  'attendee_name',
  'attendee_email',
  'price',
  'service_fee',
  'status',
  'issued_at',
  'notify_state',
] as const;

export const ORDER_COLUMNS = [
  'configuration_id',
  'event_id',
  'woocommerce_order_id',
  'status',
  'source_status',
  'currency',
  'subtotal',
  'tax',
  'service_fee',
  'total',
  'buyer_name',
  'buyer_email',
  'ordered_at',
  'paid_at',
  'content_hash',
  'source_fingerprint',
  'ticket_count',
] as const;

const orderColumns = (desired: DesiredOrder) => ({
  status: desired.status,
  source_status: desired.sourceStatus.slice(0, 32),
  currency: desired.currency.slice(0, 10),
  subtotal: desired.subtotal,
  tax: desired.tax,
  service_fee: desired.serviceFee,
  total: desired.total,
  buyer_name: desired.buyerName.slice(0, 255),
  buyer_email: desired.buyerEmail.slice(0, 320),
  ordered_at: isoToDatetime(desired.orderedAt),
  paid_at: isoToDatetime(desired.paidAt),
  content_hash: desired.hash,
  ...fingerprintColumns(desired),
});

/** The fingerprint a row was mapped from and what it gave: a re-scan that finds the source unchanged counts from these. */
const fingerprintColumns = (desired: DesiredOrder) => ({
  source_fingerprint: desired.sourceFingerprint ?? null,
  ticket_count: desired.status === 'active' ? desired.tickets.length : 0,
});

/**
 * Writes one batch of mapped orders inside the caller's transaction. Orders whose content hash
 * is unchanged are not touched; unpaid orders never seen before are only counted as skipped.
 */
export async function applyBatch(trx: Trx, target: BatchTarget, desired: DesiredOrder[]): Promise<BatchMetrics> {
  const metrics = emptyMetrics();
  metrics.ordersProcessed = desired.length;
  if (desired.length === 0) return metrics;
  const existing = await trx
    .selectFrom('synchub_event_ticket_orders')
    .select(['id', 'woocommerce_order_id', 'content_hash', 'status', 'source_fingerprint', 'ticket_count'])
    .where('configuration_id', '=', target.configurationId)
    .where(
      'woocommerce_order_id',
      'in',
      desired.map((order) => order.wooOrderId),
    )
    .execute();
  const known = new Map(existing.map((row) => [Number(row.woocommerce_order_id), row]));

  const inserts: DesiredOrder[] = [];
  const changes: Array<{ rowId: number; desired: DesiredOrder }> = [];
  const refingerprinted: Array<{ rowId: number; desired: DesiredOrder }> = [];
  const skipped: DesiredOrder[] = [];
  for (const order of desired) {
    const row = known.get(order.wooOrderId);
    if (order.status === 'active') metrics.ticketsProcessed += order.tickets.length;
    if (!row) {
      if (order.status === 'active') inserts.push(order);
      else {
        metrics.skippedOrders += 1;
        skipped.push(order);
      }
    } else if (row.content_hash !== order.hash) {
      changes.push({ rowId: Number(row.id), desired: order });
    } else {
      if (order.status === 'void') metrics.skippedOrders += 1;
      const columns = fingerprintColumns(order);
      // Same content from other source rows (or a row stored before fingerprints): only the fingerprint moves.
      if (
        order.sourceFingerprint !== undefined &&
        (row.source_fingerprint !== columns.source_fingerprint || Number(row.ticket_count) !== columns.ticket_count)
      ) {
        refingerprinted.push({ rowId: Number(row.id), desired: order });
      }
    }
  }
  await recordFingerprints(trx, target.configurationId, refingerprinted, skipped);

  if (inserts.length > 0) {
    const orderRows = inserts.map((order) => ({
      configuration_id: target.configurationId,
      event_id: target.eventId,
      woocommerce_order_id: order.wooOrderId,
      ...orderColumns(order),
    }));
    const statements = await insertRows(trx, 'synchub_event_ticket_orders', ORDER_COLUMNS, orderRows);
    const rowIds = new Map<number, number>();
    if (target.consecutiveIds && statements.every((statement) => statement.stored === statement.rows)) {
      let index = 0;
      for (const statement of statements)
        for (let offset = 0; offset < statement.rows; offset += 1) rowIds.set((inserts[index++] as DesiredOrder).wooOrderId, statement.firstId + offset);
    } else {
      const ids = await trx
        .selectFrom('synchub_event_ticket_orders')
        .select(['id', 'woocommerce_order_id'])
        .where('configuration_id', '=', target.configurationId)
        .where(
          'woocommerce_order_id',
          'in',
          inserts.map((order) => order.wooOrderId),
        )
        .execute();
      for (const row of ids) rowIds.set(Number(row.woocommerce_order_id), Number(row.id));
    }
    const tickets = inserts.flatMap((order) => order.tickets.map((ticket) => ticketRow(target, rowIds.get(order.wooOrderId) as number, ticket, 'valid')));
    await insertRows(trx, 'synchub_event_tickets', TICKET_COLUMNS, tickets);
    metrics.newOrders += inserts.length;
    metrics.newTickets += tickets.length;
  }

  for (const change of changes) await applyChange(trx, target, change.rowId, change.desired, metrics);
  if (target.notifyState === 'pending') metrics.pendingNotifications = metrics.newTickets;
  return metrics;
}

/**
 * Fingerprints of orders whose stored content stays: rows whose fingerprint moved (one UPDATE), and
 * orders skipped as never paid (upserted, so a re-scan can skip them unloaded too).
 */
async function recordFingerprints(
  trx: Trx,
  configurationId: number,
  rows: Array<{ rowId: number; desired: DesiredOrder }>,
  skipped: DesiredOrder[],
): Promise<void> {
  if (rows.length > 0) {
    const cases = (column: 'source_fingerprint' | 'ticket_count') =>
      sql.join(
        rows.map((row) => sql`WHEN ${row.rowId} THEN ${fingerprintColumns(row.desired)[column]}`),
        sql` `,
      );
    await sql`UPDATE synchub_event_ticket_orders
                 SET source_fingerprint = CASE id ${cases('source_fingerprint')} END, ticket_count = CASE id ${cases('ticket_count')} END
               WHERE id IN (${sql.join(rows.map((row) => row.rowId))})`.execute(trx);
  }
  const fingerprinted = skipped.filter((order) => order.sourceFingerprint !== undefined);
  if (fingerprinted.length > 0) {
    await insertRows(
      trx,
      'synchub_event_skipped_orders',
      SKIPPED_COLUMNS,
      fingerprinted.map((order) => ({
        configuration_id: configurationId,
        woocommerce_order_id: order.wooOrderId,
        source_fingerprint: order.sourceFingerprint ?? null,
      })),
      { updateOnDuplicate: ['source_fingerprint'] },
    );
  }
}

const SKIPPED_COLUMNS = ['configuration_id', 'woocommerce_order_id', 'source_fingerprint'] as const;

/** An order a re-scan found unchanged at its source: what its last mapping gave. */
export interface UnchangedOrder {
  fingerprint: string;
  active: boolean;
  tickets: number;
}

/**
 * The fingerprints the orders were last mapped from, for those that have one: a stored order's
 * own, else the one it was skipped with. An order stored without a fingerprint has none.
 */
export async function storedFingerprints(db: Db, configurationId: number, orderIds: number[]): Promise<Map<number, UnchangedOrder>> {
  const stored = new Map<number, UnchangedOrder>();
  if (orderIds.length === 0) return stored;
  // A page's ids are a run of the store's ids: one index range costs MariaDB about half of a
  // thousand-id IN list; rows in the range but not on the page are dropped below.
  const wanted = new Set(orderIds);
  const [first, last] = [Math.min(...orderIds), Math.max(...orderIds)];
  const [rows, skipped] = await Promise.all([
    db
      .selectFrom('synchub_event_ticket_orders')
      .select(['woocommerce_order_id', 'source_fingerprint', 'status', 'ticket_count'])
      .where('configuration_id', '=', configurationId)
      .where('woocommerce_order_id', '>=', first)
      .where('woocommerce_order_id', '<=', last)
      .execute(),
    db
      .selectFrom('synchub_event_skipped_orders')
      .select(['woocommerce_order_id', 'source_fingerprint'])
      .where('configuration_id', '=', configurationId)
      .where('woocommerce_order_id', '>=', first)
      .where('woocommerce_order_id', '<=', last)
      .where('source_fingerprint', 'is not', null)
      .execute(),
  ]);
  const rowIds = new Set(rows.map((row) => Number(row.woocommerce_order_id)));
  for (const row of skipped) {
    const id = Number(row.woocommerce_order_id);
    if (wanted.has(id) && !rowIds.has(id)) stored.set(id, { fingerprint: row.source_fingerprint as string, active: false, tickets: 0 });
  }
  for (const row of rows) {
    const id = Number(row.woocommerce_order_id);
    if (row.source_fingerprint === null || !wanted.has(id)) continue;
    stored.set(id, { fingerprint: row.source_fingerprint, active: row.status === 'active', tickets: Number(row.ticket_count) });
  }
  return stored;
}

/** A page's counts for the orders it skipped unchanged, as applyBatch would have counted them. */
export function unchangedMetrics(unchanged: Iterable<UnchangedOrder>): BatchMetrics {
  const metrics = emptyMetrics();
  for (const order of unchanged) {
    metrics.ordersProcessed += 1;
    metrics.unchangedOrders += 1;
    if (order.active) metrics.ticketsProcessed += order.tickets;
    else metrics.skippedOrders += 1;
  }
  return metrics;
}

export function addMetrics(a: BatchMetrics, b: BatchMetrics): BatchMetrics {
  const sum = emptyMetrics();
  for (const key of Object.keys(sum) as Array<keyof BatchMetrics>) sum[key] = a[key] + b[key];
  return sum;
}

/** An order whose source changed: update it and reconcile its tickets by (item id, sequence). */
async function applyChange(trx: Trx, target: BatchTarget, rowId: number, desired: DesiredOrder, metrics: BatchMetrics): Promise<void> {
  await trx
    .updateTable('synchub_event_ticket_orders')
    .set({ ...orderColumns(desired), updated_at: sql<Date>`CURRENT_TIMESTAMP(3)` })
    .where('id', '=', rowId)
    .execute();
  metrics.updatedOrders += 1;
  const current = await trx
    .selectFrom('synchub_event_tickets')
    .select(['id', 'woocommerce_order_item_id', 'sequence', 'attendee_name', 'attendee_email', 'price', 'service_fee', 'status', 'tier_id'])
    .where('ticket_order_id', '=', rowId)
    .execute();
  const byKey = new Map(current.map((row) => [`${row.woocommerce_order_item_id}:${row.sequence}`, row]));
  const wanted = desired.status === 'active' ? desired.tickets : [];
  const seen = new Set<string>();
  const fresh = [];
  for (const ticket of wanted) {
    const key = `${ticket.itemId}:${ticket.sequence}`;
    seen.add(key);
    const row = byKey.get(key);
    const next = ticketRow(target, rowId, ticket, 'valid');
    if (!row) {
      fresh.push(next);
      continue;
    }
    const same =
      row.status === 'valid' &&
      row.attendee_name === next.attendee_name &&
      row.attendee_email === next.attendee_email &&
      Number(row.price) === Number(next.price) &&
      Number(row.service_fee) === Number(next.service_fee) &&
      Number(row.tier_id) === next.tier_id;
    if (same) continue;
    await trx
      .updateTable('synchub_event_tickets')
      .set({
        attendee_name: next.attendee_name,
        attendee_email: next.attendee_email,
        price: next.price,
        service_fee: next.service_fee,
        tier_id: next.tier_id,
        status: 'valid',
        updated_at: sql<Date>`CURRENT_TIMESTAMP(3)`,
      })
      .where('id', '=', row.id)
      .execute();
    metrics.updatedTickets += 1;
  }
  if (fresh.length > 0) {
    await trx.insertInto('synchub_event_tickets').values(fresh).execute();
    metrics.newTickets += fresh.length;
  }
  // Tickets no longer in the source (refund, cancellation, lower quantity) are kept, voided.
  const toVoid = current.filter((row) => row.status === 'valid' && !seen.has(`${row.woocommerce_order_item_id}:${row.sequence}`)).map((row) => row.id);
  if (toVoid.length > 0) {
    await trx
      .updateTable('synchub_event_tickets')
      .set({ status: 'void', updated_at: sql<Date>`CURRENT_TIMESTAMP(3)` })
      .where('id', 'in', toVoid)
      .execute();
    metrics.voidedTickets += toVoid.length;
  }
}

/** Organizer by email, event per configuration (unlisted), both created once. */
export async function ensureEvent(
  db: Db,
  configuration: { id: number; event_name: string; event_description: string; organizer_email: string; organizer_name: string },
): Promise<number> {
  const email = configuration.organizer_email.trim().toLowerCase();
  await db.insertInto('synchub_event_organizers').ignore().values({ email, name: configuration.organizer_name }).execute();
  const organizer = await db.selectFrom('synchub_event_organizers').select('id').where('email', '=', email).executeTakeFirstOrThrow();
  await db
    .insertInto('synchub_events')
    .values({
      configuration_id: configuration.id,
      organizer_id: Number(organizer.id),
      name: configuration.event_name,
      description: configuration.event_description,
      visibility: 'unlisted',
    })
    .onDuplicateKeyUpdate({ organizer_id: Number(organizer.id), name: configuration.event_name, description: configuration.event_description })
    .execute();
  const event = await db.selectFrom('synchub_events').select('id').where('configuration_id', '=', configuration.id).executeTakeFirstOrThrow();
  return Number(event.id);
}

/** Tiers (not public) for each product/variation key, created once; returns `key → id`. */
export async function ensureTiers(
  db: Db,
  eventId: number,
  wanted: Array<{ productId: number; variationId: number; name: string }>,
  cache: Map<string, number>,
): Promise<void> {
  const missing = wanted.filter((tier) => !cache.has(`${tier.productId}:${tier.variationId}`));
  if (missing.length === 0) return;
  await db
    .insertInto('synchub_event_ticket_tiers')
    .ignore()
    .values(
      missing.map((tier) => ({
        event_id: eventId,
        woocommerce_product_id: tier.productId,
        woocommerce_variation_id: tier.variationId,
        name: tier.name.slice(0, 255),
        is_public: 0,
      })),
    )
    .execute();
  const rows = await db
    .selectFrom('synchub_event_ticket_tiers')
    .select(['id', 'woocommerce_product_id', 'woocommerce_variation_id'])
    .where('event_id', '=', eventId)
    .execute();
  for (const row of rows) cache.set(`${row.woocommerce_product_id}:${row.woocommerce_variation_id}`, Number(row.id));
}
