import type { RowDataPacket } from 'mysql2/promise';
import { describe, expect, it } from 'vitest';

import type { WooCommerceDb } from '../../../../worker/src/connectors/woocommerce-db/client';
import { WooDbError } from '../../../../worker/src/connectors/woocommerce-db/errors';
import { EVENT_PRODUCT_ID } from '../../../fakes/woocommerce-db/data';
import { storesInBothStorages } from '../../../fakes/woocommerce-db/both-storages';

const storeIn = storesInBothStorages('stream', { paidOrders: 240, unpaidOrders: 30, seed: 5 });

async function keysetIds(woo: WooCommerceDb, productIds: number[], afterId: number): Promise<number[]> {
  const source = await woo.source();
  const all: number[] = [];
  for (let after = afterId; ;) {
    const page = await source.scanOrderIds({ productIds, afterId: after, limit: 50 });
    if (page.length === 0) return all;
    all.push(...page);
    after = page[page.length - 1] as number;
  }
}

describe.each(['hpos', 'legacy'] as const)('streamOrderIds (%s storage)', (storage) => {
  const store = () => storeIn(storage);

  it('hands over, in chunks and in order, exactly the ids the keyset scan pages through, and counts them', async () => {
    const { woo } = store();
    const source = await woo.source();
    const productIds = (await woo.findProduct(EVENT_PRODUCT_ID)).map((product) => product.id);
    for (const afterId of [0, (await keysetIds(woo, productIds, 0))[99] as number]) {
      const chunks: number[][] = [];
      const count = await source.streamOrderIds({ productIds, afterId }, (ids) => chunks.push(ids), { chunk: 32 });
      const expected = await keysetIds(woo, productIds, afterId);
      expect(expected.length).toBeGreaterThan(100);
      expect(chunks.flat()).toEqual(expected);
      expect(count).toBe(expected.length);
      expect(chunks.every((chunk) => chunk.length > 0 && chunk.length <= 32)).toBe(true);
    }
  });

  it('stops when aborted: nothing more is handed over, and the pool keeps working', async () => {
    const { woo } = store();
    const source = await woo.source();
    const productIds = (await woo.findProduct(EVENT_PRODUCT_ID)).map((product) => product.id);
    const stop = new AbortController();
    const chunks: number[][] = [];
    await source.streamOrderIds(
      { productIds, afterId: 0 },
      (ids) => {
        chunks.push(ids);
        stop.abort();
      },
      { chunk: 10, signal: stop.signal },
    );
    expect(chunks).toHaveLength(1);
    expect(await source.scanOrderIds({ productIds, afterId: 0, limit: 3 })).toHaveLength(3);
  });
});

describe('streamRows', () => {
  it('runs on a read-only session too: a write fails and changes nothing', async () => {
    const { woo, fixture } = storeIn('hpos');
    const before = await fixture.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM wp_options');
    await expect(
      woo.streamRows("INSERT INTO wp_options (option_name, option_value) VALUES ('pwned', '1')", [], 'wp_options', () => undefined),
    ).rejects.toMatchObject({ code: 'ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION' });
    expect(await fixture.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM wp_options')).toEqual(before);
  });

  it('a failed read rejects with the connector error, and the pool keeps working', async () => {
    const { woo } = storeIn('hpos');
    await expect(woo.streamRows('SELECT id FROM wp_no_such_table', [], 'wp_no_such_table', () => undefined)).rejects.toBeInstanceOf(WooDbError);
    expect(await woo.rows('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });
});
