// Drill fault 4 (Odoo unreachable for longer than the retry budget): the orders that ran out of
// it were dead letters the sweep skipped, so they waited for a person's "sync all" after Odoo came
// back. The sweep now retries those whose last error was Odoo being unavailable (main made the
// same fix, and added an outage budget before the dead letter) — and still leaves the ones Odoo
// refused (validation, access denied) to a person.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { wcOrder } from './fixtures';
import { startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  // An outage budget of 3.6 s (BOOKINGS_OUTAGE_MAX_HOURS) makes the dead letter quickly.
  h = await startHarness({ env: { BOOKINGS_RETRY_ATTEMPTS: '2', BOOKINGS_OUTAGE_MAX_HOURS: '0.001' } });
});
afterAll(async () => {
  await h?.dispose();
});

describe('bookings after an Odoo outage longer than the retries', () => {
  it('the sweep syncs the orders that failed while Odoo was unreachable, once each', async () => {
    for (const match of ['common.version', 'common.authenticate', 'object.execute_kw']) h.odoo.inject({ match, kind: 'http500', times: 10_000 });
    expect((await h.post(wcOrder(8101))).status).toBe(202);
    expect((await h.post(wcOrder(8102))).status).toBe(202);
    const failed = await h.waitForOrder(8101, 'failed', 60_000);
    expect(failed.error_kind).toBe('unavailable');
    await h.waitForOrder(8102, 'failed', 60_000);
    // An order Odoo refused (as if it had) stays a dead letter for a person.
    await h.runtime.ctx.db.updateTable('synchub_bookings_orders').set({ error_kind: 'validation' }).where('wc_order_id', '=', 8102).execute();

    h.odoo.clearFailures();
    // Both dead letters last touched a while ago (the sweep skips orders a live job may hold).
    await h.runtime.ctx.db
      .updateTable('synchub_bookings_orders')
      .set({ updated_at: sql`CURRENT_TIMESTAMP(3) - INTERVAL 10 MINUTE` })
      .where('wc_order_id', 'in', [8101, 8102])
      .execute();
    expect(await h.service().sweep()).toMatchObject({ enqueued: 1 });
    await h.waitForOrder(8101, 'synced', 20_000);
    expect(h.saleOrders('WC-8101')).toHaveLength(1);
    expect(h.saleOrders('WC-8102')).toHaveLength(0);
    expect(
      (await h.runtime.ctx.db.selectFrom('synchub_bookings_orders').select('status').where('wc_order_id', '=', 8102).executeTakeFirstOrThrow()).status,
    ).toBe('failed');
  }, 180_000);
});
