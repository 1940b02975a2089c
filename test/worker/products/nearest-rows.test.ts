import { describe, expect, it } from 'vitest';

import { javascriptEngine, nearestRowsEngine, quantize } from '../../../worker/src/products/catalog/nearest-rows';

/** Deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Rows of unit vectors coded as the index codes them, some with very different magnitudes per dimension. */
function matrix(rows: number, dimensions: number, random: () => number): { codes: Int8Array; vectors: Float32Array[] } {
  const codes = new Int8Array(rows * dimensions);
  const vectors: Float32Array[] = [];
  for (let row = 0; row < rows; row += 1) {
    const spike = row % 3 === 0 ? 6 : 1;
    const vector = Float32Array.from({ length: dimensions }, (_, i) => (random() - 0.5) * (i % 11 === 0 ? spike : 1));
    const norm = Math.hypot(...vector);
    vector.forEach((value, i) => (vector[i] = value / norm));
    codes.set(quantize(vector), row * dimensions);
    vectors.push(vector);
  }
  return { codes, vectors };
}

const exactTop = (vectors: Float32Array[], query: Float32Array, k: number): number[] =>
  vectors
    .map((vector, row) => [row, vector.reduce((sum, value, i) => sum + value * (query[i] as number), 0)] as const)
    .sort((a, b) => b[1] - a[1])
    .slice(0, k)
    .map(([row]) => row);

describe('nearest rows of the int8 search matrix', () => {
  const random = prng(42);
  const dimensions = 96;
  const { codes, vectors } = matrix(600, dimensions, random);
  const queries = Array.from({ length: 20 }, (_, n) => {
    // Near a known row, with noise, so the true neighbour is clear.
    const base = vectors[(n * 29) % vectors.length] as Float32Array;
    return Float32Array.from(base, (value) => value + (random() - 0.5) * 0.02);
  });

  it('quantises a query to ±127 at its largest magnitude, and a zero query to zeros', () => {
    expect([...quantize(Float32Array.from([0.5, -0.2, 0.1]))]).toEqual([127, -51, 25]);
    expect([...quantize(new Float32Array(3))]).toEqual([0, 0, 0]);
  });

  for (const engine of [javascriptEngine, nearestRowsEngine()]) {
    it(`${engine.name}: the exact top 5 are within its top 10, best first, for rows of unequal scale`, () => {
      for (const query of queries) {
        const found = engine.nearest(codes, dimensions, query, 10);
        expect(found).toHaveLength(10);
        expect(new Set(found).size).toBe(10);
        const exact = exactTop(vectors, query, 5);
        expect(found[0]).toBe(exact[0]);
        for (const row of exact) expect(found).toContain(row);
      }
    });
  }

  it('the native engine loads on this platform and ranks as the JavaScript scan does', () => {
    const engine = nearestRowsEngine();
    expect(engine.name).toBe('usearch');
    for (const query of queries) expect(engine.nearest(codes, dimensions, query, 8)).toEqual(javascriptEngine.nearest(codes, dimensions, query, 8));
  });

  it('reads a view that starts inside a larger buffer from its own start', () => {
    const padded = new Int8Array(codes.length + 5 * dimensions);
    padded.set(codes, 5 * dimensions);
    const view = padded.subarray(5 * dimensions);
    const query = queries[3] as Float32Array;
    expect(nearestRowsEngine().nearest(view, dimensions, query, 10)).toEqual(nearestRowsEngine().nearest(codes, dimensions, query, 10));
  });

  it('returns every row when fewer rows than asked exist, and none from an empty matrix', () => {
    const small = codes.slice(0, 4 * dimensions);
    for (const engine of [javascriptEngine, nearestRowsEngine()]) {
      expect([...engine.nearest(small, dimensions, queries[0] as Float32Array, 10)].sort()).toEqual([0, 1, 2, 3]);
      expect(engine.nearest(new Int8Array(0), dimensions, queries[0] as Float32Array, 10)).toEqual([]);
    }
  });
});
