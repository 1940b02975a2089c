import { WooCommerceDb } from './client';
import type { WooDbConfig } from './config';
import { WooDbError, WooDbSshError } from './errors';
import { SshTunnel } from './tunnel';

export interface StageReport {
  ok: boolean;
  error: { code: string; message: string } | null;
}

/** What "Test connection" reports: the SSH hop (when there is one) and MySQL, each on its own. */
export interface ConnectionProbe {
  ok: boolean;
  ssh: (StageReport & { host_key: string | null }) | null;
  mysql: StageReport & { storage_mode: string | null; skipped: boolean };
}

const describe = (error: unknown): { code: string; message: string } =>
  error instanceof WooDbError
    ? { code: error.code, message: error.message }
    : { code: 'unexpected', message: error instanceof Error ? error.message : String(error) };

/** Tries the SSH login alone, then MySQL through it; a failed SSH stage skips MySQL. */
export async function probeConnection(config: WooDbConfig): Promise<ConnectionProbe> {
  let ssh: ConnectionProbe['ssh'] = null;
  let tunnel: SshTunnel | undefined;
  if (config.ssh) {
    try {
      tunnel = await SshTunnel.open(config.ssh, { host: config.host, port: config.port });
      ssh = { ok: true, error: null, host_key: tunnel.hostKey };
    } catch (error) {
      ssh = { ok: false, error: describe(error), host_key: error instanceof WooDbSshError ? error.hostKey : null };
      return { ok: false, ssh, mysql: { ok: false, error: null, storage_mode: null, skipped: true } };
    }
  }
  const db = new WooCommerceDb(config, 1, tunnel);
  try {
    const info = await db.storeInfo();
    return { ok: true, ssh, mysql: { ok: true, error: null, storage_mode: info.mode, skipped: false } };
  } catch (error) {
    return { ok: false, ssh, mysql: { ok: false, error: describe(error), storage_mode: null, skipped: false } };
  } finally {
    await db.close();
  }
}
