import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { InboundEventStore } from '../../../worker/src/core/intake/store';
import { startTestRuntime, type TestRuntime } from '../../support/runtime';

let runtime: TestRuntime;
beforeAll(async () => {
  runtime = await startTestRuntime({ domains: [], processJobs: false });
});
afterAll(async () => {
  await runtime?.dispose();
});

const event = (eventId: string) => ({
  eventId,
  topic: 'order.paid',
  source: null,
  resourceId: '1',
  payload: `{"id":"${eventId}"}`,
  bodySha256: 'a'.repeat(64),
});

describe('InboundEventStore', () => {
  it('answers a repeat of an event it stored as a duplicate, with the stored id, without a query', async () => {
    const store = new InboundEventStore(runtime.ctx.db);
    const first = await store.accept(event('ies-1'));
    expect(first.status).toBe('accepted');
    const queries = vi.spyOn(runtime.ctx.db, 'executeQuery');
    try {
      expect(await store.accept(event('ies-1'))).toEqual({ status: 'duplicate', id: first.id });
      expect(queries).not.toHaveBeenCalled();
    } finally {
      queries.mockRestore();
    }
  });

  it('tells a duplicate another process stored from the database, and a new event from it', async () => {
    const elsewhere = new InboundEventStore(runtime.ctx.db);
    const stored = await elsewhere.accept(event('ies-2'));
    const store = new InboundEventStore(runtime.ctx.db);
    const [repeat, fresh] = await Promise.all([store.accept(event('ies-2')), store.accept(event('ies-3'))]);
    expect(repeat).toEqual({ status: 'duplicate', id: stored.id });
    expect(fresh.status).toBe('accepted');
    const rows = await runtime.ctx.db.selectFrom('synchub_inbound_events').select(['id', 'event_id']).where('event_id', 'in', ['ies-2', 'ies-3']).execute();
    expect(rows.map((row) => [row.event_id, Number(row.id)]).sort()).toEqual([
      ['ies-2', stored.id],
      ['ies-3', fresh.id],
    ]);
  });
});
