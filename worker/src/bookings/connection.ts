import { createTransport } from 'nodemailer';
import { z } from 'zod';

import { connectionKey, OdooAccessDeniedError, OdooClient, odooConnectionSchema, resolveConnection, type OdooConnection } from '../connectors/odoo';
import type { AppContext } from '../core/domain';

export const ODOO_SETTINGS = 'bookings.odoo';
export const OPTIONS_SETTINGS = 'bookings.options';

export const optionsSchema = z.object({ confirmOrders: z.boolean(), createInvoices: z.boolean() });
export type BookingOptions = z.infer<typeof optionsSchema>;

const healthSchema = z.object({ key: z.string(), ok: z.boolean(), error: z.string().nullable(), at: z.string() });
export type ConnectionHealth = z.infer<typeof healthSchema>;

export class OdooNotConfiguredError extends Error {
  constructor() {
    super('Odoo is not configured: set the URL, database, username and API key on the Bookings page (or ODOO_* in the environment).');
    this.name = 'UnrecoverableError';
  }
}

export type TestResult = { ok: true; version: string; user: { id: number; name: string; login: string } } | { ok: false; error: string };

/**
 * The Odoo connection of the bookings domain: env overridden by settings saved from wp-admin,
 * one cached client per connection (uid and fields_get live there), health shared through Redis
 * so every worker process reports the same, and an alert when Odoo denies access.
 */
export class OdooConnector {
  private clients = new Map<string, OdooClient>();

  constructor(private readonly ctx: AppContext) {}

  private get healthKey(): string {
    return `${this.ctx.config.queuePrefix}:bookings:odoo-health`;
  }

  async saved(): Promise<Partial<OdooConnection> | undefined> {
    const stored = await this.ctx.settings.getJson<unknown>(ODOO_SETTINGS);
    const parsed = odooConnectionSchema.partial().safeParse(stored);
    return parsed.success ? parsed.data : undefined;
  }

  async connection(): Promise<OdooConnection | undefined> {
    const { url, db, username, apiKey } = this.ctx.config.odoo;
    return resolveConnection({ url, db, username, apiKey }, await this.saved());
  }

  async options(): Promise<BookingOptions> {
    const stored = optionsSchema.partial().safeParse(await this.ctx.settings.getJson<unknown>(OPTIONS_SETTINGS));
    const { confirmOrders, createInvoices } = this.ctx.config.bookings;
    return { confirmOrders, createInvoices, ...(stored.success ? stored.data : {}) };
  }

  /** Saves the connection (sealed: it holds the API key) and the options; health is re-probed. */
  async saveSettings(connection: Partial<OdooConnection>, options: BookingOptions): Promise<void> {
    await this.ctx.settings.setJson(ODOO_SETTINGS, connection, { secret: true });
    await this.ctx.settings.setJson(OPTIONS_SETTINGS, options);
    await this.ctx.redis.del(this.healthKey);
    this.clients.clear();
  }

  clientFor(connection: OdooConnection): OdooClient {
    const key = connectionKey(connection);
    let client = this.clients.get(key);
    if (!client) {
      client = OdooClient.create(connection, { timeoutMs: this.ctx.config.odoo.timeoutMs, maxResponseBytes: this.ctx.config.odoo.maxResponseBytes });
      this.clients = new Map([[key, client]]);
    }
    return client;
  }

  async client(): Promise<OdooClient> {
    const connection = await this.connection();
    if (!connection) throw new OdooNotConfiguredError();
    return this.clientFor(connection);
  }

  /** "Test connection": version, login and the API user's name, or a sentence saying what is wrong. */
  async test(candidate?: OdooConnection): Promise<TestResult> {
    const connection = candidate ?? (await this.connection());
    if (!connection) return { ok: false, error: new OdooNotConfiguredError().message };
    const client = candidate ? OdooClient.create(candidate, { timeoutMs: Math.min(this.ctx.config.odoo.timeoutMs, 10_000), maxResponseBytes: this.ctx.config.odoo.maxResponseBytes }) : this.clientFor(connection);
    try {
      const version = await client.version();
      const user = await client.whoAmI();
      if (!candidate) await this.recordHealth(client.key, true, null);
      return { ok: true, version: version.server_version, user };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (!candidate) await this.recordHealth(client.key, false, message);
      return { ok: false, error: message };
    }
  }

  async recordHealth(key: string, ok: boolean, error: string | null): Promise<void> {
    const value: ConnectionHealth = { key, ok, error, at: new Date().toISOString() };
    await this.ctx.redis.set(this.healthKey, JSON.stringify(value));
  }

  async readHealth(): Promise<ConnectionHealth | undefined> {
    const raw = await this.ctx.redis.get(this.healthKey);
    if (!raw) return undefined;
    const parsed = healthSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  }

  /** `/health` odoo_connection: null when not configured, else the last known state (probed once). */
  async health(): Promise<boolean | null> {
    const connection = await this.connection();
    if (!connection) return null;
    const key = connectionKey(connection);
    const known = await this.readHealth();
    if (known?.key === key) return known.ok;
    return (await this.test()).ok;
  }

  /** Access denied: the connector goes unhealthy and admins hear about it once. */
  async accessDenied(key: string, error: OdooAccessDeniedError): Promise<void> {
    const known = await this.readHealth();
    await this.recordHealth(key, false, error.message);
    this.clients.delete(key);
    if (known?.key === key && known.ok === false) return;
    await this.alert('Sync Hub: Odoo denied access', `${error.message}\n\nBookings are not reaching Odoo until the connection is fixed on the Bookings page; failed orders can be retried from there.`);
  }

  async alert(subject: string, text: string): Promise<void> {
    this.ctx.logger.error({ alert: subject }, text);
    const { smtpUrl, adminEmails } = this.ctx.config.mail;
    if (!smtpUrl || adminEmails.length === 0) return;
    try {
      await createTransport(smtpUrl).sendMail({ from: adminEmails[0], to: adminEmails.join(', '), subject, text });
    } catch (error) {
      this.ctx.logger.warn({ err: error }, 'could not send the alert mail');
    }
  }
}
