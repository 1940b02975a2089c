// External dependencies
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// Internal dependencies
import { startWordPress, type WordPressOptions, type WordPressSite } from './wordpress';

const ROOT = path.resolve(__dirname, '../..');
const TARBALL = 'wordpress-6.5.3-woocommerce-8.9.1.tgz';

/** Test-only helpers inside the real store: the WooCommerce CRUD script route and the YITH stand-in. */
export const WOO_TEST_MU_PLUGINS = path.join(ROOT, 'test/e2e/woocommerce/mu-plugins');

/**
 * The real peers folder: `SYNCHUB_PEERS_DIR`, else `<repo>/../shared/peers` (CI and developer
 * machines), else /work/shared/peers (helpers' worktrees live elsewhere).
 */
export function peersDir(): string | null {
  const candidates = [process.env.SYNCHUB_PEERS_DIR, path.resolve(ROOT, '../shared/peers'), '/work/shared/peers'].filter((dir): dir is string => Boolean(dir));
  return candidates.find((dir) => existsSync(path.join(dir, TARBALL))) ?? null;
}

/** Why the WooCommerce suites cannot run here, or null when they can. Printed as one line. */
export function wooSkipReason(): string | null {
  if (!peersDir()) return `skipped: real WordPress 6.5.3 + WooCommerce 8.9.1 not found (${TARBALL} in SYNCHUB_PEERS_DIR or ../shared/peers)`;
  return null;
}

/**
 * The peer unpacked once per machine into a cache folder (never into the repository):
 * `$SYNCHUB_PEERS_CACHE` or `${XDG_CACHE_HOME:-~/.cache}/sync-hub-peers/<tarball name>/wordpress`. Unpacked into a
 * temporary folder first and renamed into place, so a concurrent or interrupted run never sees
 * half a tree.
 */
export function wooSource(): string {
  const dir = peersDir();
  if (!dir) throw new Error(wooSkipReason() ?? 'peer missing');
  const tarball = path.join(dir, TARBALL);
  const cache = process.env.SYNCHUB_PEERS_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'sync-hub-peers');
  const stamp = `${TARBALL.replace(/\.tgz$/, '')}-${statSync(tarball).size}`;
  const target = path.join(cache, stamp);
  const tree = path.join(target, 'wordpress');
  if (existsSync(path.join(tree, 'wp-settings.php'))) return tree;
  mkdirSync(cache, { recursive: true });
  const staging = `${target}.tmp-${process.pid}-${randomBytes(3).toString('hex')}`;
  mkdirSync(staging);
  try {
    execFileSync('tar', ['-xzf', tarball, '-C', staging], { stdio: 'pipe' });
    writeFileSync(path.join(staging, 'UNPACKED-FROM'), `${tarball}\n`);
    try {
      renameSync(staging, target);
    } catch (error) {
      // Another run won the race: its tree is as good as ours.
      if (!existsSync(path.join(tree, 'wp-settings.php'))) throw error;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return tree;
}

export type StorageMode = 'hpos' | 'posts';
export const STORAGE_MODES: StorageMode[] = ['hpos', 'posts'];

export interface WooSite extends WordPressSite {
  mode: StorageMode;
  /** `wc/v3` REST call as the administrator (application password). */
  rest<T = unknown>(method: string, route: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** The `synchub-test` CRUD helper: runs one named operation through WooCommerce's PHP API. */
  crud<T = unknown>(operation: string, args?: Record<string, unknown>): Promise<T>;
}

export interface WooOptions extends WordPressOptions {
  mode: StorageMode;
}

/**
 * A real WordPress 6.5.3 + WooCommerce 8.9.1 with Sync Hub active, in the given order storage
 * mode, store set up as an owner would (USD, cash on delivery, no onboarding wizard). Every
 * change goes through WooCommerce's own PHP API or options; no table is written directly.
 */
export async function startWooCommerce(options: WooOptions): Promise<WooSite> {
  const site = await startWordPress({
    ...options,
    wpSource: wooSource(),
    plugins: ['woocommerce'],
    theme: 'twentytwentythree',
    muPlugins: [WOO_TEST_MU_PLUGINS, ...(options.muPlugins ?? [])],
    dbName: options.dbName ?? `synchub_wc_${options.mode}_${randomBytes(3).toString('hex')}`,
  });
  try {
    const setup = await site.runPhp(`
      $user = get_user_by( 'login', ${JSON.stringify(site.adminUser)} );
      wp_set_current_user( $user->ID );
      echo wp_json_encode( synchub_test_setup_store( ${JSON.stringify(options.mode === 'hpos')} ) );
    `);
    const facts = JSON.parse(setup.slice(setup.indexOf('{'))) as { hpos: boolean; app_password: string; wc_version: string };
    if (facts.hpos !== (options.mode === 'hpos')) throw new Error(`order storage is not ${options.mode}: ${setup}`);
    const auth = `Basic ${Buffer.from(`${site.adminUser}:${facts.app_password}`).toString('base64')}`;
    return {
      ...site,
      mode: options.mode,
      async rest<T>(method: string, route: string, body?: unknown) {
        const response = await fetch(`${site.url}/wp-json/${route.replace(/^\//, '')}`, {
          method,
          headers: { Authorization: auth, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await response.text();
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // Not JSON: keep the text for the failure message.
        }
        return { status: response.status, body: parsed as T };
      },
      async crud<T>(operation: string, args: Record<string, unknown> = {}) {
        const out = await site.runPhp(`
          echo "\\n@@SYNCHUB@@" . wp_json_encode( synchub_test_crud( ${JSON.stringify(operation)}, json_decode( ${JSON.stringify(JSON.stringify(args))}, true ) ) );
        `);
        const at = out.lastIndexOf('@@SYNCHUB@@');
        if (at < 0) throw new Error(`crud ${operation}: no answer\n${out}\n${site.logs()}`);
        return JSON.parse(out.slice(at + '@@SYNCHUB@@'.length)) as T;
      },
    };
  } catch (error) {
    await site.stop();
    throw error;
  }
}

export interface CheckoutResult {
  status: number;
  orderId: number;
  orderStatus: string;
  ms: number;
  body: unknown;
}

/**
 * A shopper's checkout through the Store API, as the block checkout does it: a first
 * `GET /cart` for the `Nonce` and `Cart-Token`, `add-item` per product, then `POST /checkout`
 * with cash on delivery. `ms` is the checkout request alone.
 */
export async function storeApiCheckout(
  site: Pick<WordPressSite, 'url'>,
  items: Array<{ id: number; quantity: number }>,
  billing: { first_name: string; last_name: string; email: string },
  extraHeaders: Record<string, string> = {},
): Promise<CheckoutResult> {
  const base = `${site.url}/wp-json/wc/store/v1`;
  const first = await fetch(`${base}/cart`);
  await first.arrayBuffer();
  const nonce = first.headers.get('nonce') ?? '';
  const cartToken = first.headers.get('cart-token') ?? '';
  const headers = { 'Content-Type': 'application/json', Nonce: nonce, 'Cart-Token': cartToken, ...extraHeaders };
  for (const item of items) {
    const added = await fetch(`${base}/cart/add-item`, { method: 'POST', headers, body: JSON.stringify(item) });
    if (added.status !== 201) throw new Error(`add-item ${item.id}: HTTP ${added.status} ${await added.text()}`);
    await added.arrayBuffer().catch(() => undefined);
  }
  const { email, ...name } = billing;
  const address = { ...name, address_1: 'Calle 1 # 2-3', city: 'San Francisco', state: 'CA', postcode: '94103', country: 'US', phone: '+1 415 555 0100' };
  const started = performance.now();
  const response = await fetch(`${base}/checkout`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ billing_address: { ...address, email }, shipping_address: address, payment_method: 'cod' }),
  });
  const text = await response.text();
  const ms = performance.now() - started;
  let body: { order_id?: number; status?: string } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // Kept as text below.
  }
  return {
    status: response.status,
    orderId: Number(body.order_id ?? 0),
    orderStatus: String(body.status ?? ''),
    ms,
    body: Object.keys(body).length ? body : text,
  };
}
