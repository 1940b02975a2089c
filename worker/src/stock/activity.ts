import type { ActivitySource } from '../core/activity/types';
import { countPerBucket } from '../core/activity/query';
import type { AppContext } from '../core/domain';
import { CHANGE_SOURCES } from './schema';

/** Stock changes written to WooCommerce per bucket, by where they came from (webhook, sweep, manual). */
export const stockActivity =
  (ctx: AppContext): ActivitySource =>
  async (window) => {
    const bySource = await countPerBucket(ctx.db, window, { table: 'synchub_stock_changes', column: 'created_at', groupBy: 'source' });
    return CHANGE_SOURCES.map((source) => ({ chart: 'stock_changes', key: source, values: bySource.get(source) ?? window.keys.map(() => 0) }));
  };
