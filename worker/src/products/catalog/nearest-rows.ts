/**
 * The `k` rows of an int8 matrix nearest to a query by cosine. Each row holds a unit vector divided
 * by its own scale, so the cosine of the codes is the vector's cosine up to rounding: the per-row
 * scale cancels out and rows need no rescaling to compete.
 *
 * USearch's exact search does it natively with SIMD (about 5 ms for 20,000 × 1,536 on one core,
 * where the same loop in JavaScript takes 60 ms or more). When its prebuilt binary cannot load on a
 * platform, the JavaScript scan gives the same ranking more slowly.
 */
export interface NearestRowsEngine {
  readonly name: 'usearch' | 'javascript';
  nearest(codes: Int8Array, dimensions: number, query: Float32Array, k: number): number[];
}

interface USearchModule {
  exactSearch(dataset: Int8Array, queries: Int8Array, dimensions: number, count: number, metric: 'cos', threads: number): { keys: BigUint64Array };
}

/** Quantises a query the way the rows are: ÷ its largest magnitude, × 127. */
export function quantize(query: Float32Array): Int8Array {
  let max = 0;
  for (let i = 0; i < query.length; i += 1) max = Math.max(max, Math.abs(query[i] as number));
  const out = new Int8Array(query.length);
  if (max === 0) return out;
  for (let i = 0; i < query.length; i += 1) out[i] = Math.round(((query[i] as number) / max) * 127);
  return out;
}

export const javascriptEngine: NearestRowsEngine = {
  name: 'javascript',
  nearest(codes, dimensions, query, k) {
    const count = Math.floor(codes.length / dimensions);
    const keep = Math.min(k, count);
    // Quantised like the native engine's query, so both rank alike.
    const coded = quantize(query);
    const topScores = new Float64Array(keep).fill(-Infinity);
    const topRows = new Int32Array(keep).fill(-1);
    let floor = -Infinity;
    let lowest = 0;
    for (let row = 0; row < count; row += 1) {
      const base = row * dimensions;
      let dotSum = 0;
      let normSum = 0;
      for (let i = 0; i < dimensions; i += 1) {
        const code = codes[base + i] as number;
        dotSum += code * (coded[i] as number);
        normSum += code * code;
      }
      const score = normSum > 0 ? dotSum / Math.sqrt(normSum) : -Infinity;
      if (score <= floor) continue;
      // k is small, so replacing the lowest with a linear pass beats a heap here.
      topScores[lowest] = score;
      topRows[lowest] = row;
      floor = Infinity;
      for (let j = 0; j < keep; j += 1) {
        if ((topScores[j] as number) < floor) {
          floor = topScores[j] as number;
          lowest = j;
        }
      }
    }
    return [...topRows.keys()]
      .filter((j) => (topRows[j] as number) >= 0)
      .sort((a, b) => (topScores[b] as number) - (topScores[a] as number))
      .map((j) => topRows[j] as number);
  },
};

function usearchEngine(module: USearchModule): NearestRowsEngine {
  return {
    name: 'usearch',
    nearest(codes, dimensions, query, k) {
      const count = Math.floor(codes.length / dimensions);
      if (count === 0 || k <= 0) return [];
      // The binding reads from the start of the buffer, whatever the view's offset: hand it its own.
      const dataset = codes.byteOffset === 0 && codes.length === count * dimensions ? codes : codes.slice(0, count * dimensions);
      // One thread: searches already run side by side, and the worker shares its cores with MySQL.
      const { keys } = module.exactSearch(dataset, quantize(query), dimensions, Math.min(k, count), 'cos', 1);
      return Array.from(keys, (key) => Number(key));
    },
  };
}

let loaded: NearestRowsEngine | undefined;

/** USearch when its binary loads here, else the JavaScript scan (decided once per process). */
export function nearestRowsEngine(): NearestRowsEngine {
  if (!loaded) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- an optional native module: loaded only if its binary works here.
      loaded = usearchEngine(require('usearch') as USearchModule);
    } catch {
      loaded = javascriptEngine;
    }
  }
  return loaded;
}
