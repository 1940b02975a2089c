import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createEventsDomain } from '../../../worker/src/events';
import { JOBS } from '../../../worker/src/events/jobs';
import { createWooCommerceFixture, type WooFixture } from '../../fakes/woocommerce-db/fixture';
import { startSmtp, type ReceivedMail } from '../../support/smtp';
import { startTestRuntime, type TestRuntime } from '../../support/runtime';
import { api, BASE, configurationBody, runSync, waitFor } from './support';

/** The weekly cleanup of executions and the admin alert emails, through the real queue and a real SMTP listener. */
describe('events maintenance: weekly cleanup and admin alerts', () => {
  let fixture: WooFixture;
  let runtime: TestRuntime;
  let smtp: { url: string; messages: ReceivedMail[]; close(): Promise<void> };

  beforeAll(async () => {
    smtp = await startSmtp();
    fixture = await createWooCommerceFixture({ storage: 'hpos', label: 'mnt', spec: { paidOrders: 5, unpaidOrders: 0, seed: 9 } });
    runtime = await startTestRuntime({
      env: { ...fixture.env, MIGRATION_MODE: 'true', SMTP_URL: smtp.url, ADMIN_EMAILS: 'owner@example.test, ops@example.test', EVENTS_RETRY_DELAY_MS: '50' },
      domains: [createEventsDomain],
    });
  });
  afterAll(async () => {
    await runtime?.dispose();
    await fixture?.drop();
    await smtp?.close();
  });

  it('the cleanup job deletes finished executions older than 30 days, keeps recent and running ones', async () => {
    const id = (await api<{ id: number }>(runtime.url, 'POST', `${BASE}/configurations/`, configurationBody())).body.id;
    const daysAgo = (days: number) => sql<Date>`CURRENT_TIMESTAMP(3) - INTERVAL ${days} DAY`;
    const insert = async (status: 'completed' | 'failed' | 'running', days: number) => {
      const result = await runtime.ctx.db
        .insertInto('synchub_event_executions')
        .values({
          configuration_id: id,
          status,
          trigger: 'manual',
          mode: 'full',
          started_at: daysAgo(days),
          heartbeat_at: daysAgo(days),
          finished_at: status === 'running' ? null : daysAgo(days),
        })
        .executeTakeFirstOrThrow();
      return Number(result.insertId);
    };
    const oldCompleted = await insert('completed', 45);
    const oldFailed = await insert('failed', 31);
    const oldRunning = await insert('running', 40);
    const recent = await insert('completed', 29);
    await runtime.ctx.db
      .insertInto('synchub_event_schedule_runs')
      .values([
        { job_id: 'old', kind: 'tick', pid: 1, ran_at: daysAgo(35) },
        { job_id: 'new', kind: 'tick', pid: 1, ran_at: daysAgo(1) },
      ])
      .execute();

    const job = await runtime.ctx.queues.get('events').add(JOBS.cleanup, {});
    const result = await waitFor(
      async () => (await runtime.ctx.queues.get('events').getJob(String(job.id)))?.returnvalue as { deleted: number } | undefined,
      (value) => value !== undefined && value !== null,
      10_000,
      'the cleanup job',
    );
    expect(result).toEqual({ deleted: 2 });
    const left = (await runtime.ctx.db.selectFrom('synchub_event_executions').select('id').execute()).map((row) => Number(row.id));
    expect(left).toEqual(expect.arrayContaining([oldRunning, recent]));
    expect(left).not.toContain(oldCompleted);
    expect(left).not.toContain(oldFailed);
    const runs = await runtime.ctx.db.selectFrom('synchub_event_schedule_runs').select('job_id').execute();
    expect(runs.map((row) => row.job_id)).not.toContain('old');
    expect(runs.map((row) => row.job_id)).toContain('new');
  });

  it('emails the admins once when a run fails for good, with the reason', async () => {
    const id = (await api<{ id: number }>(runtime.url, 'POST', `${BASE}/configurations/`, configurationBody({ name: 'Se borra' }))).body.id;
    // The product disappears from the store after the configuration was made: no retry can help.
    await fixture.query(`DELETE FROM \`${fixture.prefix}posts\` WHERE ID = 10 OR post_parent = 10`);
    const before = smtp.messages.length;
    const execution = await runSync(runtime.url, id);
    expect(execution).toMatchObject({ status: 'failed', success: false });
    const mail = await waitFor(
      async () => smtp.messages.slice(before),
      (messages) => messages.length > 0,
      10_000,
      'the alert mail',
    );
    expect(mail).toHaveLength(1);
    expect(mail[0]?.to).toEqual(['owner@example.test', 'ops@example.test']);
    expect(mail[0]?.raw).toContain(`Subject: [Sync Hub] Events sync ${execution.id} failed`);
    expect(mail[0]?.raw).toMatch(/WooCommerce product 10 was not found/);
  });
});
