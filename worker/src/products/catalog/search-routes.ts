import type { Request, Router } from 'express';
import { z } from 'zod';

import type { EmbeddingsClient } from '../../connectors/embeddings';
import { safeEqual } from '../../core/crypto';
import type { Db } from '../../core/db';
import { peerHttpError } from '../../core/failures';
import { route, type RouteContract } from '../../core/http/contract';
import { HttpError } from '../../core/http/errors';
import { createRouter, slashOptional } from '../../core/http/routes';
import { authenticate, type TokenRateLimiter } from '../ingest/auth';
import type { TokenStore } from '../tokens/store';
import { normalizeIp } from '../tokens/token';
import type { SearchIndex } from './search-index';

export const SEARCH_PATH = '/api/v1/products/search/';

export const searchQuery = z.strictObject({
  q: z.string({ error: 'q is required' }).trim().min(1, 'q is required').max(1_000, 'q is at most 1,000 characters'),
  limit: z.coerce.number({ error: 'expected a number' }).int().min(1).max(100).default(10),
});

export const SEARCH_ROUTES = {
  search: {
    method: 'GET',
    path: slashOptional(SEARCH_PATH),
    tag: 'products',
    auth: ['admin', 'integration_token'],
    summary: 'Semantic product search: the nearest active products to `q`, best first, with their cosine score.',
    description:
      'The admin token searches every catalogue; an integration token its owner’s only, and spends its rate limit. `Server-Timing` says where the time went.',
    query: searchQuery,
    responses: {
      200: {
        description: 'The results.',
        schema: z.object({
          query: z.string(),
          model: z.string(),
          count: z.number().int(),
          results: z.array(z.object({ score: z.number(), product: z.looseObject({ id: z.number().int(), name: z.string() }) })),
        }),
      },
      400: '`validation_error`: `q` missing or too long, or a bad `limit`.',
      401: 'Neither the admin token nor a valid integration token.',
      409: '`embeddings_not_configured`.',
      429: '`rate_limited` (integration tokens).',
      502: '`embeddings_unavailable`: the endpoint refused the query.',
      503: '`embeddings_unavailable`: the endpoint is down; retry shortly.',
    },
  },
} satisfies Record<string, RouteContract>;

export interface SearchDeps {
  db: Db;
  index: SearchIndex;
  tokens: TokenStore;
  limiter: TokenRateLimiter;
  adminToken: string;
  embedder: () => Promise<EmbeddingsClient | undefined>;
}

/** The admin token sees every catalogue; an integration token its owner's only (and spends its rate limit). */
async function caller(req: Request, deps: SearchDeps): Promise<{ owner?: string; headers: Record<string, string> }> {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '')?.[1];
  if (bearer && safeEqual(bearer, deps.adminToken)) return { headers: {} };
  const token = await authenticate(req.get('authorization'), req.ip, deps.tokens);
  const headers = await deps.limiter.consume(token);
  deps.tokens.recordUse(token.id, normalizeIp(req.ip));
  return { owner: token.owner, headers };
}

/**
 * `GET /api/v1/products/search?q=…&limit=…`: the query is embedded through the same endpoint as the
 * products, and the nearest active products come back with their cosine score, best first.
 */
export function searchRouter(deps: SearchDeps): Router {
  const router = createRouter();
  route(router, SEARCH_ROUTES.search, async (req, res, input) => {
    const { owner, headers } = await caller(req, deps);
    res.set(headers);
    const query = input.query();
    const client = await deps.embedder();
    if (!client) throw new HttpError(409, 'embeddings_not_configured', 'Search needs the embeddings endpoint (EMBEDDINGS_URL and EMBEDDINGS_MODEL).');
    const timing: Record<string, number> = {};
    let started = performance.now();
    let vector: number[];
    try {
      [vector = []] = await client.embed([query.q]);
      timing.embed = performance.now() - started;
    } catch (error) {
      throw peerHttpError(error, 'embeddings_unavailable', 'The embeddings endpoint could not embed the query; try again shortly.');
    }
    const hits = await deps.index.search(client.model, vector, query.limit, owner, timing);
    started = performance.now();
    const rows =
      hits.length === 0
        ? []
        : await deps.db
            .selectFrom('synchub_products')
            .selectAll()
            .where(
              'id',
              'in',
              hits.map((hit) => hit.productId),
            )
            .execute();
    timing.products = performance.now() - started;
    // Where the time went (embedding call, index load, scans, exact rescoring, product rows).
    res.set(
      'Server-Timing',
      Object.entries(timing)
        .map(([name, ms]) => `${name};dur=${ms.toFixed(1)}`)
        .join(', '),
    );
    const byId = new Map(rows.map((row) => [Number(row.id), row]));
    const results = hits.flatMap((hit) => {
      const row = byId.get(hit.productId);
      if (!row) return [];
      return [
        {
          score: Math.round(hit.score * 1e6) / 1e6,
          product: {
            id: Number(row.id),
            external_id: row.external_id,
            woo_id: Number(row.woo_id),
            owner: row.owner,
            sku: row.sku,
            name: row.name,
            short_description: row.short_description,
            price: row.price,
            regular_price: row.regular_price,
            sale_price: row.sale_price,
            on_sale: Boolean(row.on_sale),
            currency: row.currency,
            stock_status: row.stock_status,
            categories: JSON.parse(row.categories) as string[],
            tags: JSON.parse(row.tags) as string[],
            image: row.image,
            permalink: row.permalink,
          },
        },
      ];
    });
    res.json({ query: query.q, model: client.model, count: results.length, results });
  });
  return router;
}
