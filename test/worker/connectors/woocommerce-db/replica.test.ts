import { createServer, connect, type Server, type Socket } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { loadConfig } from '../../../../worker/src/config';
import { WooCommerceDb } from '../../../../worker/src/connectors/woocommerce-db/client';
import { wooDbConfigFromEnv, wooDbConfigSchema, type WooDbConfig } from '../../../../worker/src/connectors/woocommerce-db/config';
import { WooDbError } from '../../../../worker/src/connectors/woocommerce-db/errors';
import { EVENT_PRODUCT_ID } from '../../../fakes/woocommerce-db/data';
import { createWooCommerceFixture, type WooFixture } from '../../../fakes/woocommerce-db/fixture';

// There is no second MariaDB here to replicate to, so the "replica" is the same server reached
// through a counting TCP relay on another port. That proves where each read is routed (and that a
// replica that is down fails the scans, not the primary's reads); it does not exercise
// replication itself or its lag.

interface Relay {
  port: number;
  bytes: number;
  connections: number;
  close(): Promise<void>;
}

async function startRelay(target: { host: string; port: number }): Promise<Relay> {
  const sockets = new Set<Socket>();
  const relay = { port: 0, bytes: 0, connections: 0 } as Relay;
  const server: Server = createServer((client) => {
    relay.connections += 1;
    const upstream = connect(target.port, target.host);
    sockets.add(client).add(upstream);
    client.on('data', (chunk: Buffer) => (relay.bytes += chunk.length));
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  relay.port = typeof address === 'object' && address ? address.port : 0;
  relay.close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return relay;
}

let fixture: WooFixture;
let relay: Relay;
let primaryOnly: WooCommerceDb;
let withReplica: WooCommerceDb;
let config: WooDbConfig;

beforeAll(async () => {
  fixture = await createWooCommerceFixture({ storage: 'hpos', label: 'replica', spec: { paidOrders: 40, unpaidOrders: 5, seed: 11 } });
  const primary = wooDbConfigSchema.parse(await wooDbConfigFromEnv(loadConfig(fixture.env)));
  relay = await startRelay({ host: primary.host, port: primary.port });
  config = wooDbConfigSchema.parse(
    await wooDbConfigFromEnv(loadConfig({ ...fixture.env, WOOCOMMERCE_MYSQL_READ_HOST: '127.0.0.1', WOOCOMMERCE_MYSQL_READ_PORT: String(relay.port) })),
  );
  primaryOnly = new WooCommerceDb(primary);
  withReplica = new WooCommerceDb(config);
}, 60_000);

afterAll(async () => {
  await primaryOnly?.close();
  await withReplica?.close();
  await relay?.close();
  await fixture?.drop();
});

describe('the store database with a read replica', () => {
  it('reads WOOCOMMERCE_MYSQL_READ_* into the connection, user and password defaulting to the primary', () => {
    expect(config.replica).toEqual({ host: '127.0.0.1', port: relay.port, user: undefined, password: undefined });
    expect(
      wooDbConfigSchema.parse(loadConfigReplica({ WOOCOMMERCE_MYSQL_READ_HOST: 'replica.internal', WOOCOMMERCE_MYSQL_READ_USERNAME: 'reader' })).replica,
    ).toEqual({
      host: 'replica.internal',
      port: 3306,
      user: 'reader',
      password: undefined,
    });
  });

  it('takes the schema probe and the cursor clock from the primary', async () => {
    const before = relay.bytes;
    expect((await withReplica.storeInfo()).mode).toBe('hpos');
    expect(await withReplica.now()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(relay.bytes).toBe(before);
  });

  it('scans and loads orders on the replica, with the same answers as the primary', async () => {
    const before = relay.bytes;
    const scan = { productIds: [EVENT_PRODUCT_ID], afterId: 0, limit: 500 };
    const [viaReplica, viaPrimary] = await Promise.all([withReplica.source(), primaryOnly.source()]);
    const ids = await viaReplica.scanOrderIds(scan);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids).toEqual(await viaPrimary.scanOrderIds(scan));
    expect(await viaReplica.loadOrders(ids.slice(0, 10), [EVENT_PRODUCT_ID])).toEqual(await viaPrimary.loadOrders(ids.slice(0, 10), [EVENT_PRODUCT_ID]));
    expect(relay.connections).toBeGreaterThan(0);
    expect(relay.bytes).toBeGreaterThan(before);
  });

  it('keeps replica sessions READ ONLY like the primary ones', async () => {
    await expect(withReplica.rows('INSERT INTO `wp_options` (option_name, option_value) VALUES (?, ?)', ['x', 'y'])).rejects.toThrow();
  });

  it('a replica that is down fails the scans with a store error while the primary still answers', async () => {
    const down = new WooCommerceDb({ ...config, replica: { host: '127.0.0.1', port: 1 } });
    try {
      await expect((await down.source()).scanOrderIds({ productIds: [EVENT_PRODUCT_ID], afterId: 0, limit: 5 })).rejects.toBeInstanceOf(WooDbError);
      expect(await down.now()).toMatch(/^\d{4}-/);
    } finally {
      await down.close();
    }
  });
});

function loadConfigReplica(extra: Record<string, string>) {
  const env = { WOOCOMMERCE_MYSQL_HOST: 'db.internal', WOOCOMMERCE_MYSQL_USERNAME: 'shop', WOOCOMMERCE_MYSQL_DATABASE: 'shop', ...extra };
  const woo = loadConfig(env).woocommerce;
  return {
    host: woo.mysql.host,
    user: woo.mysql.user,
    database: woo.mysql.database,
    replica: { host: woo.replica.host, port: woo.replica.port, user: woo.replica.user, password: woo.replica.password },
  };
}
