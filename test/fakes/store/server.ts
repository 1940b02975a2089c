/**
 * A small fake of the plugin's signed `POST /wp-json/sync-hub/v1/stock` for worker tests: it
 * verifies the v2 signature (purpose worker-to-plugin, topic stock.update) and skips a repeated
 * event id, refuses more than 100 items, and answers per item (updated / unknown_sku /
 * not_managed) like the PHP endpoint. It also takes `POST /wp-json/sync-hub/v1/products/resend`
 * (topic products.resend): a published product id is `queued`, any other `deleted`. The real
 * endpoints have PHPUnit tests and run end to end against the real WordPress.
 */
import { createServer, type Server } from 'node:http';

import express from 'express';

import { PRODUCTS_RESEND_TOPIC, STOCK_TOPIC } from '../../../worker/src/connectors/store/client';
import { verifyV2 } from '../../../worker/src/core/signing';
import { closeServer, listenOnLoopback } from '../../support/listen';

export interface FakeStoreProduct {
  id: number;
  sku: string;
  manageStock: boolean;
  stock: number | null;
}

export class FakeStore {
  readonly products = new Map<string, FakeStoreProduct>();
  /** Each accepted request: its item count and time. */
  readonly requests: Array<{ at: number; items: number }> = [];
  /** When each SKU's stock was last set (ms), for latency measurements. */
  readonly writtenAt = new Map<string, number>();
  rejected = 0;
  /** Product ids the store publishes, for resend answers. */
  readonly publishedIds = new Set<number>();
  /** The ids of each accepted resend request. */
  readonly resends: number[][] = [];
  private readonly seen = new Set<string>();
  private forced: number[] = [];
  private server: Server | null = null;
  private nextId = 100;
  url = '';

  constructor(private readonly secret: string) {}

  add(sku: string, options: { manageStock?: boolean; stock?: number | null } = {}): FakeStoreProduct {
    const product = { id: this.nextId++, sku, manageStock: options.manageStock ?? true, stock: options.stock ?? 0 };
    this.products.set(sku, product);
    return product;
  }

  stockOf(sku: string): number | null | undefined {
    return this.products.get(sku)?.stock;
  }

  /** The next `count` requests answer `status`. */
  failNext(count: number, status: number): void {
    for (let index = 0; index < count; index += 1) this.forced.push(status);
  }

  async start(): Promise<string> {
    const app = express();
    app.post('/wp-json/sync-hub/v1/stock', express.raw({ type: () => true, limit: '1mb' }), (req, res) => {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const forced = this.forced.shift();
      if (forced) return void res.status(forced).json({ code: 'forced', message: 'forced failure' });
      const verdict = verifyV2((name) => req.get(name), body, this.secret, 'worker-to-plugin', Date.now());
      if (!verdict.ok || verdict.fields.topic !== STOCK_TOPIC) {
        this.rejected += 1;
        return void res.status(401).json({ code: 'synchub_invalid_signature', message: 'bad signature' });
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        return void res.status(400).json({ code: 'synchub_invalid_json', message: 'not JSON' });
      }
      const items = (parsed as { items?: unknown }).items;
      if (!Array.isArray(items) || items.length === 0 || items.length > 100) {
        return void res.status(400).json({ code: 'synchub_invalid_items', message: 'items must hold 1 to 100 entries' });
      }
      const valid = items.every((item: unknown) => {
        const entry = item as { sku?: unknown; stock_quantity?: unknown };
        return typeof entry.sku === 'string' && entry.sku !== '' && typeof entry.stock_quantity === 'number' && Number.isFinite(entry.stock_quantity);
      });
      if (!valid) return void res.status(400).json({ code: 'synchub_invalid_items', message: 'each item needs sku and stock_quantity' });
      if (this.seen.has(verdict.fields.eventId)) return void res.json({ status: 'skipped', event_id: verdict.fields.eventId });
      this.seen.add(verdict.fields.eventId);
      const now = Date.now();
      this.requests.push({ at: now, items: items.length });
      const results = (items as Array<{ sku: string; stock_quantity: number }>).map((item) => {
        const product = this.products.get(item.sku);
        if (!product) return { sku: item.sku, status: 'unknown_sku', product_id: null };
        if (!product.manageStock) return { sku: item.sku, status: 'not_managed', product_id: product.id, stock_quantity: null };
        const previous = product.stock;
        product.stock = item.stock_quantity;
        this.writtenAt.set(item.sku, now);
        return { sku: item.sku, status: 'updated', product_id: product.id, previous_quantity: previous, stock_quantity: product.stock };
      });
      res.json({ results });
    });
    app.post('/wp-json/sync-hub/v1/products/resend', express.raw({ type: () => true, limit: '1mb' }), (req, res) => {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const forced = this.forced.shift();
      if (forced) return void res.status(forced).json({ code: 'forced', message: 'forced failure' });
      const verdict = verifyV2((name) => req.get(name), body, this.secret, 'worker-to-plugin', Date.now());
      if (!verdict.ok) {
        this.rejected += 1;
        return void res.status(401).json({ code: 'synchub_invalid_signature', message: 'bad signature' });
      }
      if (verdict.fields.topic !== PRODUCTS_RESEND_TOPIC) return void res.status(400).json({ code: 'synchub_invalid_topic', message: 'wrong topic' });
      let ids: unknown;
      try {
        ids = (JSON.parse(body.toString('utf8')) as { ids?: unknown }).ids;
      } catch {
        return void res.status(400).json({ code: 'rest_invalid_json', message: 'not JSON' });
      }
      if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => Number.isInteger(id) && (id as number) > 0)) {
        return void res.status(400).json({ code: 'synchub_invalid_ids', message: 'ids must be positive integers' });
      }
      if (ids.length > 100) return void res.status(413).json({ code: 'synchub_too_many_ids', message: 'At most 100 ids per request.' });
      if (this.seen.has(verdict.fields.eventId)) return void res.json({ status: 'skipped', event_id: verdict.fields.eventId });
      this.seen.add(verdict.fields.eventId);
      const unique = [...new Set(ids as number[])];
      this.resends.push(unique);
      res.json({ results: unique.map((id) => ({ id, status: this.publishedIds.has(id) ? 'queued' : 'deleted' })) });
    });
    this.server = createServer(app);
    this.url = await listenOnLoopback(this.server);
    return this.url;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await closeServer(server);
  }
}
