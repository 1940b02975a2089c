import { createHash } from 'node:crypto';

import { sql } from 'kysely';
import { z } from 'zod';

import type { SiigoClient } from '../../connectors/siigo/client';
import { notificationChangedAt, readingFromProduct } from '../../connectors/siigo/mappers';
import { notificationSchema } from '../../connectors/siigo/schemas';
import { SiigoRequestError } from '../../connectors/siigo/errors';
import { safeEqual } from '../../core/crypto';
import type { AppContext } from '../../core/domain';
import type { Db } from '../../core/db';
import { loadEntries } from '../store';
import { isStaleNotification, webhookDedupeKey } from '../rules';
import type { WebhookLogStatus } from '../schema';
import { savedCredentials, SETTING, resolveWarehouses } from '../settings';
import type { StockWriter, WriteSummary } from '../sync/writer';

export const WEBHOOK_JOB = 'webhook';
export const MAX_LOGGED_PAYLOAD = 64 * 1024;

/** What the receive endpoint decided about one delivery. Unauthenticated ones leave no row. */
export type Verdict =
  | { status: 'accepted'; httpStatus: 202; logId: number }
  | { status: 'duplicate'; httpStatus: 200; logId: number }
  | { status: 'unauthenticated'; httpStatus: 401 }
  | { status: 'rejected'; httpStatus: 400 | 403; logId: number; code: string; message: string };

/** The simulated delivery of `POST /api/webhooks/test`. */
export const testWebhookSchema = z.object({
  product_id: z.string().trim().min(1).max(100),
  new_stock: z.number().int().min(0).max(1_000_000_000),
});

export interface LogInput {
  status: WebhookLogStatus;
  httpStatus: number;
  topic?: string | null;
  code?: string | null;
  siigoId?: string | null;
  companyKey?: string | null;
  dedupeKey?: string | null;
  message?: string | null;
  payload?: string | null;
}

export async function insertLog(db: Db, input: LogInput): Promise<number> {
  const result = await db
    .insertInto('synchub_stock_webhook_logs')
    .values({
      status: input.status,
      http_status: input.httpStatus,
      topic: input.topic?.slice(0, 100) ?? null,
      product_code: input.code?.slice(0, 100) ?? null,
      siigo_id: input.siigoId?.slice(0, 64) ?? null,
      company_key: input.companyKey?.slice(0, 191) ?? null,
      dedupe_key: input.dedupeKey ?? null,
      message: input.message?.slice(0, 2_000) ?? null,
      payload: input.payload === undefined || input.payload === null ? null : input.payload.slice(0, MAX_LOGGED_PAYLOAD),
      processed_at: input.status === 'received' ? null : new Date(),
    })
    .executeTakeFirstOrThrow();
  return Number(result.insertId);
}

export async function finishLog(db: Db, id: number, status: WebhookLogStatus, message: string | null): Promise<void> {
  await db
    .updateTable('synchub_stock_webhook_logs')
    .set({ status, message: message?.slice(0, 2_000) ?? null, processed_at: sql<Date>`CURRENT_TIMESTAMP(3)` })
    .where('id', '=', id)
    .execute();
}

/** Whether `key` is the callback key SIIGO was given (constant time). */
export async function isWebhookKey(ctx: AppContext, key: string | undefined): Promise<boolean> {
  const expected = await ctx.settings.get(SETTING.webhookKey);
  return Boolean(expected && key && safeEqual(key, expected));
}

/**
 * Checks one SIIGO delivery (key in the URL, JSON shape, company and API user) and logs it.
 * Nothing but the log is written here; the stock follows in job `webhook`. A call without the
 * right key writes nothing at all: anyone can make one, so logging them would let anyone fill the
 * table (the route answers them before reading the body; see webhooks/routes.ts).
 */
export async function receiveWebhook(ctx: AppContext, input: { key: string | undefined; rawBody: string }): Promise<Verdict> {
  if (!(await isWebhookKey(ctx, input.key))) return { status: 'unauthenticated', httpStatus: 401 };
  const reject = async (httpStatus: 400 | 403, code: string, message: string, extra: Partial<LogInput> = {}): Promise<Verdict> => {
    const logId = await insertLog(ctx.db, { status: 'rejected', httpStatus, message: `${code}: ${message}`, payload: input.rawBody, ...extra });
    return { status: 'rejected', httpStatus, logId, code, message };
  };

  let json: unknown;
  try {
    json = JSON.parse(input.rawBody) as unknown;
  } catch {
    return reject(400, 'malformed_json', 'The body is not valid JSON.');
  }
  const parsed = notificationSchema.safeParse(json);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => `${issue.path.join('.') || '_'}: ${issue.message}`).join('; ');
    return reject(400, 'invalid_notification', `Not a SIIGO product notification (${fields}).`);
  }
  const notification = parsed.data;
  const base = { topic: notification.topic, code: notification.code, siigoId: notification.id, companyKey: notification.company_key };
  const companyKey = await ctx.settings.get(SETTING.companyKey);
  if (companyKey && notification.company_key !== companyKey) return reject(403, 'wrong_company', 'The notification is for another SIIGO company.', base);
  const username = (await savedCredentials(ctx))?.username ?? ctx.config.siigo.username;
  if (username && notification.username && notification.username.toLowerCase() !== username.toLowerCase()) {
    return reject(403, 'wrong_user', 'The notification names another SIIGO API user.', base);
  }

  const dedupeKey = webhookDedupeKey({
    siigoId: notification.id,
    topic: notification.topic,
    changedAt: notificationChangedAt(notification),
    bodyHash: createHash('sha256').update(input.rawBody).digest('hex'),
  });
  const logId = await insertLog(ctx.db, { ...base, status: 'received', httpStatus: 202, dedupeKey, payload: input.rawBody });
  // The first row of a dedupe key wins, across requests and processes alike.
  const first = await ctx.db
    .selectFrom('synchub_stock_webhook_logs')
    .select((eb) => eb.fn.min('id').as('id'))
    .where('dedupe_key', '=', dedupeKey)
    .where('status', 'not in', ['duplicate', 'error'])
    .executeTakeFirst();
  if (first?.id !== undefined && first.id !== null && Number(first.id) !== logId) {
    await ctx.db
      .updateTable('synchub_stock_webhook_logs')
      .set({ status: 'duplicate', http_status: 200, message: `duplicate of delivery ${first.id}`, processed_at: sql<Date>`CURRENT_TIMESTAMP(3)` })
      .where('id', '=', logId)
      .execute();
    return { status: 'duplicate', httpStatus: 200, logId };
  }
  return { status: 'accepted', httpStatus: 202, logId };
}

export type WebhookOutcome = { status: 'processed' | 'ignored'; message: string; summary?: WriteSummary };

/**
 * Job `webhook`: re-reads the product from SIIGO (never trusting the pushed quantity) and writes
 * its stock if it changed. A notification older than the ledger needs no SIIGO call.
 */
export async function processWebhook(
  deps: { ctx: AppContext; siigo: () => Promise<SiigoClient>; writer: StockWriter },
  logId: number,
): Promise<WebhookOutcome> {
  const { ctx, writer } = deps;
  const row = await ctx.db.selectFrom('synchub_stock_webhook_logs').select(['id', 'status', 'payload', 'topic']).where('id', '=', logId).executeTakeFirst();
  if (!row || !row.payload || row.status !== 'received') return { status: 'ignored', message: 'no pending delivery' };
  if (row.topic === 'test') {
    const simulated = testWebhookSchema.parse(JSON.parse(row.payload));
    const entries = await loadEntries(ctx.db, [simulated.product_id]);
    const summary = await writer.apply(
      [
        {
          siigoId: `test:${simulated.product_id}`,
          code: simulated.product_id,
          name: '',
          quantity: simulated.new_stock,
          warehouses: [],
          changedAt: Math.max(Date.now(), (entries.get(simulated.product_id)?.siigoChangedAt ?? 0) + 1),
        },
      ],
      'manual',
    );
    return finish(ctx, logId, summary);
  }
  const notification = notificationSchema.parse(JSON.parse(row.payload));
  const entries = await loadEntries(ctx.db, [notification.code]);
  if (isStaleNotification(notificationChangedAt(notification), entries.get(notification.code))) {
    await finishLog(ctx.db, logId, 'ignored', 'older than the stock already written');
    return { status: 'ignored', message: 'stale' };
  }
  const siigo = await deps.siigo();
  let product;
  try {
    product = await siigo.getProduct(notification.id);
  } catch (error) {
    if (error instanceof SiigoRequestError && error.status === 404) {
      await finishLog(ctx.db, logId, 'ignored', 'the product no longer exists in SIIGO');
      return { status: 'ignored', message: 'not found' };
    }
    throw error;
  }
  const summary = await writer.apply([readingFromProduct(product, await resolveWarehouses(ctx))], 'webhook');
  return finish(ctx, logId, summary);
}

async function finish(ctx: AppContext, logId: number, summary: WriteSummary): Promise<WebhookOutcome> {
  const message =
    summary.written === 0
      ? summary.skippedStale > 0
        ? 'older than the stock already written'
        : 'stock unchanged'
      : summary.updated > 0
        ? 'stock updated'
        : summary.unknownSku > 0
          ? 'no WooCommerce product has this SKU'
          : 'the WooCommerce product does not manage stock';
  const status = summary.written === 0 ? 'ignored' : 'processed';
  await finishLog(ctx.db, logId, status, message);
  return { status, message, summary };
}
