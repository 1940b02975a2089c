import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startFakeEmbeddings, wordVector, type FakeEmbeddingsServer } from '../../fakes/embeddings/server';
import { adminHeaders, type TestRuntime } from '../../support/runtime';
import { generateToken, postEvent, productEvent, startProductsRuntime, waitForEventSettled, type GeneratedToken } from './helpers';

const DIMENSIONS = 64;

interface SearchBody {
  query: string;
  model: string;
  count: number;
  results: Array<{ score: number; product: { woo_id: number; name: string; owner: string } }>;
}

const cosine = (a: number[], b: number[]): number => {
  let dot = 0;
  let na = 0;
  let nb = 0;
  a.forEach((value, i) => {
    dot += value * (b[i] ?? 0);
    na += value * value;
    nb += (b[i] ?? 0) * (b[i] ?? 0);
  });
  return dot / Math.sqrt(na * nb);
};

/** Search through the local embeddings server, whose vectors share direction when texts share words. */
describe('GET /api/v1/products/search', () => {
  let runtime: TestRuntime;
  let fake: FakeEmbeddingsServer;
  let shop: GeneratedToken;
  let other: GeneratedToken;

  const CATALOGUE: Array<[number, string, string]> = [
    [1, 'Blue ceramic coffee mug', 'A ceramic mug for coffee, blue glaze.'],
    [2, 'Stainless steel coffee kettle', 'Boils water for coffee and tea.'],
    [3, 'Red wool winter scarf', 'Warm wool scarf for the winter.'],
    [4, 'Green tea cup', 'A small ceramic cup for green tea.'],
    [5, 'Leather hiking boots', 'Waterproof boots for mountain trails.'],
  ];

  const send = async (token: GeneratedToken, body: Record<string, unknown>) => {
    expect((await postEvent(runtime, token.token, body)).status).toBe(202);
    await waitForEventSettled(runtime, body.event_id as string);
  };
  const search = async (query: string, headers: Record<string, string> = adminHeaders()) => {
    const response = await fetch(`${runtime.url}/api/v1/products/search?${query}`, { headers });
    return { status: response.status, body: (await response.json()) as SearchBody & { error?: { code: string } } };
  };

  beforeAll(async () => {
    fake = await startFakeEmbeddings({ words: { dimensions: DIMENSIONS } });
    runtime = await startProductsRuntime({ EMBEDDINGS_URL: fake.url, EMBEDDINGS_MODEL: 'words-64', PRODUCTS_SEARCH_REFRESH_MS: '200' });
    shop = await generateToken(runtime, { name: 'shop', owner: 'shop' });
    other = await generateToken(runtime, { name: 'other', owner: 'other' });
    for (const [id, name, description] of CATALOGUE) {
      await send(shop, productEvent(id, { name, short_description: '', description, categories: [], tags: [] }, { event_type: 'product.created' }));
    }
    await send(
      other,
      productEvent(
        99,
        { name: 'Ceramic coffee mug deluxe', short_description: '', description: 'Coffee mug.', categories: [], tags: [] },
        { event_type: 'product.created' },
      ),
    );
  });
  afterAll(async () => {
    await runtime?.dispose();
    await fake?.close();
  });

  it('embeds the query through the same endpoint and ranks the nearest products by cosine', async () => {
    const callsBefore = fake.calls;
    const { status, body } = await search('q=ceramic%20coffee%20mug&limit=3');
    expect(status).toBe(200);
    expect(fake.calls).toBe(callsBefore + 1);
    expect(fake.inputs.at(-1)).toBe('ceramic coffee mug');
    expect(body).toMatchObject({ query: 'ceramic coffee mug', model: 'words-64', count: 3 });
    expect(
      body.results
        .map((result) => result.product.name)
        .slice(0, 2)
        .sort(),
    ).toEqual(['Blue ceramic coffee mug', 'Ceramic coffee mug deluxe']);
    const scores = body.results.map((result) => result.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    // Scores are the exact cosine between the query and the product's stored chunk.
    const chunks = await runtime.ctx.db
      .selectFrom('synchub_product_chunks as c')
      .innerJoin('synchub_products as p', 'p.id', 'c.product_id')
      .select(['p.woo_id', 'c.content'])
      .execute();
    const query = wordVector('ceramic coffee mug', DIMENSIONS);
    for (const result of body.results) {
      const content = chunks.find((chunk) => Number(chunk.woo_id) === result.product.woo_id)?.content ?? '';
      expect(result.score).toBeCloseTo(cosine(query, wordVector(content, DIMENSIONS)), 5);
    }
    const scarf = (await search('q=warm%20wool%20scarf&limit=1')).body.results[0];
    expect(scarf?.product.name).toBe('Red wool winter scarf');
  });

  it('an integration token searches its own catalogue only', async () => {
    const own = await search('q=ceramic%20coffee%20mug&limit=10', { Authorization: `Bearer ${shop.token}` });
    expect(own.status).toBe(200);
    expect(own.body.results.every((result) => result.product.owner === 'shop')).toBe(true);
    expect(own.body.results[0]?.product.name).toBe('Blue ceramic coffee mug');
    const theirs = await search('q=ceramic%20coffee%20mug&limit=10', { Authorization: `Bearer ${other.token}` });
    expect(theirs.body.results.map((result) => result.product.name)).toEqual(['Ceramic coffee mug deluxe']);
  });

  it('leaves deleted products out at once, and finds new ones after the index refresh', async () => {
    await send(shop, { event_id: `del-${Date.now()}`, event_type: 'product.deleted', product: { id: 1 } });
    const after = await search('q=ceramic%20coffee%20mug&limit=5');
    expect(after.body.results.map((result) => result.product.woo_id)).not.toContain(1);
    await send(
      shop,
      productEvent(
        6,
        { name: 'Ceramic coffee mug set', short_description: '', description: 'Four ceramic coffee mugs.', categories: [], tags: [] },
        { event_type: 'product.created' },
      ),
    );
    let found = false;
    for (let attempt = 0; attempt < 40 && !found; attempt += 1) {
      found = (await search('q=ceramic%20coffee%20mug&limit=3')).body.results.some((result) => result.product.woo_id === 6);
      if (!found) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(found).toBe(true);
  });

  it("an owner's products below other owners' nearest candidates are still found", async () => {
    // 30 of the shop's mugs outrank the other owner's boots for this query: the scan must widen.
    const events = Array.from({ length: 30 }, (_, n) =>
      productEvent(
        200 + n,
        { name: `Ceramic coffee mug no. ${n}`, short_description: '', description: 'A ceramic coffee mug.', categories: [], tags: [] },
        { event_type: 'product.created' },
      ),
    );
    events.push(
      productEvent(
        98,
        { name: 'Leather hiking boots', short_description: '', description: 'Boots for trails.', categories: [], tags: [] },
        { event_type: 'product.created' },
      ),
    );
    for (const [n, event] of events.entries()) expect((await postEvent(runtime, n === 30 ? other.token : shop.token, event)).status).toBe(202);
    for (const event of events) await waitForEventSettled(runtime, event.event_id as string);
    let names: string[] = [];
    for (let attempt = 0; attempt < 40 && names.length < 2; attempt += 1) {
      names = (await search('q=ceramic%20coffee%20mug&limit=2', { Authorization: `Bearer ${other.token}` })).body.results.map((result) => result.product.name);
      if (names.length < 2) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(names).toEqual(['Ceramic coffee mug deluxe', 'Leather hiking boots']);
  });

  it.each([
    ['no query', 'limit=3', 400, 'validation_error'],
    ['an empty query', 'q=%20&limit=3', 400, 'validation_error'],
    ['a limit over 100', 'q=mug&limit=500', 400, 'validation_error'],
    ['an unknown parameter', 'q=mug&owner=x', 400, 'validation_error'],
  ])('answers %s with %d', async (_label, query, status, code) => {
    const response = await search(query);
    expect(response.status).toBe(status);
    expect(response.body.error?.code).toBe(code);
  });

  it('needs the admin token or an integration token', async () => {
    expect((await search('q=mug', {})).status).toBe(401);
    expect((await search('q=mug', { Authorization: 'Bearer wc_sk_live_' + 'x'.repeat(40) })).status).toBe(401);
  });
});
