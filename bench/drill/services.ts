// The drill's own MariaDB and Redis (never the shared ones on 3306/6379): started, killed and
// restarted here, each with its own data directory, socket and port.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createConnection as netConnect } from 'node:net';
import path from 'node:path';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = netConnect({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${port} after ${timeoutMs} ms`);
    await sleep(100);
  }
}

const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));

export class OwnMariaDb {
  private child: ChildProcess | null = null;
  readonly datadir: string;
  readonly socket: string;
  log = '';

  constructor(
    readonly dir: string,
    readonly port: number,
  ) {
    this.datadir = path.join(dir, 'data');
    this.socket = path.join(dir, 'mysqld.sock');
  }

  get rootUrl(): string {
    return `mysql://root@127.0.0.1:${this.port}`;
  }

  async install(): Promise<void> {
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true });
    const result = spawnSync(
      'mariadb-install-db',
      ['--no-defaults', `--datadir=${this.datadir}`, '--user=root', '--auth-root-authentication-method=normal', '--skip-test-db'],
      { encoding: 'utf8' },
    );
    if (result.status !== 0) throw new Error(`mariadb-install-db failed: ${result.stderr}`);
  }

  async start(): Promise<void> {
    const child = spawn(
      'mariadbd',
      [
        '--no-defaults',
        `--datadir=${this.datadir}`,
        '--user=root',
        `--port=${this.port}`,
        '--bind-address=127.0.0.1',
        `--socket=${this.socket}`,
        `--pid-file=${path.join(this.dir, 'mysqld.pid')}`,
        '--skip-name-resolve',
        '--skip-log-bin',
        '--innodb-buffer-pool-size=128M',
        '--max-connections=500',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    child.stderr?.on('data', (chunk: Buffer) => (this.log = (this.log + chunk.toString()).slice(-20_000)));
    this.child = child;
    await waitForPort(this.port, 60_000);
  }

  /** SIGKILL: a crash with transactions in flight (InnoDB recovers them on the next start). */
  async crash(): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.kill('SIGKILL');
    await exited(child);
    this.child = null;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.kill('SIGTERM');
    await Promise.race([exited(child), sleep(30_000)]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    this.child = null;
  }

  remove(): void {
    if (existsSync(this.dir)) rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Redis without persistence: a restart loses every key, as a store's default cache Redis does. */
export class OwnRedis {
  private child: ChildProcess | null = null;

  constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir], {
      stdio: 'ignore',
    });
    this.child = child;
    await waitForPort(this.port, 20_000);
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.kill('SIGKILL');
    await exited(child);
    this.child = null;
  }
}
