import type { Router } from 'express';
import { z } from 'zod';

import { route, type RouteContract } from '../../core/http/contract';
import { createRouter, slashOptional } from '../../core/http/routes';
import type { ProductEventLog, ProductEventRow } from '../ingest/event-log';
import { EVENT_TYPES } from '../ingest/payload';
import type { ProductsTable } from '../schema';
import type { ProductStore } from './store';
import type { Selectable } from 'kysely';

const bool = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');
const page = {
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
};

export const eventsQuery = z.strictObject({
  event_type: z.enum(EVENT_TYPES).optional(),
  status: z.enum(['received', 'processed', 'stale', 'failed']).optional(),
  success: bool.optional(),
  product_id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  token_id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  event_id: z.string().max(191).optional(),
  since: z.iso
    .datetime({ offset: true })
    .transform((value) => new Date(value))
    .optional(),
  until: z.iso
    .datetime({ offset: true })
    .transform((value) => new Date(value))
    .optional(),
  ...page,
});

export const productsQuery = z.strictObject({
  external_id: z.string().max(64).optional(),
  owner: z.string().max(100).optional(),
  sku: z.string().max(100).optional(),
  is_active: bool.optional(),
  needs_embedding: bool.optional(),
  ...page,
});

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

export function eventView(row: ProductEventRow, includePayload: boolean) {
  return {
    id: Number(row.id),
    event_id: row.event_id,
    event_type: row.event_type,
    product_id: Number(row.product_id),
    owner: row.owner,
    token_id: row.token_id === null ? null : Number(row.token_id),
    status: row.status,
    success: row.success === null ? null : Boolean(row.success),
    error: row.error,
    processing_ms: row.processing_ms,
    attempts: row.attempts,
    source_ip: row.source_ip,
    user_agent: row.user_agent,
    received_at: row.received_at.toISOString(),
    processed_at: iso(row.processed_at),
    ...(includePayload ? { payload: JSON.parse(row.payload) as unknown } : {}),
  };
}

export function productView(row: Selectable<ProductsTable>) {
  return {
    id: Number(row.id),
    owner: row.owner,
    external_id: row.external_id,
    woo_id: Number(row.woo_id),
    sku: row.sku,
    name: row.name,
    short_description: row.short_description,
    description: row.description,
    price: row.price,
    regular_price: row.regular_price,
    sale_price: row.sale_price,
    on_sale: Boolean(row.on_sale),
    currency: row.currency,
    stock_quantity: row.stock_quantity,
    stock_status: row.stock_status,
    categories: JSON.parse(row.categories) as string[],
    tags: JSON.parse(row.tags) as string[],
    image: row.image,
    gallery_images: JSON.parse(row.gallery_images) as string[],
    permalink: row.permalink,
    external_source: row.external_source,
    variations: JSON.parse(row.variations) as unknown[],
    content_hash: row.content_hash,
    needs_embedding: Boolean(row.needs_embedding),
    is_active: Boolean(row.is_active),
    deleted_at: iso(row.deleted_at),
    revision: row.revision,
    last_event_id: row.last_event_id,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

const pageOf = <T extends z.ZodType>(item: T) => z.object({ count: z.number().int(), results: z.array(item) });

export const CATALOG_ROUTES = {
  events: {
    method: 'GET',
    path: slashOptional('/api/v1/integrations/woocommerce/events/'),
    tag: 'products',
    auth: 'admin',
    summary: 'The product event log, newest first, with filters; each event with its payload.',
    query: eventsQuery,
    responses: {
      200: {
        description: 'One page of events.',
        schema: pageOf(z.looseObject({ id: z.number().int(), event_id: z.string(), event_type: z.string(), product_id: z.number().int(), status: z.string() })),
      },
      400: '`validation_error` naming each invalid filter.',
    },
  },
  stats: {
    method: 'GET',
    path: slashOptional('/api/v1/products/stats/'),
    tag: 'products',
    auth: 'admin',
    summary: 'Counts of the product store: total, active, deleted, awaiting embedding, chunks.',
    responses: {
      200: {
        description: 'The counts.',
        schema: z.object({ total: z.number(), active: z.number(), deleted: z.number(), awaiting_embedding: z.number(), chunks: z.number() }),
      },
    },
  },
  products: {
    method: 'GET',
    path: slashOptional('/api/v1/products/'),
    tag: 'products',
    auth: 'admin',
    summary: 'The product store, with filters.',
    query: productsQuery,
    responses: {
      200: {
        description: 'One page of products.',
        schema: pageOf(z.looseObject({ id: z.number().int(), owner: z.string(), external_id: z.string(), woo_id: z.number().int(), name: z.string() })),
      },
      400: '`validation_error` naming each invalid filter.',
    },
  },
} satisfies Record<string, RouteContract>;

/** Admin read side: the event log with filters, the product store and its counts. */
export function catalogRouter(log: ProductEventLog, store: ProductStore): Router {
  const router = createRouter();

  route(router, CATALOG_ROUTES.events, async (_req, res, input) => {
    const query = input.query();
    const { count, results } = await log.list(query);
    res.json({ count, results: results.map((row) => eventView(row, true)) });
  });

  route(router, CATALOG_ROUTES.stats, async (_req, res) => {
    res.json(await store.stats());
  });

  route(router, CATALOG_ROUTES.products, async (_req, res, input) => {
    const query = input.query();
    const { count, results } = await store.list(query);
    res.json({ count, results: results.map(productView) });
  });

  return router;
}
