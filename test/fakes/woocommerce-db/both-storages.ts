import { afterAll, beforeAll } from 'vitest';

import { loadConfig } from '../../../worker/src/config';
import { WooCommerceDb } from '../../../worker/src/connectors/woocommerce-db/client';
import { wooDbConfigFromEnv, wooDbConfigSchema } from '../../../worker/src/connectors/woocommerce-db/config';
import type { FixtureSpec } from './data';
import { createWooCommerceFixture, type Storage, type WooFixture } from './fixture';

export interface StoreUnderTest {
  storage: Storage;
  fixture: WooFixture;
  woo: WooCommerceDb;
}

/** A fixture store in each storage mode with its connector, built before the file's tests and dropped after. */
export function storesInBothStorages(label: string, spec: FixtureSpec): (storage: Storage) => StoreUnderTest {
  const stores: StoreUnderTest[] = [];
  beforeAll(async () => {
    for (const storage of ['hpos', 'legacy'] as const) {
      const fixture = await createWooCommerceFixture({ storage, label: `${label}${storage}`, spec });
      const woo = new WooCommerceDb(wooDbConfigSchema.parse(await wooDbConfigFromEnv(loadConfig(fixture.env))));
      stores.push({ storage, fixture, woo });
    }
  }, 120_000);
  afterAll(async () => {
    for (const store of stores) {
      await store.woo.close();
      await store.fixture.drop();
    }
  });
  return (storage) => stores.find((entry) => entry.storage === storage) as StoreUnderTest;
}
