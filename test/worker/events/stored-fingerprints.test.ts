import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createEventsDomain } from '../../../worker/src/events';
import { storedFingerprints } from '../../../worker/src/events/sync/tickets';
import { startTestRuntime, type TestRuntime } from '../../support/runtime';

let runtime: TestRuntime;

beforeAll(async () => {
  runtime = await startTestRuntime({ domains: [createEventsDomain], processJobs: false });
});
afterAll(async () => {
  await runtime?.dispose();
});

const fingerprint = (id: number) => id.toString(16).padStart(64, '0');

async function storeOrder(
  configurationId: number,
  orderId: number,
  fields: { status?: 'active' | 'void'; tickets?: number; fingerprint?: string | null } = {},
) {
  await runtime.ctx.db
    .insertInto('synchub_event_ticket_orders')
    .values({
      configuration_id: configurationId,
      event_id: 1,
      woocommerce_order_id: orderId,
      status: fields.status ?? 'active',
      source_status: 'completed',
      currency: 'EUR',
      subtotal: '10.00',
      tax: '0.00',
      service_fee: '0.50',
      total: '10.50',
      buyer_name: 'Ana',
      buyer_email: 'ana@example.com',
      content_hash: 'c'.repeat(64),
      source_fingerprint: fields.fingerprint === undefined ? fingerprint(orderId) : fields.fingerprint,
      ticket_count: fields.tickets ?? 2,
    })
    .execute();
}

async function skipOrder(configurationId: number, orderId: number) {
  await runtime.ctx.db
    .insertInto('synchub_event_skipped_orders')
    .values({ configuration_id: configurationId, woocommerce_order_id: orderId, source_fingerprint: fingerprint(orderId) })
    .execute();
}

describe('storedFingerprints (what a forced re-scan compares a page against)', () => {
  it('answers for the page’s orders only, though it reads their id range', async () => {
    for (const id of [100, 101, 102, 104, 107, 110]) await storeOrder(1, id);
    await storeOrder(1, 103, { status: 'void', tickets: 0 });
    await storeOrder(1, 105, { fingerprint: null });
    await skipOrder(1, 106);
    await skipOrder(1, 108);
    // Another configuration's orders in the same range are not this one's.
    await storeOrder(2, 109);

    const page = [101, 103, 105, 106, 109, 110];
    const stored = await storedFingerprints(runtime.ctx.db, 1, page);
    expect([...stored.keys()].sort((a, b) => a - b)).toEqual([101, 103, 106, 110]);
    expect(stored.get(101)).toEqual({ fingerprint: fingerprint(101), active: true, tickets: 2 });
    expect(stored.get(103)).toEqual({ fingerprint: fingerprint(103), active: false, tickets: 0 });
    expect(stored.get(106)).toEqual({ fingerprint: fingerprint(106), active: false, tickets: 0 });
    // 102, 104, 107 and 108 lie in the range but are not on the page; 105 has no fingerprint (always re-read).
    for (const id of [102, 104, 105, 107, 108, 109]) expect(stored.has(id)).toBe(false);
  });

  it('prefers a stored order to a skipped row of the same id, and answers nothing for an empty page', async () => {
    await storeOrder(3, 200, { tickets: 4 });
    await skipOrder(3, 200);
    expect(await storedFingerprints(runtime.ctx.db, 3, [200])).toEqual(new Map([[200, { fingerprint: fingerprint(200), active: true, tickets: 4 }]]));
    expect(await storedFingerprints(runtime.ctx.db, 3, [])).toEqual(new Map());
  });
});
