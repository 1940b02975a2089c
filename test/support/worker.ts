import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { freePort } from './listen';

export { freePort };

const ROOT = path.resolve(__dirname, '../..');
// The V8 flags scripts/start.sh and the systemd units run the worker with.
export const WORKER_NODE_FLAGS = '--max-semi-space-size=8 --max-old-space-size=128 --expose-gc';

export interface WorkerProcess {
  url: string;
  adminToken: string;
  env: Record<string, string>;
  child: ChildProcess;
  output(): string;
  /** SIGTERM and wait for exit; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: the crash case. */
  kill(): Promise<void>;
}

/**
 * The worker as its own process (`tsx worker/src/main.ts`), for end-to-end and crash tests.
 * Pass DATABASE_URL, BULLMQ_PREFIX and WEBHOOK_SECRET; PORT defaults to a free one.
 */
export async function startWorker(env: Record<string, string>): Promise<WorkerProcess> {
  const port = env.PORT ?? String(await freePort());
  const fullEnv: Record<string, string> = {
    HOST: '127.0.0.1',
    SYNCHUB_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'synchub-worker-')),
    SYNCHUB_ADMIN_TOKEN: 'e2e-admin-token-0123456789abcdef',
    LOG_LEVEL: 'warn',
    // The fakes, WordPress and Odoo peers listen on loopback.
    SYNCHUB_ALLOW_PRIVATE_TARGETS: 'true',
    ...env,
    PORT: port,
  };
  // The V8 flags of scripts/start.sh and the systemd units; SYNCHUB_WORKER_NODE_FLAGS overrides them (benchmarks).
  const flags = (process.env.SYNCHUB_WORKER_NODE_FLAGS ?? WORKER_NODE_FLAGS).split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...flags, '--import', 'tsx', path.join(ROOT, 'worker/src/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, ...fullEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start in 30 s:\n${output}`)), 30_000);
    const check = () => {
      if (output.includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code}:\n${output}`));
    });
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    url,
    adminToken: fullEnv.SYNCHUB_ADMIN_TOKEN as string,
    env: fullEnv,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
