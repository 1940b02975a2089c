/**
 * The conformance suite: the cases the real Odoo 17 and 18 pass (odoo-real.test.ts) run
 * unchanged against the fake Odoo (test/fakes/odoo), so the fake the fault-injection tests use
 * is shown to answer as the real servers do: taxes and amounts, currencies, the invoicing
 * wizard's marshal-None fault, date_order on confirmation, access rights, case-sensitive `=`.
 */
import { afterAll, beforeAll, describe } from 'vitest';

import { startFakeOdoo, type FakeOdoo } from '../../fakes/odoo/server';
import { targetFor } from '../../support/odoo-peer';
import { defineBookingCases } from './conformance/cases';
import { startCaseContext, type CaseContext } from './conformance/context';

describe.each([17, 18] as const)('bookings against the fake Odoo %i (conformance)', (version) => {
  let fake: FakeOdoo;
  let context: CaseContext;

  beforeAll(async () => {
    fake = await startFakeOdoo({ version });
    context = await startCaseContext(targetFor(version, fake.url, fake.db, fake.login, fake.apiKey));
  }, 120_000);
  afterAll(async () => {
    await context?.dispose();
    await fake?.close();
  });

  defineBookingCases(() => context);
});
