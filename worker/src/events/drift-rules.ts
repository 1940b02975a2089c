import type { DriftItem } from '../core/drift/types';

/** One order as the store says it should be migrated (from mapOrder), or as the worker holds it. */
export interface TicketOrderView {
  orderId: number;
  active: boolean;
  /** Tickets: desired ones in the store, valid ones in the worker. */
  tickets: number;
}

/**
 * Paid ticket orders in the store against the migrated orders and tickets of one configuration. Pure.
 * - `order_missing`: paid in the store, not migrated (or migrated as void);
 * - `tickets_differ`: migrated, but with another number of valid tickets;
 * - `order_not_paid`: active in the worker, no longer paid (or gone) in the store.
 * Ids are `<configuration id>:<order id>`.
 */
export function compareTicketOrders(configurationId: number, store: readonly TicketOrderView[], migrated: readonly TicketOrderView[]): DriftItem[] {
  const held = new Map(migrated.map((order) => [order.orderId, order]));
  const paid = new Map(store.filter((order) => order.active).map((order) => [order.orderId, order]));
  const items: DriftItem[] = [];
  const id = (orderId: number) => `${configurationId}:${orderId}`;
  for (const order of paid.values()) {
    const mine = held.get(order.orderId);
    if (!mine || !mine.active)
      items.push({
        id: id(order.orderId),
        kind: 'order_missing',
        detail: { configuration: configurationId, order: order.orderId, store_tickets: order.tickets },
        resyncable: true,
      });
    else if (mine.tickets !== order.tickets)
      items.push({
        id: id(order.orderId),
        kind: 'tickets_differ',
        detail: { configuration: configurationId, order: order.orderId, store_tickets: order.tickets, migrated_tickets: mine.tickets },
        resyncable: true,
      });
  }
  for (const mine of held.values()) {
    if (mine.active && !paid.has(mine.orderId))
      items.push({
        id: id(mine.orderId),
        kind: 'order_not_paid',
        detail: { configuration: configurationId, order: mine.orderId, migrated_tickets: mine.tickets },
        resyncable: true,
      });
  }
  return items;
}
