import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync, unlinkSync, readFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { freePort } from './listen';

const ROOT = path.resolve(__dirname, '../..');
const SCRIPTS = path.join(ROOT, 'scripts/wordpress');

/** Test-only mu-plugins: the WooCommerce order double and the `synchub-test/v1/orders` route. */
export const PLUGIN_TEST_MU_PLUGINS = path.join(ROOT, 'test/plugin/mu-plugins');

export interface WordPressOptions {
  /** Directories (every *.php inside) or files to install as mu-plugins. */
  muPlugins?: string[];
  /** Extra environment for the PHP server and runPhp (e.g. SYNCHUB_NO_WC_DOUBLE=1). */
  env?: Record<string, string>;
  /** Database name; default `synchub_wp_<random>`. */
  dbName?: string;
  adminUser?: string;
  adminPassword?: string;
  /** Keep the database and docroot after stop() (for debugging); also SYNCHUB_KEEP_WP=1. */
  keep?: boolean;
  /** An unpacked WordPress tree to use instead of Debian's /usr/share/wordpress. */
  wpSource?: string;
  /** Plugin folders of the source's wp-content/plugins to symlink and activate before Sync Hub. */
  plugins?: string[];
  /** A theme folder of the source's wp-content/themes to switch to. */
  theme?: string;
  /** Workers of `php -S` (default 4). */
  serverWorkers?: number;
}

export interface WordPressSite {
  url: string;
  port: number;
  adminUser: string;
  adminPassword: string;
  dbName: string;
  docroot: string;
  /** Run PHP inside WordPress (CLI, fully loaded). `code` may omit `<?php`. Resolves with stdout. */
  runPhp(code: string, env?: Record<string, string>): Promise<string>;
  /** Server output plus the site's debug.log, for failure messages. */
  logs(): string;
  /** Stop the server, drop the database, delete the docroot. */
  stop(): Promise<void>;
}

/**
 * A real WordPress (Debian's package) with Sync Hub active, in its own database and docroot,
 * served by `php -S` on a free port. Generic on purpose: every end-to-end suite can use it.
 */
export async function startWordPress(options: WordPressOptions = {}): Promise<WordPressSite> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dbName = options.dbName ?? `synchub_wp_${randomBytes(4).toString('hex')}`;
  const adminUser = options.adminUser ?? 'admin';
  const adminPassword = options.adminPassword ?? `pw-${randomBytes(9).toString('hex')}`;
  const docroot = mkdtempSync(path.join(os.tmpdir(), 'synchub-wp-'));
  const env = { ...process.env, ...options.env };

  await run(
    'php',
    [
      path.join(SCRIPTS, 'install.php'),
      `--docroot=${docroot}`,
      `--db=${dbName}`,
      `--url=${url}`,
      `--admin-user=${adminUser}`,
      `--admin-password=${adminPassword}`,
      `--mu-plugins=${(options.muPlugins ?? []).join(',')}`,
      ...(options.wpSource ? [`--wp-source=${options.wpSource}`] : []),
      ...(options.plugins?.length ? [`--plugins=${options.plugins.join(',')}`] : []),
      ...(options.theme ? [`--theme=${options.theme}`] : []),
      '--fresh',
    ],
    env,
  );

  let output = '';
  const server: ChildProcess = spawn('php', ['-d', 'display_errors=stderr', '-S', `127.0.0.1:${port}`, '-t', docroot, path.join(SCRIPTS, 'router.php')], {
    cwd: docroot,
    env: { PHP_CLI_SERVER_WORKERS: String(options.serverWorkers ?? 4), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group: stop() ends the server and its workers together.
  });
  server.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  server.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));

  const logs = (): string => {
    const debugLog = path.join(docroot, 'debug.log');
    const debug = existsSync(debugLog)
      ? readFileSync(debugLog, 'utf8')
          .split('\n')
          .filter((line) => !line.includes('PHP Deprecated'))
          .join('\n')
      : '';
    return `--- php -S\n${output.slice(-4000)}\n--- debug.log\n${debug.slice(-4000)}`;
  };

  const stop = async (): Promise<void> => {
    if (server.exitCode === null && server.pid !== undefined) {
      try {
        process.kill(-server.pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
      await exited;
    }
    if (!(options.keep || process.env.SYNCHUB_KEEP_WP === '1')) {
      await run('php', [path.join(SCRIPTS, 'destroy.php'), docroot], env);
    }
  };

  try {
    await waitForHttp(`${url}/wp-login.php`, 15_000);
  } catch (error) {
    await stop();
    throw new Error(`WordPress did not answer: ${(error as Error).message}\n${logs()}`);
  }

  return {
    url,
    port,
    adminUser,
    adminPassword,
    dbName,
    docroot,
    logs,
    stop,
    async runPhp(code: string, extraEnv: Record<string, string> = {}): Promise<string> {
      const file = path.join(docroot, `.run-${randomBytes(6).toString('hex')}.php`);
      writeFileSync(file, code.trimStart().startsWith('<?php') ? code : `<?php\n${code}\n`);
      try {
        return await run('php', [path.join(SCRIPTS, 'run.php'), docroot, file], { ...env, ...extraEnv });
      } finally {
        unlinkSync(file);
      }
    },
  };
}

/** Run a command; resolve with stdout, reject with stdout + stderr on a non-zero exit. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}\n${stdout}\n${stderr}`));
    });
  });
}

async function waitForHttp(target: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(target, { redirect: 'manual' });
      if (response.status < 500) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`${target}: ${last}`);
}

/**
 * WordPress takes the text direction from core's own catalogue (`_x( 'ltr', 'text direction' )`
 * translated as `rtl`), and no core language pack is installed here: this gives a site a minimal
 * fa_IR core catalogue with that entry (plus `extraEntries`, PO text), compiled by WordPress's own
 * PO/MO classes into wp-content/languages/fa_IR.mo, which also lists fa_IR as installed.
 */
export async function installFarsiCoreCatalogue(site: Pick<WordPressSite, 'runPhp'>, extraEntries = ''): Promise<void> {
  const po = `msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: fa_IR\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"

msgctxt "text direction"
msgid "ltr"
msgstr "rtl"
${extraEntries}`;
  await site.runPhp(`
    require_once ABSPATH . WPINC . '/pomo/po.php';
    wp_mkdir_p( WP_LANG_DIR );
    $po = new PO();
    $source = WP_LANG_DIR . '/fa_IR.po';
    file_put_contents( $source, ${JSON.stringify(po)} );
    if ( ! $po->import_from_file( $source ) ) { fwrite( STDERR, 'PO import failed' ); exit( 1 ); }
    $mo = new MO();
    $mo->set_headers( $po->headers );
    foreach ( $po->entries as $entry ) { $mo->add_entry( $entry ); }
    if ( ! $mo->export_to_file( WP_LANG_DIR . '/fa_IR.mo' ) ) { fwrite( STDERR, 'MO export failed' ); exit( 1 ); }
  `);
}
