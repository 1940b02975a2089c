import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { WooCommerceDb } from '../../../../worker/src/connectors/woocommerce-db/client';
import { wooDbConfigSchema, type WooDbConfigInput } from '../../../../worker/src/connectors/woocommerce-db/config';
import { WooDbSshError } from '../../../../worker/src/connectors/woocommerce-db/errors';
import { probeConnection } from '../../../../worker/src/connectors/woocommerce-db/probe';
import { createEventsDomain } from '../../../../worker/src/events';
import { createWooCommerceFixture, type WooFixture } from '../../../fakes/woocommerce-db/fixture';
import { MYSQL_ROOT_URL } from '../../../support/db';
import { adminHeaders, startTestRuntime, type TestRuntime } from '../../../support/runtime';
import { sshdUnavailable, startSshd, type TestSshd } from '../../../support/sshd';
import { until } from '../../../support/until';

const unavailable = sshdUnavailable();
if (unavailable) console.warn(`[ssh tunnel tests skipped] ${unavailable}`);

const mysql = new URL(MYSQL_ROOT_URL);
const MYSQL_HOST = mysql.hostname;
const MYSQL_PORT = Number(mysql.port || 3306);

describe.skipIf(unavailable !== null)('the store database through an SSH tunnel (real OpenSSH on loopback)', () => {
  let sshd: TestSshd;
  let fixture: WooFixture;

  beforeAll(async () => {
    sshd = await startSshd({ host: MYSQL_HOST, port: MYSQL_PORT });
    fixture = await createWooCommerceFixture({ storage: 'hpos', label: 'ssh', spec: { paidOrders: 8, unpaidOrders: 1, seed: 4 } });
  });
  afterAll(async () => {
    await fixture?.drop();
    await sshd?.stop();
  });

  const config = (ssh: Record<string, unknown>, over: Partial<WooDbConfigInput> = {}) =>
    wooDbConfigSchema.parse({
      host: MYSQL_HOST,
      port: MYSQL_PORT,
      user: fixture.env.WOOCOMMERCE_MYSQL_USERNAME,
      password: fixture.env.WOOCOMMERCE_MYSQL_PASSWORD || undefined,
      database: fixture.database,
      ssh: { host: sshd.host, port: sshd.port, username: sshd.username, ...ssh },
      ...over,
    });

  it('logs in with a password, pins the host key and reads the store through the tunnel', async () => {
    const probe = await probeConnection(config({ password: sshd.password, hostKey: sshd.hostKey }));
    expect(probe).toMatchObject({
      ok: true,
      ssh: { ok: true, host_key: sshd.hostKey, error: null },
      mysql: { ok: true, storage_mode: 'hpos', skipped: false },
    });
    const db = await WooCommerceDb.open(config({ password: sshd.password, hostKey: sshd.hostKey }));
    try {
      expect((await db.findProduct(10))[0]?.name).toBe('Concierto de Año Nuevo — Bogotá');
      const source = await db.source();
      expect(await source.countOrders({ productIds: [10, 11, 12, 13] })).toBeGreaterThan(0);
    } finally {
      await db.close();
    }
  });

  it('logs in with a private key, and with a passphrase-protected one', async () => {
    expect((await probeConnection(config({ privateKey: sshd.privateKey }))).ok).toBe(true);
    expect((await probeConnection(config({ privateKey: sshd.encryptedKey, passphrase: sshd.passphrase }))).ok).toBe(true);
  });

  it.each([
    ['a wrong host key', () => ({ password: sshd.password, hostKey: sshd.otherHostKey }), 'ssh_host_key_mismatch'],
    ['a wrong password', () => ({ password: 'not-the-password' }), 'ssh_auth_failed'],
    ['a key with the wrong passphrase', () => ({ privateKey: sshd.encryptedKey, passphrase: 'wrong passphrase' }), 'ssh_auth_failed'],
  ] as const)('refuses %s at the SSH stage and never tries MySQL', async (_label, ssh, code) => {
    const probe = await probeConnection(config(ssh()));
    expect(probe.ok).toBe(false);
    expect(probe.ssh?.ok).toBe(false);
    expect(probe.ssh?.error?.code).toBe(code);
    expect(probe.mysql).toMatchObject({ ok: false, skipped: true });
    if (code === 'ssh_host_key_mismatch') {
      expect(probe.ssh?.host_key).toBe(sshd.hostKey);
      await expect(WooCommerceDb.open(config(ssh()))).rejects.toBeInstanceOf(WooDbSshError);
    }
  });

  it('reports a good SSH stage and a failing MySQL stage separately', async () => {
    const probe = await probeConnection(config({ password: sshd.password }, { database: 'synchub_no_such_db' }));
    expect(probe).toMatchObject({ ok: false, ssh: { ok: true }, mysql: { ok: false, skipped: false } });
    expect(probe.mysql.error?.code).toBe('source_not_configured');
  });

  describe('through the worker', () => {
    let runtime: TestRuntime;
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${runtime.url}${path}`, { method, headers: adminHeaders(), body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await response.text();
      return {
        status: response.status,
        body: (text ? JSON.parse(text) : null) as Record<string, unknown> & { error?: { details?: { fields: Record<string, string[]> } } },
      };
    };

    beforeAll(async () => {
      // WOOCOMMERCE_SSH_* point at the tunnel; the database "host" is as the SSH server sees it.
      runtime = await startTestRuntime({
        env: {
          ...fixture.env,
          WOOCOMMERCE_SSH_HOST: sshd.host,
          WOOCOMMERCE_SSH_PORT: String(sshd.port),
          WOOCOMMERCE_SSH_USERNAME: sshd.username,
          WOOCOMMERCE_SSH_PASSWORD: sshd.password,
          WOOCOMMERCE_SSH_HOST_KEY: sshd.hostKey,
          MIGRATION_MODE: 'true',
        },
        domains: [createEventsDomain],
      });
    });
    afterAll(async () => {
      await runtime?.dispose();
    });

    it('syncs an event through the tunnel; test_connection reports the SSH and MySQL stages', async () => {
      const created = await call('POST', '/api/v1/sync-woocommerce/configurations/', { name: 'SSH', woocommerce_product_id: 10 });
      expect(created.status).toBe(201);
      const id = Number(created.body.id);
      const test = await call('POST', `/api/v1/sync-woocommerce/configurations/${id}/test_connection/`);
      expect(test.body).toMatchObject({ ok: true, ssh: { ok: true, host_key: sshd.hostKey }, mysql: { ok: true, storage_mode: 'hpos' }, product_found: true });
      const started = await call('POST', `/api/v1/sync-woocommerce/configurations/${id}/trigger_sync/`);
      expect(started.status).toBe(202);
      const execution = await until(
        'the sync to finish',
        () => call('GET', `/api/v1/sync-woocommerce/executions/${Number(started.body.id)}/`),
        (answer) => answer.body.status !== 'running',
        20_000,
        100,
      );
      expect(execution.body).toMatchObject({ status: 'completed' });
      expect(Number(execution.body.new_orders)).toBeGreaterThan(0);
    });

    it('wp-admin saves the connection sealed, tests it, and a saved secret never follows a changed host or user', async () => {
      const body = {
        host: MYSQL_HOST,
        port: MYSQL_PORT,
        user: fixture.env.WOOCOMMERCE_MYSQL_USERNAME,
        database: fixture.database,
        ssh: { host: sshd.host, port: sshd.port, username: sshd.username, private_key: sshd.privateKey, host_key: sshd.hostKey },
      };
      const saved = await call('PUT', '/api/v1/sync-woocommerce/store-connection/', body);
      expect(saved.status).toBe(200);
      expect(saved.body).toMatchObject({ source: 'settings', ssh: { has_private_key: true, has_password: false, host_key: sshd.hostKey } });
      expect(JSON.stringify(saved.body)).not.toContain('PRIVATE KEY');
      const row = await runtime.ctx.db.selectFrom('synchub_settings').selectAll().where('name', '=', 'woocommerce_db').executeTakeFirstOrThrow();
      expect(row.is_secret).toBe(1);
      expect(row.value).not.toContain('PRIVATE KEY');
      expect(row.value).not.toContain(sshd.username);

      const tested = await call('POST', '/api/v1/sync-woocommerce/store-connection/test/');
      expect(tested.body).toMatchObject({ ok: true, ssh: { ok: true }, mysql: { ok: true } });
      // The saved key is reused for the same server and user…
      expect(
        (await call('POST', '/api/v1/sync-woocommerce/store-connection/test/', { ...body, ssh: { ...body.ssh, private_key: undefined } })).body,
      ).toMatchObject({ ok: true });
      // …never for another one.
      const moved = await call('PUT', '/api/v1/sync-woocommerce/store-connection/', {
        ...body,
        ssh: { host: 'db.attacker.example', port: 22, username: sshd.username },
      });
      expect(moved.status).toBe(400);
      expect(Object.keys(moved.body.error?.details?.fields ?? {})).toEqual(['ssh.password']);
      expect((await call('GET', '/api/v1/sync-woocommerce/store-connection/')).body).toMatchObject({ ssh: { host: sshd.host } });

      // Settings override the environment: a wrong pin saved from wp-admin wins over the right one in WOOCOMMERCE_SSH_HOST_KEY.
      expect((await call('PUT', '/api/v1/sync-woocommerce/store-connection/', { ...body, ssh: { ...body.ssh, host_key: sshd.otherHostKey } })).status).toBe(
        200,
      );
      const refused = await call('POST', '/api/v1/sync-woocommerce/store-connection/test/');
      expect(refused.body).toMatchObject({ ok: false, ssh: { ok: false, error: { code: 'ssh_host_key_mismatch' } }, mysql: { skipped: true } });
      expect((await call('DELETE', '/api/v1/sync-woocommerce/store-connection/')).status).toBe(204);
      expect((await call('POST', '/api/v1/sync-woocommerce/store-connection/test/')).body).toMatchObject({ ok: true });
    });
  });
});
