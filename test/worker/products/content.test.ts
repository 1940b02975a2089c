import { describe, expect, it } from 'vitest';

import { chunkText, contentHash, htmlToText, productDocument, type ProductText } from '../../../worker/src/products/catalog/content';

const base: ProductText = {
  name: 'Blue Mug',
  short_description: '<p>A mug.</p>',
  description: '<p>Holds <strong>coffee</strong>.</p>',
  categories: ['Kitchen', 'Mugs'],
  tags: ['blue', 'ceramic'],
};

describe('contentHash', () => {
  const hash = contentHash(base);
  it.each([
    ['identical text', base, true],
    ['categories in another order', { ...base, categories: ['Mugs', 'Kitchen'] }, true],
    ['tags repeated', { ...base, tags: ['blue', 'ceramic', 'blue'] }, true],
    ['extra whitespace', { ...base, name: '  Blue   Mug ' }, true],
    ['a new name', { ...base, name: 'Red Mug' }, false],
    ['a new short description', { ...base, short_description: '<p>A cup.</p>' }, false],
    ['a new description', { ...base, description: '<p>Holds tea.</p>' }, false],
    ['a new category', { ...base, categories: ['Kitchen'] }, false],
    ['a new tag', { ...base, tags: ['blue'] }, false],
    ['text moved between fields', { ...base, name: 'Blue', short_description: 'Mug <p>A mug.</p>' }, false],
  ] as Array<[string, ProductText, boolean]>)('%s → same hash: %s', (_label, text, same) => {
    expect(contentHash(text) === hash).toBe(same);
  });

  it('ignores fields that are not text (price, stock) because they are not part of its input', () => {
    const withPrice = { ...base, price: '9.99', stock_quantity: 3 } as ProductText;
    expect(contentHash(withPrice)).toBe(hash);
  });
});

describe('htmlToText', () => {
  it.each([
    ['<p>Hello <b>world</b></p>', 'Hello world'],
    ['Line<br>two', 'Line\ntwo'],
    ['<script>alert(1)</script>Safe', 'Safe'],
    ['<style>p{}</style><p>x</p>', 'x'],
    ['Fish &amp; chips &lt;3', 'Fish & chips <3'],
    ["'); DROP TABLE products; --", "'); DROP TABLE products; --"],
    ['', ''],
  ])('%j → %j', (html, text) => {
    expect(htmlToText(html)).toBe(text);
  });
});

describe('productDocument', () => {
  it('joins name, descriptions and terms', () => {
    expect(productDocument(base)).toBe('Blue Mug\n\nA mug.\n\nHolds coffee .\n\nCategories: Kitchen, Mugs\n\nTags: blue, ceramic');
  });
  it('leaves out empty parts', () => {
    expect(productDocument({ name: 'X', short_description: '', description: '', categories: [], tags: [] })).toBe('X');
  });
});

describe('chunkText', () => {
  const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');

  it.each([
    ['empty text', '', 100, 10, 0],
    ['short text', 'one chunk only', 100, 10, 1],
    ['exactly the size', 'x'.repeat(100), 100, 10, 1],
    ['one over the size', 'x'.repeat(101), 100, 10, 2],
    ['many words (2,289 characters, ~178 new characters per chunk)', words(300), 200, 20, 13],
  ])('%s → %d chunks', (_label, text, size, overlap, count) => {
    const chunks = chunkText(text, size, overlap);
    expect(chunks).toHaveLength(count);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(size);
  });

  it('cuts at word boundaries and overlaps neighbours', () => {
    const chunks = chunkText(words(300), 200, 20);
    for (const chunk of chunks) expect(chunk).toMatch(/^word\d+( word\d+)*$/);
    for (let i = 1; i < chunks.length; i += 1) {
      const previousLast = (chunks[i - 1] as string).split(' ').at(-1) as string;
      expect((chunks[i] as string).split(' ')).toContain(previousLast);
    }
    // Nothing is lost: every word appears in some chunk.
    const seen = new Set(chunks.flatMap((chunk) => chunk.split(' ')));
    expect(seen.size).toBe(300);
  });

  it('prefers paragraph breaks', () => {
    const text = `${'a '.repeat(60).trim()}\n\n${'b '.repeat(60).trim()}`;
    const chunks = chunkText(text, 150, 10);
    expect(chunks[0]).toBe('a '.repeat(60).trim());
  });

  it('rejects an overlap as large as the size', () => {
    expect(() => chunkText('abc', 10, 10)).toThrow(RangeError);
  });
});
