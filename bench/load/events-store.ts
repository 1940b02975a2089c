import type { FixtureSpec } from '../../test/fakes/woocommerce-db/data';
import type { WooFixture } from '../../test/fakes/woocommerce-db/fixture';

/** The store the events benchmarks sync: `paid` paid orders, 10% unpaid, 0.5% refunded, some ticket posts and FooEvents order meta. */
export const eventsStoreSpec = (paid: number): FixtureSpec => ({
  paidOrders: paid,
  unpaidOrders: Math.round(paid / 10),
  refundedOrders: Math.round(paid / 200),
  ticketPostShare: 0.02,
  orderMetaShare: 0.03,
  seed: 2026,
});

/**
 * Waits (at most a minute) until InnoDB has written out the fixture's pages: loading millions of
 * rows leaves most of the buffer pool dirty, and flushing it takes tens of seconds of the same
 * disk and cores. A store in use is not freshly bulk-loaded, so the sync is timed after that.
 */
export async function storeSettled(fixture: Pick<WooFixture, 'query'>): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < 60_000) {
    const [row] = await fixture.query<Array<{ dirty: number; total: number }>>(
      `SELECT (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'INNODB_BUFFER_POOL_PAGES_DIRTY') AS dirty,
              (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'INNODB_BUFFER_POOL_PAGES_TOTAL') AS total`,
    );
    if (!row || Number(row.dirty) <= Number(row.total) * 0.05) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return (Date.now() - started) / 1000;
}
