import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createStockDomain } from '../../../worker/src/stock';
import { pruneStockLogs } from '../../../worker/src/stock/sync/retention';
import { startTestRuntime, type TestRuntime } from '../../support/runtime';

let runtime: TestRuntime;
beforeAll(async () => {
  runtime = await startTestRuntime({ domains: [createStockDomain], processJobs: false });
});
afterAll(async () => {
  await runtime?.dispose();
});

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);

async function seed(ages: number[]): Promise<void> {
  for (const age of ages) {
    await runtime.ctx.db
      .insertInto('synchub_stock_webhook_logs')
      .values({ topic: 'inventory', product_code: `P${age}`, status: 'processed', http_status: 200, received_at: daysAgo(age) })
      .execute();
    await runtime.ctx.db
      .insertInto('synchub_stock_changes')
      .values({ code: `P${age}`, name: '', new_quantity: age, source: 'webhook', result: 'updated', created_at: daysAgo(age) })
      .execute();
  }
}

const codes = async () => ({
  logs: (await runtime.ctx.db.selectFrom('synchub_stock_webhook_logs').select('product_code').orderBy('product_code').execute()).map((row) => row.product_code),
  changes: (await runtime.ctx.db.selectFrom('synchub_stock_changes').select('code').orderBy('code').execute()).map((row) => row.code),
});

describe('stock log retention', () => {
  it('keeps everything when retention is 0 days', async () => {
    await seed([1, 89, 91, 400]);
    expect(await pruneStockLogs(runtime.ctx.db, 0)).toEqual({ webhookLogs: 0, changes: 0 });
    expect((await codes()).logs).toHaveLength(4);
  });

  it('deletes webhook logs and changes older than the retention, and only those', async () => {
    expect(await pruneStockLogs(runtime.ctx.db, 90)).toEqual({ webhookLogs: 2, changes: 2 });
    expect(await codes()).toEqual({ logs: ['P1', 'P89'], changes: ['P1', 'P89'] });
  });

  it('runs every night through a job scheduler', async () => {
    const schedulers = await runtime.ctx.queues.get('stock').getJobSchedulers();
    expect(schedulers.find((scheduler) => scheduler.key === 'stock-prune')).toMatchObject({ name: 'prune', pattern: '30 3 * * *' });
  });
});
