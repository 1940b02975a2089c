import { z } from 'zod';

import {
  connectionKey,
  OdooAccessDeniedError,
  OdooClient,
  odooConnectionSchema,
  OdooSales,
  OdooUnavailableError,
  OdooValidationError,
  resolveConnection,
  type OdooConnection,
  type RightCheck,
} from '../../connectors/odoo';
import type { AppContext } from '../../core/domain';
import { assertTarget, egressRefusal } from '../../core/egress';
import { PermanentFailure } from '../../core/failures';
import { boundSecret, secretForOrigin } from '../../core/secret-binding';
import { overEnvironment } from '../../core/settings';

export const ODOO_SETTINGS = 'bookings.odoo';
/** How long a known Odoo health state is trusted by `/health` before it is probed again. */
export const HEALTH_TTL_MS = 15_000;
export const OPTIONS_SETTINGS = 'bookings.options';

export const optionsSchema = z.object({ confirmOrders: z.boolean(), createInvoices: z.boolean() });
export type BookingOptions = z.infer<typeof optionsSchema>;

const healthSchema = z.object({ key: z.string(), ok: z.boolean(), error: z.string().nullable(), at: z.string() });
export type ConnectionHealth = z.infer<typeof healthSchema>;

export class OdooNotConfiguredError extends PermanentFailure {
  constructor() {
    super('Odoo is not configured: set the URL, database, username and API key on the Bookings page (or ODOO_* in the environment).');
  }
}

export type TestResult =
  { ok: true; version: string; user: { id: number; name: string; login: string } } | { ok: false; code: string; error: string; missing_groups?: string[] };

/** Groups the sync needs, by XML id, with their names in Odoo 17 and 18 (read from Odoo when it lets us). */
export const SALES_ADMIN_GROUP = 'sales_team.group_sale_manager';
export const INVOICING_GROUP = 'account.group_account_invoice';
const GROUP_NAMES: Record<string, string> = { [SALES_ADMIN_GROUP]: 'Sales / Administrator', [INVOICING_GROUP]: 'Invoicing / Billing' };

/**
 * The access rights the sync uses, and the group that grants each: sale orders, customers,
 * service products and pricelists need Sales / Administrator (a Sales user cannot create
 * customers or products); invoicing adds the invoicing group.
 */
export function requiredRights(options: { createInvoices: boolean }): RightCheck[] {
  const rights: RightCheck[] = [
    { model: 'sale.order', operation: 'create', group: SALES_ADMIN_GROUP },
    { model: 'sale.order', operation: 'write', group: SALES_ADMIN_GROUP },
    { model: 'res.partner', operation: 'create', group: SALES_ADMIN_GROUP },
    { model: 'product.product', operation: 'create', group: SALES_ADMIN_GROUP },
    { model: 'product.pricelist', operation: 'create', group: SALES_ADMIN_GROUP },
    { model: 'account.tax', operation: 'read', group: SALES_ADMIN_GROUP },
  ];
  if (options.createInvoices) {
    rights.push(
      { model: 'sale.advance.payment.inv', operation: 'create', group: INVOICING_GROUP },
      { model: 'account.move', operation: 'create', group: INVOICING_GROUP },
    );
  }
  return rights;
}

/** Where the API key goes: the URL, database and login it was saved for. */
export type OdooOrigin = { url: string | undefined; db: string | undefined; username: string | undefined };

/** Connection fields of an admin request (validated by the route). */
export interface ConnectionChange {
  url?: string;
  db?: string;
  username?: string;
  api_key?: string;
}

/**
 * A failed test in our own words: the peer's answer (body, fault text, socket error) only goes to
 * the log, so "Test connection" cannot be used to read what a URL serves.
 */
export function describeTestFailure(error: unknown): { code: string; error: string } {
  const refused = egressRefusal(error);
  if (refused) return { code: refused.code, error: refused.message };
  if (error instanceof OdooNotConfiguredError) return { code: 'not_configured', error: error.message };
  if (error instanceof OdooAccessDeniedError)
    return { code: 'access_denied', error: 'Odoo refused the login: the username or API key is wrong (or the database is not the right one).' };
  if (error instanceof OdooValidationError)
    return { code: 'odoo_rejected', error: 'Odoo refused the call: check the URL and the database name. The worker log has the details.' };
  if (error instanceof OdooUnavailableError && error.status !== null)
    return { code: 'odoo_unavailable', error: `Odoo answered HTTP ${error.status}; try again later.` };
  if (error instanceof OdooUnavailableError)
    return {
      code: 'odoo_unreachable',
      error: 'Odoo did not answer as an Odoo server would (network error, timeout or another kind of server): check the URL.',
    };
  return { code: 'internal_error', error: 'The connection test failed; the worker log has the details.' };
}

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
    return this.ctx.settings.saved(ODOO_SETTINGS, odooConnectionSchema.partial());
  }

  /**
   * The connection fields in force (saved over environment) and the API key bound to them: a key
   * saved from wp-admin goes with the saved fields, the environment's key only to the
   * environment's own URL, database and login.
   */
  async current(): Promise<{ origin: OdooOrigin; apiKey: string | undefined }> {
    const env = this.ctx.config.odoo;
    const saved = (await this.saved()) ?? {};
    const origin: OdooOrigin = { url: saved.url ?? env.url, db: saved.db ?? env.db, username: saved.username ?? env.username };
    const envOrigin: OdooOrigin = { url: env.url, db: env.db, username: env.username };
    return {
      origin,
      apiKey: boundSecret(origin, [
        { secret: saved.apiKey, origin },
        { secret: env.apiKey, origin: envOrigin },
      ]),
    };
  }

  async connection(): Promise<OdooConnection | undefined> {
    const { origin, apiKey } = await this.current();
    return resolveConnection({ ...origin, apiKey });
  }

  /**
   * The connection after `change`: the API key sent with it, else the one in force if the URL,
   * database and login stay the same; SecretRequiredError (400) if they change without a key.
   */
  async withChange(change: ConnectionChange): Promise<Partial<OdooConnection>> {
    const current = await this.current();
    const next: OdooOrigin = {
      url: change.url ?? current.origin.url,
      db: change.db ?? current.origin.db,
      username: change.username ?? current.origin.username,
    };
    const apiKey = secretForOrigin({
      provided: change.api_key,
      saved: current.apiKey ? { secret: current.apiKey, origin: current.origin } : undefined,
      next,
      field: 'api_key',
    });
    const connection: Partial<OdooConnection> = {};
    if (next.url !== undefined) connection.url = next.url;
    if (next.db !== undefined) connection.db = next.db;
    if (next.username !== undefined) connection.username = next.username;
    if (apiKey !== undefined) connection.apiKey = apiKey;
    return connection;
  }

  /** 400 naming `field` when the target policy refuses the URL (nothing is saved or sent). */
  checkTarget(url: string, field: string): Promise<void> {
    return assertTarget(this.ctx.egress, url, field);
  }

  async options(): Promise<BookingOptions> {
    const { confirmOrders, createInvoices } = this.ctx.config.bookings;
    return overEnvironment(await this.ctx.settings.saved(OPTIONS_SETTINGS, optionsSchema.partial()), { confirmOrders, createInvoices });
  }

  /**
   * Saves the connection when given (sealed: it holds the API key; stored whole, so the key stays
   * bound to the URL, database and login it came with) and the options; health is re-probed.
   */
  async saveSettings(connection: Partial<OdooConnection> | undefined, options: BookingOptions): Promise<void> {
    if (connection) await this.ctx.settings.setJson(ODOO_SETTINGS, connection, { secret: true });
    await this.ctx.settings.setJson(OPTIONS_SETTINGS, options);
    await this.ctx.redis.del(this.healthKey);
    this.clients.clear();
  }

  clientFor(connection: OdooConnection): OdooClient {
    const key = connectionKey(connection);
    let client = this.clients.get(key);
    if (!client) {
      client = OdooClient.create(connection, {
        timeoutMs: this.ctx.config.odoo.timeoutMs,
        maxResponseBytes: this.ctx.config.odoo.maxResponseBytes,
        fetch: this.ctx.egress.fetch,
      });
      this.clients = new Map([[key, client]]);
    }
    return client;
  }

  async client(): Promise<OdooClient> {
    const connection = await this.connection();
    if (!connection) throw new OdooNotConfiguredError();
    return this.clientFor(connection);
  }

  /** "Test connection": version, login and the API user's name, or a code and a sentence of our own. */
  async test(candidate?: OdooConnection): Promise<TestResult> {
    const connection = candidate ?? (await this.connection());
    if (!connection) return { ok: false, ...describeTestFailure(new OdooNotConfiguredError()) };
    const client = candidate
      ? OdooClient.create(candidate, {
          timeoutMs: Math.min(this.ctx.config.odoo.timeoutMs, 10_000),
          maxResponseBytes: this.ctx.config.odoo.maxResponseBytes,
          fetch: this.ctx.egress.fetch,
        })
      : this.clientFor(connection);
    try {
      const version = await client.version();
      const user = await client.whoAmI();
      const sales = new OdooSales(client);
      const missing = await sales.missingRights(requiredRights(await this.options()));
      if (missing.length > 0) {
        const groups = [...new Set(missing.map((right) => right.group))];
        const names = await sales.groupNames(groups);
        const named = groups.map((group) => names.get(group) ?? GROUP_NAMES[group] ?? group);
        const what = missing.map((right) => `${right.operation} ${right.model}`).join(', ');
        const error = `The Odoo user "${user.login}" lacks access rights the sync needs (${what}). Add it to the group${named.length > 1 ? 's' : ''} ${named.map((name) => `"${name}"`).join(' and ')} in Odoo (Settings › Users).`;
        if (!candidate) await this.recordHealth(client.key, false, error);
        return { ok: false, code: 'missing_rights', error, missing_groups: named };
      }
      if (!candidate) await this.recordHealth(client.key, true, null);
      return { ok: true, version: version.server_version, user };
    } catch (error) {
      const failure = describeTestFailure(error);
      this.ctx.logger.warn({ err: error, code: failure.code, candidate: candidate !== undefined }, 'Odoo connection test failed');
      if (!candidate) await this.recordHealth(client.key, false, failure.error);
      return { ok: false, ...failure };
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

  /**
   * `/health` odoo_connection: null when not configured, else the last known state, probed again
   * (a short `version` + login) when older than HEALTH_TTL_MS, so an outage shows while it lasts
   * and its end shows without waiting for an order.
   */
  async health(): Promise<boolean | null> {
    const connection = await this.connection();
    if (!connection) return null;
    const key = connectionKey(connection);
    const known = await this.readHealth();
    if (known?.key === key && Date.now() - Date.parse(known.at) < HEALTH_TTL_MS) return known.ok;
    if (!known || known.key !== key) return (await this.test()).ok;
    // Known rights problems stay until a test or a sync says otherwise; reachability is re-probed.
    const client = OdooClient.create(connection, {
      timeoutMs: Math.min(this.ctx.config.odoo.timeoutMs, 5_000),
      maxResponseBytes: this.ctx.config.odoo.maxResponseBytes,
      fetch: this.ctx.egress.fetch,
    });
    try {
      await client.version();
      await client.authenticate();
      // Reachable again: an outage is over; a refusal (rights, login) stays until fixed.
      const wasOutage = !known.ok && /did not answer|answered HTTP (5\d\d|429)|unreadable answer|concurrent update/i.test(known.error ?? '');
      const ok = known.ok || wasOutage;
      await this.recordHealth(key, ok, ok ? null : known.error);
      return ok;
    } catch (error) {
      await this.recordHealth(key, false, error instanceof Error ? error.message : String(error));
      return false;
    }
  }

  /** Access denied: the connector goes unhealthy and admins hear about it once. */
  async accessDenied(key: string, error: OdooAccessDeniedError): Promise<void> {
    const known = await this.readHealth();
    await this.recordHealth(key, false, error.message);
    this.clients.delete(key);
    if (known?.key === key && known.ok === false) return;
    await this.alert(
      'Sync Hub: Odoo denied access',
      `${error.message}\n\nBookings are not reaching Odoo until the connection is fixed on the Bookings page; failed orders can be retried from there.`,
    );
  }

  async alert(subject: string, text: string): Promise<void> {
    this.ctx.logger.error({ alert: subject }, text);
    const { smtpUrl, adminEmails } = this.ctx.config.mail;
    if (!smtpUrl || adminEmails.length === 0) return;
    try {
      // Loaded on the first alert: a worker without SMTP never holds nodemailer in memory.
      const { createTransport } = await import('nodemailer');
      await createTransport(smtpUrl).sendMail({ from: adminEmails[0], to: adminEmails.join(', '), subject, text });
    } catch (error) {
      this.ctx.logger.warn({ err: error }, 'could not send the alert mail');
    }
  }
}
