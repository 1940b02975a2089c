import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { insertIgnoreMany } from '../../../worker/src/core/db/insert-ignore';
import { startTestRuntime, type TestRuntime } from '../../support/runtime';

let runtime: TestRuntime;
beforeAll(async () => {
  runtime = await startTestRuntime({ domains: [], processJobs: false });
});
afterAll(async () => {
  await runtime?.dispose();
});

const COLUMNS = ['event_id', 'topic', 'source', 'resource_id', 'payload', 'intake_token', 'status'] as const;
const row = (eventId: string) => ({ event_id: eventId, topic: 'order.paid', source: null, resource_id: '1', payload: `{"id":"${eventId}"}`, intake_token: eventId.padEnd(22, '-').slice(0, 22), status: 'received' as const });
const storedIds = async (eventIds: string[]) => {
  const rows = await runtime.ctx.db.selectFrom('synchub_inbound_events').select(['id', 'event_id']).where('event_id', 'in', eventIds).execute();
  return eventIds.map((eventId) => rows.find((stored) => stored.event_id === eventId)?.id);
};

describe('insertIgnoreMany', () => {
  it('inserts every row and answers their ids in order', async () => {
    const eventIds = ['ii-a', 'ii-b', 'ii-c'];
    const ids = await insertIgnoreMany(runtime.ctx.db, 'synchub_inbound_events', COLUMNS, eventIds.map(row));
    expect(ids).toEqual(await storedIds(eventIds));
  });

  it('answers undefined when a row was a duplicate, and writes the others once', async () => {
    const ids = await insertIgnoreMany(runtime.ctx.db, 'synchub_inbound_events', COLUMNS, ['ii-d', 'ii-a', 'ii-e'].map(row));
    expect(ids).toBeUndefined();
    const counts = await runtime.ctx.db.selectFrom('synchub_inbound_events').select(['event_id']).where('event_id', 'in', ['ii-a', 'ii-d', 'ii-e']).execute();
    expect(counts.map((stored) => stored.event_id).sort()).toEqual(['ii-a', 'ii-d', 'ii-e']);
  });

  it('keeps quotes and markup as data (values travel as parameters)', async () => {
    const nasty = "x'); DROP TABLE synchub_inbound_events; -- <script>";
    const [id] = (await insertIgnoreMany(runtime.ctx.db, 'synchub_inbound_events', COLUMNS, [{ ...row('ii-f'), payload: nasty }])) ?? [];
    const stored = await runtime.ctx.db.selectFrom('synchub_inbound_events').select('payload').where('id', '=', id as number).executeTakeFirstOrThrow();
    expect(stored.payload).toBe(nasty);
  });
});
