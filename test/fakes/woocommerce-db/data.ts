/**
 * Seeded, realistic WooCommerce order data, independent of the storage mode: mixed statuses,
 * quantities, variations, refunds, multibyte names, FooEvents attendees, local-time legacy dates.
 */

export const EVENT_PRODUCT_ID = 10;
export const EVENT_VARIATIONS = [
  { id: 11, name: 'Concierto de Año Nuevo — General', price: 50 },
  { id: 12, name: 'Concierto de Año Nuevo — VIP', price: 120 },
  { id: 13, name: 'Concierto de Año Nuevo — Estudiante', price: 25.5 },
] as const;
export const SIMPLE_EVENT_PRODUCT_ID = 30;
export const MERCH_PRODUCT_ID = 20;
export const FIRST_ORDER_ID = 1000;
export const PAID_STATUSES = ['wc-completed', 'wc-processing'];
const UNPAID_STATUSES = ['wc-pending', 'wc-on-hold', 'wc-failed', 'wc-cancelled', 'wc-checkout-draft', 'trash'];

export interface FixtureItem {
  id: number;
  name: string;
  productId: number;
  variationId: number;
  quantity: number;
  unitPrice: number;
}

export interface FixtureAttendee {
  firstName: string;
  lastName: string;
  email: string;
  productId: number;
  variationId: number;
}

export interface FixtureOrder {
  id: number;
  status: string;
  currency: string;
  createdAt: Date;
  paidAt: Date | null;
  updatedAt: Date;
  /** Legacy only: store the paid date as local `_paid_date` without `_date_paid`. */
  legacyLocalPaidDate: boolean;
  billing: { firstName: string; lastName: string; email: string; phone: string };
  items: FixtureItem[];
  /** `posts`: FooEvents ticket posts; `meta`: serialized order meta only. */
  attendeeSource: 'none' | 'posts' | 'meta';
  attendees: FixtureAttendee[];
  refund: { id: number; amount: number } | null;
}

export interface FixtureSpec {
  paidOrders: number;
  unpaidOrders?: number;
  refundedOrders?: number;
  /** Orders without any event item (merchandise only). */
  unrelatedOrders?: number;
  /** Share of paid orders with FooEvents ticket posts / serialized order meta. */
  ticketPostShare?: number;
  orderMetaShare?: number;
  seed?: number;
}

const FIRST_NAMES = ['José', 'María', 'Ñandú', 'Zoë', 'Дмитрий', 'Анна', '張', '美咲', 'محمد', 'زهرا', 'Łukasz', 'Søren', 'Ana', 'Kwame', 'Chloé', 'Ömer'];
const LAST_NAMES = ['Núñez', 'García Márquez', 'Иванов', '王', '佐藤', 'رضایی', 'Kowalski', 'Ødegaard', 'Pérez', 'Mensah', 'Lefèvre', 'Yılmaz'];

/** Mulberry32: small, fast, deterministic. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const QUANTITY_WEIGHTS: Array<[number, number]> = [
  [1, 0.3],
  [2, 0.25],
  [3, 0.2],
  [4, 0.15],
  [5, 0.1],
];

export function generateOrders(spec: FixtureSpec): FixtureOrder[] {
  const random = prng(spec.seed ?? 42);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const quantity = (): number => {
    let roll = random();
    for (const [qty, weight] of QUANTITY_WEIGHTS) {
      if (roll < weight) return qty;
      roll -= weight;
    }
    return 1;
  };
  const kinds: Array<'paid' | 'unpaid' | 'refunded' | 'unrelated'> = [];
  for (let i = 0; i < spec.paidOrders; i += 1) kinds.push('paid');
  for (let i = 0; i < (spec.unpaidOrders ?? 0); i += 1) kinds.push('unpaid');
  for (let i = 0; i < (spec.refundedOrders ?? 0); i += 1) kinds.push('refunded');
  for (let i = 0; i < (spec.unrelatedOrders ?? 0); i += 1) kinds.push('unrelated');
  // Shuffle so statuses interleave across the id range, as in a real store.
  for (let i = kinds.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j] as (typeof kinds)[number], kinds[i] as (typeof kinds)[number]];
  }

  const start = Date.UTC(2019, 0, 1);
  const span = Date.UTC(2025, 5, 30) - start;
  let nextId = FIRST_ORDER_ID;
  let nextItemId = 1;
  const orders: FixtureOrder[] = [];
  kinds.forEach((kind, index) => {
    const id = nextId;
    nextId += 1;
    const createdAt = new Date(start + Math.floor((span * index) / Math.max(1, kinds.length)) + Math.floor(random() * 3_600_000));
    const firstName = pick(FIRST_NAMES);
    const lastName = pick(LAST_NAMES);
    const items: FixtureItem[] = [];
    if (kind !== 'unrelated') {
      const variation = pick(EVENT_VARIATIONS);
      items.push({
        id: nextItemId++,
        name: variation.name,
        productId: EVENT_PRODUCT_ID,
        variationId: variation.id,
        quantity: quantity(),
        unitPrice: variation.price,
      });
      if (random() < 0.08) {
        const second = pick(EVENT_VARIATIONS.filter((entry) => entry.id !== variation.id));
        items.push({ id: nextItemId++, name: second.name, productId: EVENT_PRODUCT_ID, variationId: second.id, quantity: 1, unitPrice: second.price });
      }
    } else if (random() < 0.5) {
      items.push({ id: nextItemId++, name: 'Taller de cerámica', productId: SIMPLE_EVENT_PRODUCT_ID, variationId: 0, quantity: 1, unitPrice: 40 });
    }
    if (kind === 'unrelated' || random() < 0.2) {
      items.push({
        id: nextItemId++,
        name: 'Camiseta oficial',
        productId: MERCH_PRODUCT_ID,
        variationId: 0,
        quantity: 1 + Math.floor(random() * 2),
        unitPrice: 18,
      });
    }
    const status = kind === 'paid' || kind === 'unrelated' ? pick(PAID_STATUSES) : kind === 'refunded' ? 'wc-refunded' : pick(UNPAID_STATUSES);
    const paid = kind === 'paid' || kind === 'refunded' || (kind === 'unrelated' && true);
    const paidAt = paid ? new Date(createdAt.getTime() + 60_000 + Math.floor(random() * 1_800_000)) : null;
    const eventUnits = items.filter((item) => item.productId === EVENT_PRODUCT_ID);
    const roll = random();
    const attendeeSource: FixtureOrder['attendeeSource'] =
      kind === 'paid' && roll < (spec.ticketPostShare ?? 0)
        ? 'posts'
        : kind === 'paid' && roll < (spec.ticketPostShare ?? 0) + (spec.orderMetaShare ?? 0)
          ? 'meta'
          : 'none';
    const attendees: FixtureAttendee[] = [];
    if (attendeeSource !== 'none') {
      for (const item of eventUnits) {
        for (let unit = 0; unit < item.quantity; unit += 1) {
          const first = pick(FIRST_NAMES);
          attendees.push({
            firstName: first,
            lastName: pick(LAST_NAMES),
            email: `attendee${id}-${item.id}-${unit}@example.org`,
            productId: item.productId,
            variationId: item.variationId,
          });
        }
      }
    }
    orders.push({
      id,
      status,
      currency: 'COP',
      createdAt,
      paidAt,
      updatedAt: new Date((paidAt ?? createdAt).getTime() + 120_000),
      legacyLocalPaidDate: random() < 0.2,
      billing: { firstName, lastName, email: `buyer${id}@example.com`, phone: `+57 300 ${String(id).padStart(7, '0')}` },
      items,
      attendeeSource,
      attendees,
      refund: kind === 'refunded' ? { id: 0, amount: orderTotal(items) } : null,
    });
  });
  // Refund rows take ids after all orders (they share the posts id space).
  for (const order of orders) {
    if (order.refund) order.refund.id = nextId++;
  }
  return orders;
}

export const orderTotal = (items: FixtureItem[]): number => Math.round(items.reduce((sum, item) => sum + item.unitPrice * item.quantity, 0) * 100) / 100;

/** What a correct sync of the event product must produce, tallied from the generated data. */
export function expectedFor(orders: FixtureOrder[], productIds: number[] = [EVENT_PRODUCT_ID], paidStatuses: string[] = PAID_STATUSES) {
  let paidOrders = 0;
  let tickets = 0;
  let skipped = 0;
  for (const order of orders) {
    const items = order.items.filter((item) => productIds.includes(item.productId) || productIds.includes(item.variationId));
    if (items.length === 0) continue;
    if (paidStatuses.includes(order.status)) {
      paidOrders += 1;
      tickets += items.reduce((sum, item) => sum + item.quantity, 0);
    } else {
      skipped += 1;
    }
  }
  return { paidOrders, tickets, skipped };
}
