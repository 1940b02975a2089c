import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { insertUnique } from '../../../worker/src/core/db/insert-unique';
import { createProductsDomain } from '../../../worker/src/products';
import { startTestRuntime, type TestRuntime } from '../../support/runtime';

let runtime: TestRuntime;
beforeAll(async () => {
  runtime = await startTestRuntime({ domains: [createProductsDomain], processJobs: false });
});
afterAll(async () => {
  await runtime?.dispose();
});

const COLUMNS = ['event_id', 'topic', 'source', 'resource_id', 'payload', 'status'] as const;
const inbound = (eventId: string, payload = `{"id":"${eventId}"}`) => ({
  event_id: eventId,
  topic: 'order.paid',
  source: null,
  resource_id: '1',
  payload,
  status: 'received' as const,
});
const insert = (rows: ReturnType<typeof inbound>[]) => insertUnique(runtime.ctx.db, 'synchub_inbound_events', ['event_id'], COLUMNS, rows);
const storedId = async (eventId: string) =>
  (await runtime.ctx.db.selectFrom('synchub_inbound_events').select('id').where('event_id', '=', eventId).executeTakeFirstOrThrow()).id;

describe('insertUnique', () => {
  it('stores new rows and answers their ids in order', async () => {
    const outcomes = await insert(['iu-a', 'iu-b', 'iu-c'].map((id) => inbound(id)));
    expect(outcomes).toEqual([
      { status: 'accepted', id: await storedId('iu-a') },
      { status: 'accepted', id: await storedId('iu-b') },
      { status: 'accepted', id: await storedId('iu-c') },
    ]);
  });

  it('tells duplicates apart within a batch and against stored rows, keeping the first payload', async () => {
    const outcomes = await insert([inbound('iu-d'), inbound('iu-a', 'second'), inbound('iu-d', 'second')]);
    expect(outcomes).toEqual([
      { status: 'accepted', id: await storedId('iu-d') },
      { status: 'duplicate', id: await storedId('iu-a') },
      { status: 'duplicate', id: await storedId('iu-d') },
    ]);
    const payloads = await runtime.ctx.db.selectFrom('synchub_inbound_events').select('payload').where('event_id', 'in', ['iu-a', 'iu-d']).execute();
    expect(payloads.map((row) => row.payload).sort()).toEqual(['{"id":"iu-a"}', '{"id":"iu-d"}']);
  });

  it('accepts exactly one of concurrent calls with the same key', async () => {
    const outcomes = (await Promise.all(Array.from({ length: 8 }, () => insert([inbound('iu-race')])))).flat();
    expect(outcomes.filter((outcome) => outcome.status === 'accepted')).toHaveLength(1);
    expect(new Set(outcomes.map((outcome) => outcome.id))).toEqual(new Set([await storedId('iu-race')]));
  });

  it('keys on several columns: the same event id under another owner is a new row', async () => {
    const row = (owner: string) => ({
      owner,
      event_id: 'iu-shared',
      token_id: 1,
      event_type: 'product.updated',
      product_id: 5,
      payload: '{}',
      version: null,
      source_ip: null,
      user_agent: null,
      status: 'received' as const,
    });
    const columns = ['owner', 'event_id', 'token_id', 'event_type', 'product_id', 'payload', 'version', 'source_ip', 'user_agent', 'status'] as const;
    const first = await insertUnique(runtime.ctx.db, 'synchub_product_events', ['owner', 'event_id'], columns, [row('a'), row('b')]);
    const again = await insertUnique(runtime.ctx.db, 'synchub_product_events', ['owner', 'event_id'], columns, [row('b'), row('c'), row('a')]);
    expect(first.map((outcome) => outcome.status)).toEqual(['accepted', 'accepted']);
    expect(again.map((outcome) => outcome.status)).toEqual(['duplicate', 'accepted', 'duplicate']);
    expect([again[0]?.id, again[2]?.id]).toEqual([first[1]?.id, first[0]?.id]);
  });

  it('keeps quotes and markup as data (values travel as parameters)', async () => {
    const nasty = "x'); DROP TABLE synchub_inbound_events; -- <script>";
    const [outcome] = await insert([inbound('iu-nasty', nasty)]);
    const stored = await runtime.ctx.db
      .selectFrom('synchub_inbound_events')
      .select('payload')
      .where('id', '=', outcome?.id as number)
      .executeTakeFirstOrThrow();
    expect(stored.payload).toBe(nasty);
  });
});
