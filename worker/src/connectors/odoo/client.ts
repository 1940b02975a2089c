import { z, type ZodType } from 'zod';

import { connectionKey, type OdooClientOptions, type OdooConnection } from './config';
import { OdooAccessDeniedError, OdooUnavailableError } from './errors';
import { XmlRpcTransport, type OdooService, type OdooTransport } from './transport';

const versionSchema = z.object({
  server_version: z.string(),
  server_version_info: z.array(z.union([z.string(), z.number()])).optional(),
  server_serie: z.string().optional(),
  protocol_version: z.number().optional(),
});
export type OdooVersion = z.infer<typeof versionSchema>;

const fieldsSchema = z.record(z.string(), z.object({ type: z.string() }).passthrough());

/** How a product is made a service: Odoo 17 has `detailed_type`, Odoo 18 only `type`. */
export interface ProductTypeFields {
  detailedType: boolean;
  isStorable: boolean;
}

export type Kwargs = Record<string, unknown>;

/**
 * One client per connection: `authenticate` once (uid cached), then `execute_kw` with the API key.
 * Field metadata read with `fields_get` is cached for the life of the connection.
 */
export class OdooClient {
  readonly key: string;
  private uid: Promise<number> | undefined;
  private readonly fields = new Map<string, Promise<Record<string, { type: string }>>>();
  private readonly memos = new Map<string, Promise<unknown>>();
  /** Calls per `service.method` (and `model.method` for execute_kw), for logs and benchmarks. */
  readonly calls = new Map<string, number>();

  constructor(
    readonly connection: OdooConnection,
    private readonly transport: OdooTransport,
  ) {
    this.key = connectionKey(connection);
  }

  static create(connection: OdooConnection, options: OdooClientOptions): OdooClient {
    return new OdooClient(connection, new XmlRpcTransport(connection.url, options.timeoutMs, options.maxResponseBytes, options.fetch));
  }

  get totalCalls(): number {
    let total = 0;
    for (const [name, count] of this.calls) if (name.startsWith('xmlrpc.')) total += count;
    return total;
  }

  private count(name: string): void {
    this.calls.set(name, (this.calls.get(name) ?? 0) + 1);
  }

  private call(service: OdooService, method: string, params: unknown[], context: string): Promise<unknown> {
    this.count(`xmlrpc.${service}.${method}`);
    return this.transport.call(service, method, params, context);
  }

  async version(): Promise<OdooVersion> {
    const raw = await this.call('common', 'version', [], 'common.version');
    const parsed = versionSchema.safeParse(raw);
    if (!parsed.success) throw new OdooUnavailableError('Odoo answered version() with an unexpected shape.');
    return parsed.data;
  }

  /** The uid of the API user; cached. `false` from Odoo means wrong login or key. */
  authenticate(): Promise<number> {
    this.uid ??= (async () => {
      const { db, username, apiKey } = this.connection;
      const result = await this.call('common', 'authenticate', [db, username, apiKey, {}], 'authenticate');
      if (typeof result === 'number' && Number.isInteger(result) && result > 0) return result;
      throw new OdooAccessDeniedError(`Odoo rejected the login "${username}" on database "${db}": the username or API key is wrong.`);
    })();
    this.uid.catch(() => {
      this.uid = undefined;
    });
    return this.uid;
  }

  /** `object.execute_kw`; the result is checked against `schema`. */
  async executeKw<T>(model: string, method: string, args: unknown[], kwargs: Kwargs, schema: ZodType<T>): Promise<T> {
    const uid = await this.authenticate();
    const { db, apiKey } = this.connection;
    this.count(`${model}.${method}`);
    let raw: unknown;
    try {
      raw = await this.call('object', 'execute_kw', [db, uid, apiKey, model, method, args, kwargs], `${model}.${method}`);
    } catch (error) {
      // The key may have been revoked since we authenticated: forget the uid.
      if (error instanceof OdooAccessDeniedError) this.uid = undefined;
      throw error;
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success)
      throw new OdooUnavailableError(`Odoo answered ${model}.${method} with an unexpected shape: ${parsed.error.issues[0]?.message ?? 'invalid'}.`);
    return parsed.data;
  }

  fieldsGet(model: string): Promise<Record<string, { type: string }>> {
    let cached = this.fields.get(model);
    if (!cached) {
      cached = this.executeKw(model, 'fields_get', [], { attributes: ['type'] }, fieldsSchema);
      this.fields.set(model, cached);
      cached.catch(() => this.fields.delete(model));
    }
    return cached;
  }

  /** A value looked up once per connection (a tax, a pricelist); forgotten when the lookup fails. */
  memo<T>(key: string, load: () => Promise<T>): Promise<T> {
    let cached = this.memos.get(key) as Promise<T> | undefined;
    if (!cached) {
      cached = load();
      this.memos.set(key, cached);
      cached.catch(() => this.memos.delete(key));
    }
    return cached;
  }

  /** Forgets memoised lookups (after Odoo rejected something built from them). */
  forgetMemos(): void {
    this.memos.clear();
  }

  /** Detected once per connection: Odoo 17 (`detailed_type`) or 18 (`type` + `is_storable`). */
  async productTypeFields(): Promise<ProductTypeFields> {
    const fields = await this.fieldsGet('product.product');
    return { detailedType: 'detailed_type' in fields, isStorable: 'is_storable' in fields };
  }

  /** The API user's name and login, for "Test connection". */
  async whoAmI(): Promise<{ id: number; name: string; login: string }> {
    const uid = await this.authenticate();
    const rows = await this.executeKw(
      'res.users',
      'read',
      [[uid], ['name', 'login']],
      {},
      z.array(z.object({ id: z.number(), name: z.string(), login: z.string() })),
    );
    const row = rows[0];
    if (!row) throw new OdooUnavailableError('Odoo did not return the API user.');
    return row;
  }
}
