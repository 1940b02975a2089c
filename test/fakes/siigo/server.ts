/**
 * A protocol-faithful fake of SIIGO Nube's REST API (api.siigo.com) for tests and benchmarks:
 * POST /auth with expiring tokens, Partner-Id required, products with pagination and
 * updated_start, warehouses, webhook subscriptions, a sliding-window rate limit answering 429
 * `requests_limit`, and webhook deliveries POSTed to subscribed URLs. It counts every call.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';

import express, { type NextFunction, type Request, type Response } from 'express';

import { closeServer, listenOnLoopback } from '../../support/listen';

export interface FakeProduct {
  id: string;
  code: string;
  name: string;
  type: 'Product' | 'Service' | 'ConsumerGood';
  stock_control: boolean;
  active: boolean;
  available_quantity: number;
  warehouses: Array<{ id: number; name: string; quantity: number }>;
  metadata: { created: string; last_updated: string };
  stock_updated: string;
}

export interface FakeSiigoOptions {
  username?: string;
  accessKey?: string;
  /** Token lifetime SIIGO reports (`expires_in`, seconds). */
  tokenTtlSeconds?: number;
  /** Requests allowed per sliding window (SIIGO: 100/min production, 10/min test companies). */
  rateLimit?: number;
  rateWindowMs?: number;
  /** Sent as Retry-After on 429 when set (SIIGO does not document one). */
  retryAfterSeconds?: number;
  companyKey?: string;
}

export interface CallRecord {
  at: number;
  method: string;
  path: string;
  /** Path with query string. */
  url: string;
  status: number;
}

const WAREHOUSES = [
  { id: 1, name: 'Bodega principal', active: true, has_movements: true },
  { id: 2, name: 'Bodega norte', active: true, has_movements: true },
];

const siigoError = (res: Response, status: number, code: string, message: string, params: string[] = []) =>
  res.status(status).json({ Status: status, Errors: [{ Code: code, Message: message, Params: params, Detail: message }] });

const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?Z)?$/;

export class FakeSiigo {
  readonly options: Required<Omit<FakeSiigoOptions, 'retryAfterSeconds'>> & { retryAfterSeconds?: number };
  readonly calls: CallRecord[] = [];
  readonly deliveries: Array<{ url: string; status: number | null; topic: string; code: string }> = [];
  private products: FakeProduct[] = [];
  private readonly tokens = new Map<string, number>();
  private subscriptions: Array<{ id: string; application_id: string; url: string; topic: string; company_key: string; active: boolean; created_at: string }> =
    [];
  private accepted: number[] = [];
  private server: Server | null = null;
  private forced: Array<{ status: number; code: string }> = [];
  /** Everything answers 503 while true. */
  down = false;
  /** Webhook deliveries are sent only while true. */
  webhooksEnabled = true;
  peakInWindow = 0;
  url = '';

  /** The worker environment that points Sync Hub's stock domain at this fake (1,000 requests a minute). */
  workerEnv(): Record<string, string> {
    return {
      SIIGO_ENABLED: 'true',
      SIIGO_USERNAME: this.options.username,
      SIIGO_ACCESS_KEY: this.options.accessKey,
      SIIGO_PARTNER_ID: 'SyncHubTests',
      SIIGO_API_URL: this.url,
      SIIGO_RATE_LIMIT_PER_MINUTE: '1000',
    };
  }

  constructor(options: FakeSiigoOptions = {}) {
    this.options = {
      username: options.username ?? 'api@store.example',
      accessKey: options.accessKey ?? 'access-key-123',
      tokenTtlSeconds: options.tokenTtlSeconds ?? 86_400,
      rateLimit: options.rateLimit ?? 100,
      rateWindowMs: options.rateWindowMs ?? 60_000,
      companyKey: options.companyKey ?? 'fake-company-key',
      ...(options.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: options.retryAfterSeconds }),
    };
  }

  async start(): Promise<string> {
    const app = express();
    app.use(express.json({ limit: '1mb' }));
    app.use((req, res, next) => this.gate(req, res, next));
    app.post('/auth', (req, res) => this.auth(req, res));
    app.use('/v1', (req, res, next) => this.requireToken(req, res, next));
    app.get('/v1/products', (req, res) => this.listProducts(req, res));
    app.get('/v1/products/:id', (req, res) => {
      const product = this.products.find((item) => item.id === req.params.id);
      if (!product) return siigoError(res, 404, 'not_found', 'Product not found');
      res.json(product);
    });
    app.get('/v1/warehouses', (_req, res) => res.json(WAREHOUSES));
    app.get('/v1/webhooks', (_req, res) => res.json(this.subscriptions));
    app.post('/v1/webhooks', (req, res) => this.subscribe(req, res));
    app.delete('/v1/webhooks/:id', (req, res) => {
      const before = this.subscriptions.length;
      this.subscriptions = this.subscriptions.filter((item) => item.id !== req.params.id);
      if (before === this.subscriptions.length) return siigoError(res, 404, 'not_found', 'Webhook not found');
      res.json({ id: req.params.id, deleted: true });
    });
    app.use((_req: Request, res: Response) => siigoError(res, 404, 'not_found', 'Resource not found'));
    this.server = createServer(app);
    this.url = await listenOnLoopback(this.server);
    return this.url;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await closeServer(server);
  }

  // ——— test controls ———

  /** Adds `count` products with codes `${prefix}0001…`; returns them. */
  seed(count: number, options: { prefix?: string; quantity?: (index: number) => number; stockControl?: boolean } = {}): FakeProduct[] {
    const created: FakeProduct[] = [];
    const base = Date.now() - count;
    for (let index = 0; index < count; index += 1) {
      const quantity = options.quantity?.(index) ?? 10;
      const when = new Date(base + index).toISOString();
      created.push({
        id: randomUUID(),
        code: `${options.prefix ?? 'SKU'}${String(index + 1).padStart(5, '0')}`,
        name: `Producto ${index + 1}`,
        type: 'Product',
        stock_control: options.stockControl ?? true,
        active: true,
        available_quantity: quantity,
        warehouses: [
          { id: 1, name: 'Bodega principal', quantity },
          { id: 2, name: 'Bodega norte', quantity: 0 },
        ],
        metadata: { created: when, last_updated: when },
        stock_updated: when,
      });
    }
    this.products.push(...created);
    return created;
  }

  product(code: string): FakeProduct | undefined {
    return this.products.find((item) => item.code === code);
  }

  /**
   * Changes a product's balance in warehouse 1 (as an inventory movement in SIIGO would) and,
   * when webhooks are on, notifies subscribers of `products.stock.update`; resolves after delivery.
   */
  async setStock(code: string, quantity: number, options: { warehouseId?: number; notify?: boolean } = {}): Promise<void> {
    const product = this.product(code);
    if (!product) throw new Error(`no fake product ${code}`);
    const warehouse = product.warehouses.find((item) => item.id === (options.warehouseId ?? 1));
    if (warehouse) warehouse.quantity = quantity;
    product.available_quantity = product.warehouses.reduce((sum, item) => sum + item.quantity, 0);
    const now = new Date().toISOString();
    product.metadata.last_updated = now;
    product.stock_updated = now;
    if (options.notify !== false) await this.notify(product, 'public.siigoapi.products.stock.update');
  }

  /** The body SIIGO sends for `topic` about `product` (flat fields, as documented). */
  notificationFor(product: FakeProduct, topic: string): Record<string, unknown> {
    return {
      company_key: this.options.companyKey,
      username: this.options.username,
      topic,
      id: product.id,
      code: product.code,
      name: product.name,
      type: product.type,
      stock_control: product.stock_control,
      active: product.active,
      available_quantity: product.available_quantity,
      warehouses: product.warehouses,
      created: product.metadata.created,
      last_updated: product.metadata.last_updated,
      stock_updated: product.stock_updated,
    };
  }

  async notify(product: FakeProduct, topic: string): Promise<void> {
    if (!this.webhooksEnabled) return;
    const body = JSON.stringify(this.notificationFor(product, topic));
    await Promise.all(
      this.subscriptions
        .filter((subscription) => subscription.topic === topic && subscription.active)
        .map(async (subscription) => {
          let status: number | null = null;
          try {
            const response = await fetch(subscription.url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
            status = response.status;
            await response.text();
          } catch {
            status = null;
          }
          this.deliveries.push({ url: subscription.url, status, topic, code: product.code });
        }),
    );
  }

  /** Every issued token expires now (SIIGO's 24 h passing). */
  expireTokens(): void {
    for (const token of this.tokens.keys()) this.tokens.set(token, 0);
  }

  /** The next `count` requests answer `status` (e.g. 500, 429). */
  failNext(count: number, status: number, code = status === 429 ? 'requests_limit' : 'unhandled_error'): void {
    for (let index = 0; index < count; index += 1) this.forced.push({ status, code });
  }

  subscriptionList() {
    return [...this.subscriptions];
  }

  callCount(filter: (call: CallRecord) => boolean = () => true): number {
    return this.calls.filter(filter).length;
  }

  resetCalls(): void {
    this.calls.length = 0;
    this.peakInWindow = 0;
  }

  // ——— protocol ———

  private gate(req: Request, res: Response, next: NextFunction): void {
    const at = Date.now();
    res.on('finish', () => this.calls.push({ at, method: req.method, path: req.path, url: req.originalUrl, status: res.statusCode }));
    const partnerId = req.get('partner-id');
    if (!partnerId) return void siigoError(res, 400, 'header_required', 'The Partner-Id header is required', ['Partner-Id']);
    if (!/^[A-Za-z0-9]{3,100}$/.test(partnerId))
      return void siigoError(res, 400, 'invalid_header', 'Partner-Id must be alphanumeric, 3 to 100 characters', ['Partner-Id']);
    this.accepted = this.accepted.filter((time) => time > at - this.options.rateWindowMs);
    if (this.accepted.length >= this.options.rateLimit) {
      if (this.options.retryAfterSeconds !== undefined) res.set('Retry-After', String(this.options.retryAfterSeconds));
      return void siigoError(res, 429, 'requests_limit', 'The number of requests per minute has been exceeded');
    }
    this.accepted.push(at);
    this.peakInWindow = Math.max(this.peakInWindow, this.accepted.length);
    if (this.down) return void siigoError(res, 503, 'service_unavailable', 'Service unavailable');
    const forced = this.forced.shift();
    if (forced) {
      if (forced.status === 429 && this.options.retryAfterSeconds !== undefined) res.set('Retry-After', String(this.options.retryAfterSeconds));
      return void siigoError(res, forced.status, forced.code, 'Forced failure');
    }
    next();
  }

  private auth(req: Request, res: Response): void {
    const body = (req.body ?? {}) as { username?: unknown; access_key?: unknown };
    if (typeof body.username !== 'string' || typeof body.access_key !== 'string')
      return void siigoError(res, 400, 'parameter_required', 'username and access_key are required', ['username', 'access_key']);
    if (body.username !== this.options.username || body.access_key !== this.options.accessKey)
      return void siigoError(res, 401, 'unauthorized', 'Invalid username or access key');
    const token = `fake.${randomBytes(24).toString('base64url')}`;
    this.tokens.set(token, Date.now() + this.options.tokenTtlSeconds * 1000);
    res.status(201).json({ access_token: token, expires_in: this.options.tokenTtlSeconds, token_type: 'Bearer', scope: 'SiigoAPI' });
  }

  private requireToken(req: Request, res: Response, next: NextFunction): void {
    const match = /^Bearer (.+)$/.exec(req.get('authorization') ?? '');
    const expires = match?.[1] ? this.tokens.get(match[1]) : undefined;
    if (expires === undefined || expires <= Date.now()) return void siigoError(res, 401, 'unauthorized', 'The access token is invalid or expired');
    next();
  }

  private listProducts(req: Request, res: Response): void {
    const query = req.query as Record<string, string | undefined>;
    const page = query.page === undefined ? 1 : Number(query.page);
    const pageSize = query.page_size === undefined ? 25 : Number(query.page_size);
    if (!Number.isInteger(page) || page < 1) return void siigoError(res, 400, 'invalid_parameter', 'page must be a positive integer', ['page']);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100)
      return void siigoError(res, 400, 'invalid_parameter', 'page_size must be between 1 and 100', ['page_size']);
    let items = [...this.products].reverse(); // newest created first
    if (query.updated_start !== undefined) {
      if (!DATE.test(query.updated_start))
        return void siigoError(res, 400, 'invalid_parameter', 'updated_start must be yyyy-MM-dd or yyyy-MM-ddTHH:mm:ssZ', ['updated_start']);
      const from = Date.parse(query.updated_start);
      items = items.filter((item) => Math.max(Date.parse(item.metadata.last_updated), Date.parse(item.stock_updated)) >= from);
    }
    if (query.code !== undefined) items = items.filter((item) => item.code === query.code);
    const start = (page - 1) * pageSize;
    const base = `${this.url}/v1/products?page_size=${pageSize}`;
    res.json({
      pagination: { page, page_size: pageSize, total_results: items.length },
      results: items.slice(start, start + pageSize),
      _links: {
        self: { href: `${base}&page=${page}` },
        ...(page > 1 ? { previous: { href: `${base}&page=${page - 1}` } } : {}),
        ...(start + pageSize < items.length ? { next: { href: `${base}&page=${page + 1}` } } : {}),
      },
    });
  }

  private subscribe(req: Request, res: Response): void {
    const body = (req.body ?? {}) as { application_id?: unknown; topic?: unknown; url?: unknown };
    const missing = ['application_id', 'topic', 'url'].filter((field) => typeof body[field as keyof typeof body] !== 'string');
    if (missing.length > 0) return void siigoError(res, 400, 'parameter_required', `${missing.join(', ')} required`, missing);
    const topic = body.topic as string;
    if (!['public.siigoapi.products.create', 'public.siigoapi.products.update', 'public.siigoapi.products.stock.update'].includes(topic)) {
      return void siigoError(res, 400, 'invalid_parameter', 'Unknown topic', ['topic']);
    }
    if (this.subscriptions.some((item) => item.topic === topic && item.url === body.url))
      return void siigoError(res, 400, 'already_exists', 'The subscription already exists', ['topic']);
    const subscription = {
      id: randomUUID(),
      application_id: body.application_id as string,
      url: body.url as string,
      topic,
      company_key: this.options.companyKey,
      active: true,
      created_at: new Date().toISOString(),
    };
    this.subscriptions.push(subscription);
    res.status(201).json(subscription);
  }
}
