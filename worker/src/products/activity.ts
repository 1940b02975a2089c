import type { ActivitySource } from '../core/activity/types';
import { countPerBucket } from '../core/activity/query';
import type { AppContext } from '../core/domain';

/** Product events received per bucket by type, and embeddings spent (chunks embedded). */
export const productsActivity =
  (ctx: AppContext): ActivitySource =>
  async (window) => {
    const [byType, chunks] = await Promise.all([
      countPerBucket(ctx.db, window, { table: 'synchub_product_events', column: 'received_at', groupBy: 'event_type' }),
      countPerBucket(ctx.db, window, { table: 'synchub_product_chunks', column: 'created_at' }),
    ]);
    const types = [...new Set(['product.created', 'product.updated', 'product.deleted', ...byType.keys()])].sort();
    return [
      ...types.map((type) => ({ chart: 'product_events', key: type, values: byType.get(type) ?? window.keys.map(() => 0) })),
      { chart: 'embeddings', key: 'chunks', values: chunks.get('all') ?? window.keys.map(() => 0) },
    ];
  };
