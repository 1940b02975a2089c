import type { Router } from 'express';
import { z } from 'zod';

import { resolveWooDbConfig } from '../connectors/woocommerce-db/config';
import { WooDbError } from '../connectors/woocommerce-db/errors';
import { probeConnection } from '../connectors/woocommerce-db/probe';
import type { AppContext } from '../core/domain';
import { route, type RouteContract } from '../core/http/contract';
import { HttpError, notFound } from '../core/http/errors';
import { createRouter, slashOptional } from '../core/http/routes';
import { ConfigurationStore } from './store';
import { enqueueRun, startExecution } from './jobs';
import { paidStatusesOf, type SyncDeps } from './sync/run';
import { DEFAULT_TIER_TEMPLATES } from './rules';
import { configurationInput, executionsQuery, idParam, triggerBody, type CompleteConfiguration, type ConfigurationInput } from './validation';
import { configurationView, executionView } from './views';

const BASE = '/api/v1/sync-woocommerce';

/** Connector failures as clear HTTP errors (the worker's own failures stay 500). */
export function sourceHttpError(error: unknown): unknown {
  if (!(error instanceof WooDbError)) return error;
  const status = error.code === 'not_woocommerce' ? 422 : 503;
  return new HttpError(status, error.code, error.message);
}

const isComplete = (input: ConfigurationInput): input is CompleteConfiguration =>
  input.event_name !== undefined && input.organizer_email !== undefined && input.organizer_name !== undefined && Boolean(input.tier_name_template);

const configuration = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  woocommerce_product_id: z.number().int(),
  is_active: z.boolean(),
  is_paused: z.boolean(),
});
const execution = z.looseObject({ id: z.number().int(), configuration_id: z.number().int(), status: z.string() });
const list = <T extends z.ZodType>(item: T) => z.object({ count: z.number().int(), results: z.array(item) });
const STORE_UNREACHABLE = 'The store database could not be reached (`source_unreachable` and the other connector codes).';
const NO_CONFIGURATION = 'No such configuration.';

const admin = { tag: 'events', auth: 'admin' } as const;

export const CONFIGURATION_ROUTES = {
  list: {
    ...admin,
    method: 'GET',
    path: slashOptional(`${BASE}/configurations/`),
    summary: 'Events configurations (one per WooCommerce event product).',
    responses: { 200: { description: 'Every configuration.', schema: list(configuration) } },
  },
  create: {
    ...admin,
    method: 'POST',
    path: slashOptional(`${BASE}/configurations/`),
    summary: 'Creates a configuration; the product must exist in the store, and what is left out (event name, organizer, tier template) is read from it.',
    body: configurationInput,
    responses: {
      201: { description: 'Created.', schema: configuration },
      400: '`validation_error`, e.g. no such product in the store.',
      422: '`not_woocommerce`: the database is not a WooCommerce store.',
      503: STORE_UNREACHABLE,
    },
  },
  get: {
    ...admin,
    method: 'GET',
    path: slashOptional(`${BASE}/configurations/:id/`),
    summary: 'One configuration.',
    params: idParam,
    responses: { 200: { description: 'The configuration.', schema: configuration }, 400: '`validation_error`: not a numeric id.', 404: NO_CONFIGURATION },
  },
  update: {
    ...admin,
    method: 'PUT',
    path: slashOptional(`${BASE}/configurations/:id/`),
    summary: 'Updates a configuration: fields left out keep their value (the body is merged over the current one, then validated whole).',
    params: idParam,
    body: configurationInput,
    responses: {
      200: { description: 'Updated.', schema: configuration },
      400: '`validation_error`.',
      404: NO_CONFIGURATION,
      422: '`not_woocommerce`.',
      503: STORE_UNREACHABLE,
    },
  },
  delete: {
    ...admin,
    method: 'DELETE',
    path: slashOptional(`${BASE}/configurations/:id/`),
    summary: 'Deletes a configuration; a running sync of it is cancelled.',
    params: idParam,
    responses: { 204: 'Deleted.', 400: '`validation_error`.', 404: NO_CONFIGURATION },
  },
  trigger: {
    ...admin,
    method: 'POST',
    path: slashOptional(`${BASE}/configurations/:id/trigger_sync/`),
    summary: 'Starts a sync of one configuration now: incremental, or `full`.',
    params: idParam,
    body: triggerBody,
    responses: {
      202: { description: 'The execution started.', schema: execution },
      400: '`validation_error`.',
      404: NO_CONFIGURATION,
      409: '`paused`, `inactive` or `already_running`.',
    },
  },
  pause: {
    ...admin,
    method: 'POST',
    path: slashOptional(`${BASE}/configurations/:id/pause_sync/`),
    summary: 'Pauses a configuration: its running sync stops at the next checkpoint.',
    params: idParam,
    responses: { 200: { description: 'Paused.', schema: configuration }, 400: '`validation_error`.', 404: NO_CONFIGURATION },
  },
  resume: {
    ...admin,
    method: 'POST',
    path: slashOptional(`${BASE}/configurations/:id/resume_sync/`),
    summary: 'Resumes a paused configuration; the run stopped by the pause continues from its checkpoint.',
    params: idParam,
    responses: {
      200: {
        description: 'Resumed, with the execution continued (or null).',
        schema: configuration.extend({ resumed_execution_id: z.number().int().nullable() }),
      },
      400: '`validation_error`.',
      404: NO_CONFIGURATION,
    },
  },
  testConnection: {
    ...admin,
    method: 'POST',
    path: slashOptional(`${BASE}/configurations/:id/test_connection/`),
    summary: 'Tests the store connection for one configuration: SSH, MySQL, the product, its paid orders; each reported on its own.',
    params: idParam,
    responses: {
      200: {
        description: 'The report (`ok` and what failed).',
        schema: z.looseObject({ ok: z.boolean(), database_reachable: z.boolean(), product_found: z.boolean() }),
      },
      400: '`validation_error`.',
      404: NO_CONFIGURATION,
    },
  },
  executions: {
    ...admin,
    method: 'GET',
    path: slashOptional(`${BASE}/executions/`),
    summary: 'Sync executions, newest first, by configuration and status.',
    query: executionsQuery,
    responses: { 200: { description: 'One page of executions.', schema: list(execution) }, 400: '`validation_error`.' },
  },
  execution: {
    ...admin,
    method: 'GET',
    path: slashOptional(`${BASE}/executions/:id/`),
    summary: 'One sync execution with its progress.',
    params: idParam,
    responses: { 200: { description: 'The execution.', schema: execution }, 400: '`validation_error`.', 404: 'No such execution.' },
  },
} satisfies Record<string, RouteContract>;

export function configurationsRouter(ctx: AppContext, deps: SyncDeps): Router {
  const router = createRouter();
  const store = new ConfigurationStore(ctx.db);

  const load = async (id: number) => {
    const row = await store.find(id);
    if (!row) throw notFound(`No events configuration ${id}.`);
    return row;
  };

  const invalid = (field: string, message: string) => new HttpError(400, 'validation_error', 'The request is not valid.', { fields: { [field]: [message] } });

  /**
   * The product must exist in the store before anything is written; what the request left out is
   * read from the store through the same connection (event name = product name, organizer = the
   * store's admin), and the tier template defaults to the configured locale's.
   */
  const complete = async (input: ConfigurationInput): Promise<CompleteConfiguration> => {
    const woo = await deps.openWooDb().catch((error: unknown) => Promise.reject(sourceHttpError(error)));
    try {
      const products = await woo.findProduct(input.woocommerce_product_id);
      const product = products.find((entry) => entry.id === input.woocommerce_product_id);
      if (!product) throw invalid('woocommerce_product_id', `No WooCommerce product or variation with id ${input.woocommerce_product_id}.`);
      const needsAdmin = input.organizer_email === undefined || input.organizer_name === undefined;
      const admin = needsAdmin ? await woo.storeAdmin() : null;
      const organizerEmail = input.organizer_email ?? admin?.email;
      if (!organizerEmail) throw invalid('organizer_email', 'The store has no admin email to default to: give organizer_email.');
      return {
        ...input,
        event_name: input.event_name ?? product.name.slice(0, 191),
        organizer_email: organizerEmail,
        organizer_name: input.organizer_name ?? (admin?.name || organizerEmail).slice(0, 191),
        tier_name_template: input.tier_name_template || DEFAULT_TIER_TEMPLATES[ctx.config.events.emailLocale],
      };
    } catch (error) {
      throw sourceHttpError(error);
    } finally {
      await woo.close();
    }
  };

  const columns = (input: CompleteConfiguration) => ({
    ...input,
    service_fee_percentage: input.service_fee_percentage.toFixed(2),
    is_active: input.is_active ? 1 : 0,
    is_migration: input.is_migration ? 1 : 0,
    paid_statuses: JSON.stringify([...new Set(input.paid_statuses)]),
  });

  route(router, CONFIGURATION_ROUTES.list, async (_req, res) => {
    const rows = await store.list();
    res.json({ count: rows.length, results: rows.map(configurationView) });
  });

  route(router, CONFIGURATION_ROUTES.create, async (req, res, request) => {
    const input = await complete(request.body(req.body ?? {}));
    res.status(201).json(configurationView(await store.create(columns(input))));
  });

  route(router, CONFIGURATION_ROUTES.get, async (_req, res, input) => {
    res.json(configurationView(await load(input.params().id)));
  });

  route(router, CONFIGURATION_ROUTES.update, async (req, res, request) => {
    const { id } = request.params();
    const current = configurationView(await load(id));
    const body = typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>) : {};
    const { id: _id, is_paused: _paused, last_sync_at: _last, created_at: _created, updated_at: _updated, ...editable } = current;
    const parsed = request.body({ ...editable, ...body });
    // Unchanged product and nothing to default: no store round trip.
    const input = parsed.woocommerce_product_id === current.woocommerce_product_id && isComplete(parsed) ? parsed : await complete(parsed);
    await store.update(current.id, columns(input));
    res.json(configurationView(await load(id)));
  });

  route(router, CONFIGURATION_ROUTES.delete, async (_req, res, input) => {
    const row = await load(input.params().id);
    await store.delete(row.id);
    res.status(204).end();
  });

  route(router, CONFIGURATION_ROUTES.trigger, async (req, res, input) => {
    const row = await load(input.params().id);
    const body = input.body(req.body ?? {});
    if (row.is_paused) throw new HttpError(409, 'paused', 'This configuration is paused; resume it first.');
    if (!row.is_active) throw new HttpError(409, 'inactive', 'This configuration is not active.');
    const id = await startExecution(ctx, row, 'manual', { full: body.full });
    if (id === null) throw new HttpError(409, 'already_running', 'A sync of this configuration is already running.');
    const execution = await store.execution(id);
    if (!execution) throw notFound(`No execution ${id}.`);
    res.status(202).json(executionView(execution));
  });

  route(router, CONFIGURATION_ROUTES.pause, async (_req, res, input) => {
    const row = await load(input.params().id);
    await store.setPaused(row.id, true);
    res.json(configurationView(await load(row.id)));
  });

  route(router, CONFIGURATION_ROUTES.resume, async (_req, res, input) => {
    const row = await load(input.params().id);
    await store.setPaused(row.id, false);
    // The run stopped by the pause continues from its checkpoint.
    const resumed = await store.reopenPausedRun(row.id);
    if (resumed !== null) await enqueueRun(ctx, resumed, `-resume-${Date.now()}`);
    res.json({ ...configurationView(await load(row.id)), resumed_execution_id: resumed });
  });

  route(router, CONFIGURATION_ROUTES.testConnection, async (_req, res, input) => {
    const row = await load(input.params().id);
    const report: Record<string, unknown> = {
      ok: false,
      database_reachable: false,
      storage_mode: null,
      product_found: false,
      product_name: null,
      matching_paid_orders: null,
      ssh: null,
      mysql: null,
    };
    // The SSH hop and MySQL, each reported on its own, before the product checks.
    const resolved = await resolveWooDbConfig(ctx.config, ctx.settings).catch((error: unknown) => Promise.reject(sourceHttpError(error)));
    if (resolved.success) {
      const probe = await probeConnection(resolved.data);
      report.ssh = probe.ssh;
      report.mysql = probe.mysql;
      if (!probe.ok) {
        report.error = probe.ssh?.error ?? probe.mysql.error;
        return void res.json(report);
      }
    }
    let woo;
    try {
      woo = await deps.openWooDb();
      const source = await woo.source();
      report.database_reachable = true;
      report.storage_mode = source.mode;
      const products = await woo.findProduct(row.woocommerce_product_id);
      report.product_found = products.length > 0;
      report.product_name = products.find((product) => product.id === row.woocommerce_product_id)?.name ?? null;
      if (products.length > 0) {
        report.matching_paid_orders = await source.countOrders({ productIds: products.map((product) => product.id) }, paidStatusesOf(row));
        report.ok = true;
      } else {
        report.error = { code: 'product_not_found', message: `No WooCommerce product or variation with id ${row.woocommerce_product_id}.` };
      }
    } catch (error) {
      if (!(error instanceof WooDbError)) throw error;
      report.database_reachable = error.code === 'not_woocommerce';
      report.error = { code: error.code, message: error.message };
    } finally {
      await woo?.close();
    }
    res.json(report);
  });

  route(router, CONFIGURATION_ROUTES.executions, async (_req, res, input) => {
    const { count, rows } = await store.executions(input.query());
    res.json({ count, results: rows.map((row) => executionView(row)) });
  });

  route(router, CONFIGURATION_ROUTES.execution, async (_req, res, input) => {
    const { id } = input.params();
    const row = await store.execution(id);
    if (!row) throw notFound(`No execution ${id}.`);
    res.json(executionView(row));
  });

  return router;
}
