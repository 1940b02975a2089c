/**
 * Bookings against real Odoo Community 17 and 18 (../shared/peers/odoo, started on loopback on a
 * fresh database copied from a cached template): every row of issue 17 as a case. Runs whenever
 * the peers are present (CI always has them); prints one "skipped: …" line when they are not.
 */
import { afterAll, beforeAll, describe } from 'vitest';

import { odooPeerMissing, startOdooPeer, type OdooPeer } from '../../support/odoo-peer';
import { defineBookingCases } from './conformance/cases';
import { startCaseContext, type CaseContext } from './conformance/context';

const missing = odooPeerMissing();
if (missing) console.log(`skipped: real Odoo 17/18 bookings suite — ${missing}`);

describe.skipIf(missing !== undefined).each([17, 18] as const)('bookings against real Odoo %i', (version) => {
  let peer: OdooPeer;
  let context: CaseContext;

  beforeAll(async () => {
    peer = await startOdooPeer(version, 'bk');
    context = await startCaseContext(peer);
  }, 600_000);
  afterAll(async () => {
    await context?.dispose();
    await peer?.stop();
  }, 60_000);

  defineBookingCases(() => context);
});
