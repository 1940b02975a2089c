import type { SiigoClient } from '../../connectors/siigo/client';
import { WEBHOOK_TOPICS, type SiigoSubscription } from '../../connectors/siigo/schemas';
import type { AppContext } from '../../core/domain';
import type { Db } from '../../core/db';
import { SETTING, webhookKey } from '../settings';

const RECEIVE_PATH = 'api/webhooks/receive';

/**
 * The callback URL SIIGO is given; the unguessable key sits in the path. `WEBHOOK_BASE_URL` may be
 * the site (`https://shop.example`), the original stock service's form (`…/api/webhooks`), or the
 * receive endpoint itself (`…/api/webhooks/receive`): all three give the same URL.
 */
export function callbackUrl(baseUrl: string, key: string): string {
  const base = new URL(baseUrl);
  const path = base.pathname.replace(/\/+$/, '');
  const suffix = /\/api\/webhooks\/receive$/.test(path) ? '' : /\/api\/webhooks$/.test(path) ? 'receive/' : `${RECEIVE_PATH}/`;
  base.pathname = `${path}/${suffix}${encodeURIComponent(key)}`;
  base.search = '';
  base.hash = '';
  return base.toString();
}

const masked = (url: string, key: string): string => (key ? url.split(key).join('••••') : url);
const isOurs = (subscription: SiigoSubscription): boolean => subscription.url.includes(`/${RECEIVE_PATH}`);

export interface LocalSubscription {
  id: string;
  topic: string;
  url: string;
  ours: boolean;
  company_key: string | null;
  active: boolean;
  created_at: string | null;
  recorded_at: string;
}

/** Replaces the local copy with what SIIGO holds now (our key masked in every URL). */
export async function recordSubscriptions(ctx: AppContext, items: readonly SiigoSubscription[]): Promise<void> {
  const key = await webhookKey(ctx);
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('synchub_stock_webhook_subscriptions').execute();
    if (items.length === 0) return;
    await trx
      .insertInto('synchub_stock_webhook_subscriptions')
      .values(
        items.map((item) => ({
          id: item.id.slice(0, 64),
          topic: item.topic.slice(0, 100),
          url: masked(item.url, key).slice(0, 2048),
          is_ours: isOurs(item) ? 1 : 0,
          company_key: item.company_key?.slice(0, 191) ?? null,
          active: item.active === false ? 0 : 1,
          created_at: item.created_at?.slice(0, 40) ?? null,
        })),
      )
      .execute();
  });
}

export async function localSubscriptions(db: Db): Promise<LocalSubscription[]> {
  const rows = await db.selectFrom('synchub_stock_webhook_subscriptions').selectAll().orderBy('topic').orderBy('id').execute();
  return rows.map((row) => ({
    id: row.id,
    topic: row.topic,
    url: row.url,
    ours: Boolean(row.is_ours),
    company_key: row.company_key,
    active: Boolean(row.active),
    created_at: row.created_at,
    recorded_at: row.recorded_at.toISOString(),
  }));
}

/** Whether every product topic has an active subscription of ours, as last recorded. */
export async function webhooksConfigured(db: Db): Promise<boolean> {
  const rows = await db.selectFrom('synchub_stock_webhook_subscriptions').select('topic').where('is_ours', '=', 1).where('active', '=', 1).execute();
  const topics = new Set(rows.map((row) => row.topic));
  return WEBHOOK_TOPICS.every((topic) => topics.has(topic));
}

/**
 * Subscribes the three product topics at our callback URL (listing first: SIIGO may refuse a
 * duplicate), replaces subscriptions of ours that point at an old URL, remembers the company_key
 * SIIGO reports, and records the result locally.
 */
export async function setupSubscriptions(
  ctx: AppContext,
  siigo: SiigoClient,
  input: { baseUrl: string; applicationId: string },
): Promise<{ created: SiigoSubscription[]; kept: SiigoSubscription[]; removed: string[] }> {
  const url = callbackUrl(input.baseUrl, await webhookKey(ctx));
  const existing = await siigo.subscriptions();
  const kept = existing.filter((subscription) => subscription.url === url && (WEBHOOK_TOPICS as readonly string[]).includes(subscription.topic));
  const removed: string[] = [];
  for (const stale of existing.filter((subscription) => isOurs(subscription) && subscription.url !== url)) {
    await siigo.unsubscribe(stale.id);
    removed.push(stale.id);
  }
  const created: SiigoSubscription[] = [];
  for (const topic of WEBHOOK_TOPICS) {
    if (kept.some((subscription) => subscription.topic === topic)) continue;
    created.push(await siigo.subscribe({ applicationId: input.applicationId, topic, url }));
  }
  const companyKey = [...created, ...kept]
    .map((subscription) => subscription.company_key)
    .find((value): value is string => typeof value === 'string' && value !== '');
  if (companyKey) await ctx.settings.set(SETTING.companyKey, companyKey);
  await recordSubscriptions(ctx, [...existing.filter((subscription) => !removed.includes(subscription.id)), ...created]);
  return { created, kept, removed };
}
