import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

import { serializeMethodCall } from 'xmlrpc/lib/serializer';

import { parseMethodResponse } from '../../worker/src/connectors/odoo/xmlrpc-response';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');

/**
 * The real peers folder: `SYNCHUB_PEERS_DIR`, else `<repo>/../shared/peers` (CI and developer
 * machines), else /work/shared/peers (a git worktree elsewhere on such a machine).
 */
export function peersDir(): string | undefined {
  const candidates = [process.env.SYNCHUB_PEERS_DIR, path.resolve(ROOT, '..', 'shared', 'peers'), '/work/shared/peers'].filter((dir): dir is string =>
    Boolean(dir),
  );
  return candidates.find((dir) => existsSync(path.join(dir, 'odoo', 'start.sh')));
}

/** Why the real Odoo suite cannot run here, or undefined when it can. */
export function odooPeerMissing(): string | undefined {
  if (process.env.SYNCHUB_SKIP_REAL_PEERS === '1') return 'SYNCHUB_SKIP_REAL_PEERS=1';
  if (!peersDir()) return 'no ../shared/peers/odoo (set SYNCHUB_PEERS_DIR to the peers folder)';
  return undefined;
}

export type OdooMajorVersion = 17 | 18;

export interface RpcFault extends Error {
  faultCode: unknown;
  faultString: string;
}

/** A plain XML-RPC caller, independent of the worker's client, for tests to look at an Odoo. */
export async function xmlRpc(url: string, service: 'common' | 'object', method: string, params: unknown[]): Promise<unknown> {
  const response = await fetch(`${url}/xmlrpc/2/${service}`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/xml' },
    body: serializeMethodCall(method, params),
  });
  const parsed = await parseMethodResponse(await response.text());
  if ('value' in parsed) return parsed.value;
  if ('faultCode' in parsed)
    throw Object.assign(new Error(String(parsed.faultString)), { faultCode: parsed.faultCode, faultString: String(parsed.faultString) }) as RpcFault;
  throw new Error(`unreadable XML-RPC answer from ${url}`);
}

/** What a test needs of an Odoo, real or fake. */
export interface OdooTarget {
  version: OdooMajorVersion;
  url: string;
  db: string;
  login: string;
  apiKey: string;
  /** `execute_kw` as the admin. */
  call(model: string, method: string, args: unknown[], kwargs?: Record<string, unknown>): Promise<unknown>;
}

export function targetFor(version: OdooMajorVersion, url: string, db: string, login: string, apiKey: string): OdooTarget {
  let uid: Promise<number> | undefined;
  return {
    version,
    url,
    db,
    login,
    apiKey,
    async call(model, method, args, kwargs = {}) {
      uid ??= xmlRpc(url, 'common', 'authenticate', [db, login, apiKey, {}]) as Promise<number>;
      return xmlRpc(url, 'object', 'execute_kw', [db, await uid, apiKey, model, method, args, kwargs]);
    },
  };
}

/** Activates a currency, as a store's Odoo admin would (Sync Hub never activates one itself). */
export async function activateCurrency(target: Pick<OdooTarget, 'call'>, name: string): Promise<void> {
  const found = (await target.call(
    'res.currency',
    'search_read',
    [
      [
        ['name', '=', name],
        ['active', 'in', [true, false]],
      ],
    ],
    { fields: ['id'] },
  )) as Array<{ id: number }>;
  await target.call('res.currency', 'write', [found.map((row) => row.id), { active: true }]);
}

export interface OdooPeer extends OdooTarget {
  port: number;
  pid: number;
  /** Kills the server and drops its database. */
  stop(): Promise<void>;
}

/** A free TCP port whose next port is free too (Odoo takes PORT and PORT+1). */
export async function freePortPair(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    if (port === 0 || port >= 65_535) continue;
    const nextFree = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port + 1, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (nextFree) return port;
  }
  throw new Error('no free pair of ports for Odoo');
}

const asPostgres = (command: string) =>
  process.getuid?.() === 0 ? run('su', ['postgres', '-c', command]) : run('sudo', ['-u', 'postgres', 'sh', '-c', command]);

/**
 * A real Odoo (17 or 18) from the peers folder on a fresh database copied from the cached
 * template (`~/.cache/sync-hub-peers`; the first run per version builds it, 40–90 s).
 */
export async function startOdooPeer(version: OdooMajorVersion, label = 'run'): Promise<OdooPeer> {
  const dir = peersDir();
  if (!dir) throw new Error('the Odoo peers are not here');
  const port = Number(process.env.SYNCHUB_ODOO_PORT ?? 0) || (await freePortPair());
  const db = `synchub_odoo_${version}_${label}_${process.pid}_${Date.now().toString(36)}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const { stdout } = await run('bash', [path.join(dir, 'odoo', 'start.sh'), String(port), db, String(version)], {
    maxBuffer: 16 * 1024 * 1024,
    timeout: 600_000,
  });
  const line = stdout.trim().split('\n').pop() ?? '';
  const values = Object.fromEntries(line.split(/\s+/).map((pair) => pair.split('=', 2) as [string, string]));
  const pid = Number(values.ODOO_PID);
  if (!values.ODOO_URL || !values.ODOO_API_KEY || !pid) throw new Error(`start.sh printed no connection line: ${line}`);
  const target = targetFor(version, values.ODOO_URL, db, values.ODOO_USERNAME ?? 'admin', values.ODOO_API_KEY);
  return {
    ...target,
    port,
    pid,
    async stop() {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
      for (let waited = 0; waited < 10_000; waited += 100) {
        try {
          process.kill(pid, 0);
        } catch {
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // stopped
      }
      await asPostgres(`dropdb --if-exists ${db}`).catch(() => undefined);
    },
  };
}
