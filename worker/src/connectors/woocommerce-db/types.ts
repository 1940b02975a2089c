/** Storage modes of WooCommerce orders (see reference/woocommerce-schema.md §1). */
export type StorageMode = 'hpos' | 'legacy';

export interface SourceProduct {
  id: number;
  name: string;
  type: 'product' | 'product_variation';
  parentId: number;
  status: string;
}

/** One order as read from the authoritative store; dates are ISO-8601 UTC strings. */
export interface SourceOrder {
  id: number;
  status: string;
  currency: string;
  total: string;
  tax: string;
  createdAt: string | null;
  paidAt: string | null;
  billing: { firstName: string; lastName: string; email: string; phone: string };
  items: SourceLineItem[];
  /** FooEvents-style attendees (ticket posts, or the serialized order meta fallback). */
  attendees: SourceAttendee[];
  /** Source fingerprint, when the load was asked for one (see OrderSource.loadOrders). */
  fingerprint?: string | null;
}

export interface SourceLineItem {
  id: number;
  orderId: number;
  name: string;
  productId: number;
  variationId: number;
  quantity: number;
  subtotal: string;
  total: string;
  tax: string;
}

export interface SourceAttendee {
  /** Ticket post id when it came from a ticket post, else null. */
  ticketPostId: number | null;
  productId: number;
  variationId: number;
  firstName: string;
  lastName: string;
  email: string;
}

export interface OrderScanOptions {
  productIds: number[];
  afterId: number;
  limit: number;
  /** Only orders modified at or after this UTC time (incremental runs). */
  modifiedSince?: string;
}
