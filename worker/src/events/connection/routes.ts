import type { Router } from 'express';
import { z } from 'zod';

import { resolveWooDbConfig, WOO_DB_SETTINGS_KEY, wooDbConfigSchema, type WooDbConfig } from '../../connectors/woocommerce-db/config';
import { probeConnection } from '../../connectors/woocommerce-db/probe';
import type { AppContext } from '../../core/domain';
import { route, type RouteContract } from '../../core/http/contract';
import { HttpError } from '../../core/http/errors';
import { createRouter, slashOptional } from '../../core/http/routes';
import { recordStoreHealth } from './health';

const PATH = '/api/v1/sync-woocommerce/store-connection/';

const secret = z.string().min(1).max(20_000).optional();
/** What wp-admin sends; secrets left out keep the saved ones, for the same host and user only. */
const connectionBody = z
  .object({
    host: z.string().trim().min(1, 'the database host is required').max(255),
    port: z.number().int().min(1).max(65535).default(3306),
    user: z.string().trim().min(1, 'the database user is required').max(100),
    password: secret,
    database: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_$-]+$/, 'expected a database name')
      .max(64),
    table_prefix: z
      .string()
      .regex(/^[A-Za-z0-9_]*$/, 'letters, digits and underscores only')
      .max(32)
      .default('wp_'),
    ssh: z
      .object({
        host: z.string().trim().min(1, 'the SSH host is required').max(255),
        port: z.number().int().min(1).max(65535).default(22),
        username: z.string().trim().min(1, 'the SSH user is required').max(100),
        password: secret,
        private_key: secret,
        passphrase: secret,
        host_key: z.string().trim().max(100).optional(),
      })
      .strict()
      .nullable()
      .default(null),
  })
  .strict();
type ConnectionBody = z.infer<typeof connectionBody>;

const invalid = (field: string, message: string) => new HttpError(400, 'validation_error', 'The request is not valid.', { fields: { [field]: [message] } });

/**
 * The connection a body describes, with saved secrets filled in only where the body names the
 * same host, port and user they were saved with (a saved secret never travels to a new place).
 */
function candidate(body: ConnectionBody, saved: WooDbConfig | undefined): WooDbConfig {
  const sameDb = saved !== undefined && saved.host === body.host && saved.port === body.port && saved.user === body.user && saved.database === body.database;
  const savedSsh = saved?.ssh;
  const sameSsh =
    body.ssh !== null &&
    savedSsh !== undefined &&
    savedSsh.host === body.ssh.host &&
    savedSsh.port === body.ssh.port &&
    savedSsh.username === body.ssh.username;
  let ssh: WooDbConfig['ssh'];
  if (body.ssh) {
    const keep = (given: string | undefined, stored: string | undefined) => given ?? (sameSsh ? stored : undefined);
    ssh = {
      host: body.ssh.host,
      port: body.ssh.port,
      username: body.ssh.username,
      password: keep(body.ssh.password, savedSsh?.password),
      privateKey: keep(body.ssh.private_key, savedSsh?.privateKey),
      passphrase: keep(body.ssh.passphrase, savedSsh?.passphrase),
      hostKey: body.ssh.host_key || undefined,
      readyTimeoutMs: savedSsh?.readyTimeoutMs ?? 10_000,
    };
    if (!ssh.password && !ssh.privateKey)
      throw invalid(
        'ssh.password',
        sameSsh ? 'give the SSH password or a private key' : 'the SSH server or user changed: give its password or private key again',
      );
  }
  if (body.password === undefined && saved?.password && !sameDb) {
    throw invalid('password', 'the database host, user or name changed: give its password again');
  }
  const parsed = wooDbConfigSchema.safeParse({
    host: body.host,
    port: body.port,
    user: body.user,
    password: body.password ?? (sameDb ? saved?.password : undefined),
    database: body.database,
    tablePrefix: body.table_prefix,
    ssh,
  });
  if (!parsed.success) {
    const fields: Record<string, string[]> = {};
    for (const issue of parsed.error.issues)
      (fields[issue.path.join('.').replace('hostKey', 'host_key').replace('tablePrefix', 'table_prefix')] ??= []).push(issue.message);
    throw new HttpError(400, 'validation_error', 'The request is not valid.', { fields });
  }
  return parsed.data;
}

/** Secrets never leave the worker: the page sees whether each one is set. */
function view(config: WooDbConfig | undefined, source: 'settings' | 'environment') {
  return {
    source,
    host: config?.host ?? '',
    port: config?.port ?? 3306,
    user: config?.user ?? '',
    database: config?.database ?? '',
    table_prefix: config?.tablePrefix ?? 'wp_',
    has_password: Boolean(config?.password),
    ssh: config?.ssh
      ? {
          host: config.ssh.host,
          port: config.ssh.port,
          username: config.ssh.username,
          has_password: Boolean(config.ssh.password),
          has_private_key: Boolean(config.ssh.privateKey),
          has_passphrase: Boolean(config.ssh.passphrase),
          host_key: config.ssh.hostKey ?? null,
        }
      : null,
  };
}

const connectionView = z.object({
  source: z.enum(['settings', 'environment']),
  host: z.string(),
  port: z.number().int(),
  user: z.string(),
  database: z.string(),
  table_prefix: z.string(),
  has_password: z.boolean(),
  ssh: z
    .object({
      host: z.string(),
      port: z.number().int(),
      username: z.string(),
      has_password: z.boolean(),
      has_private_key: z.boolean(),
      has_passphrase: z.boolean(),
      host_key: z.string().nullable(),
    })
    .nullable(),
});

export const STORE_CONNECTION_ROUTES = {
  get: {
    method: 'GET',
    path: slashOptional(PATH),
    tag: 'events',
    auth: 'admin',
    summary: 'The store database connection in force (saved, else from the environment); secrets only as `has_…`.',
    responses: { 200: { description: 'The connection.', schema: connectionView } },
  },
  put: {
    method: 'PUT',
    path: slashOptional(PATH),
    tag: 'events',
    auth: 'admin',
    summary: 'Saves the store database connection (SSH included), sealed; secrets left out keep the saved ones for the same host and user only.',
    body: connectionBody,
    responses: { 200: { description: 'Saved.', schema: connectionView }, 400: '`validation_error`, e.g. a new host without its password.' },
  },
  delete: {
    method: 'DELETE',
    path: slashOptional(PATH),
    tag: 'events',
    auth: 'admin',
    summary: 'Forgets the saved connection (the environment’s applies again).',
    responses: { 204: 'Forgotten.' },
  },
  test: {
    method: 'POST',
    path: slashOptional(`${PATH}test/`),
    tag: 'events',
    auth: 'admin',
    summary: 'Tests the connection in the body (unsaved), else the one in force; SSH and MySQL reported apart.',
    description: 'An empty body tests the connection in force and records the outcome for `GET /health`.',
    body: connectionBody,
    responses: {
      200: { description: 'The probe (`ok`, `ssh`, `mysql`).', schema: z.looseObject({ ok: z.boolean() }) },
      400: '`validation_error`.',
      409: '`source_not_configured`: no body, and no connection in force.',
    },
  },
} satisfies Record<string, RouteContract>;

/** The store's database connection (SSH included), settable and testable from wp-admin, sealed at rest. */
export function storeConnectionRouter(ctx: AppContext): Router {
  const router = createRouter();
  const saved = async (): Promise<WooDbConfig | undefined> => {
    return ctx.settings.saved(WOO_DB_SETTINGS_KEY, wooDbConfigSchema);
  };

  route(router, STORE_CONNECTION_ROUTES.get, async (_req, res) => {
    const own = await saved();
    if (own) return void res.json(view(own, 'settings'));
    const env = await resolveWooDbConfig(ctx.config).catch(() => undefined);
    res.json(view(env?.success ? env.data : undefined, 'environment'));
  });

  route(router, STORE_CONNECTION_ROUTES.put, async (req, res, input) => {
    const body = input.body(req.body ?? {});
    const config = candidate(body, await saved());
    await ctx.settings.setJson(WOO_DB_SETTINGS_KEY, config, { secret: true });
    res.json(view(config, 'settings'));
  });

  route(router, STORE_CONNECTION_ROUTES.delete, async (_req, res) => {
    await ctx.settings.delete(WOO_DB_SETTINGS_KEY);
    res.status(204).end();
  });

  /** Tests the connection in the body (unsaved), else the one in force; SSH and MySQL reported apart. */
  route(router, STORE_CONNECTION_ROUTES.test, async (req, res, input) => {
    const hasBody = typeof req.body === 'object' && req.body !== null && Object.keys(req.body as object).length > 0;
    let config: WooDbConfig;
    if (hasBody) config = candidate(input.body(), await saved());
    else {
      const resolved = await resolveWooDbConfig(ctx.config, ctx.settings);
      if (!resolved.success) throw new HttpError(409, 'source_not_configured', 'The store database is not configured (WOOCOMMERCE_MYSQL_* or the settings).');
      config = resolved.data;
    }
    const probe = await probeConnection(config);
    if (!hasBody) await recordStoreHealth(ctx, config, probe.ok);
    res.json(probe);
  });

  return router;
}
