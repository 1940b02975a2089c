import { sql } from 'kysely';

import type { Db } from '../../core/db';
import { dot, normalize, unpackVector } from './vectors';

/** Dimensions of the sketch scanned first (a signed sum of the vector's dimensions, count-sketch style). */
const SKETCH = 256;
/** Rows kept from the sketch scan, then from the int8 rescoring, per requested result. */
const SKETCH_OVERSAMPLE = 40;
const MIN_SKETCH_CANDIDATES = 400;
const OVERSAMPLE = 2;
const MIN_CANDIDATES = 24;
const LOAD_PAGE = 2_000;

/** Which sketch slot and sign each dimension of a `dimensions`-long vector goes to (fixed per process). */
function sketchPlan(dimensions: number): { slot: Int32Array; sign: Float32Array } {
  const slot = new Int32Array(dimensions);
  const sign = new Float32Array(dimensions);
  let state = 0x9e3779b9;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  };
  for (let i = 0; i < dimensions; i += 1) {
    slot[i] = next() % SKETCH;
    sign[i] = next() & 1 ? 1 : -1;
  }
  return { slot, sign };
}

function sketchOf(vector: ArrayLike<number>, plan: { slot: Int32Array; sign: Float32Array }): Float32Array {
  const out = new Float32Array(SKETCH);
  for (let i = 0; i < vector.length; i += 1) out[plan.slot[i] as number] = (out[plan.slot[i] as number] as number) + (plan.sign[i] as number) * (vector[i] as number);
  return out;
}

export interface SearchHit {
  productId: number;
  score: number;
}

interface Snapshot {
  model: string;
  dimensions: number;
  chunkIds: Float64Array;
  productIds: Float64Array;
  /** One row of `dimensions` int8 values per chunk: the unit vector ÷ its row scale. */
  codes: Int8Array;
  scales: Float32Array;
  /** One row of SKETCH int8 values per chunk, scanned first. */
  sketches: Int8Array;
  sketchScales: Float32Array;
  plan: { slot: Int32Array; sign: Float32Array };
  /** `COUNT(*)` and `MAX(id)` of the chunks it was built from: a cheap change signature. */
  signature: string;
  builtAt: number;
}

/**
 * Nearest products by cosine similarity, brute force in three steps: every chunk's 256-slot int8
 * sketch (a signed sum of its dimensions) is scanned; the best 400+ are rescored on their full int8
 * codes (1 byte per dimension and a per-row scale: 20,000 × 1,536 = 31 MB, a quarter of float32);
 * the best 24+ (twice the limit) are rescored exactly from the float32 vectors in MySQL, joined with the active
 * products (so a product deleted since the index was built never appears). Built on the first
 * search; rebuilt in the background when the chunks changed (this process saved embeddings, or the
 * table's signature moved, checked at most every `refreshMs`), searches using the previous build meanwhile.
 */
export class SearchIndex {
  private snapshot: Snapshot | undefined;
  private building: Promise<Snapshot> | undefined;
  private dirty = false;
  private checkedAt = 0;

  constructor(
    private readonly db: Db,
    private readonly refreshMs: number,
  ) {}

  /** This process changed the chunks: the next search rebuilds in the background. */
  invalidate(): void {
    this.dirty = true;
  }

  get memoryBytes(): number {
    const s = this.snapshot;
    return s ? s.codes.byteLength + s.scales.byteLength + s.sketches.byteLength + s.sketchScales.byteLength + s.chunkIds.byteLength + s.productIds.byteLength : 0;
  }

  get size(): number {
    return this.snapshot?.chunkIds.length ?? 0;
  }

  /** `owner`: only that owner's products (an integration token sees its own catalogue). */
  async search(model: string, query: ArrayLike<number>, limit: number, owner?: string, timing?: Record<string, number>): Promise<SearchHit[]> {
    let started = performance.now();
    const snapshot = await this.current(model);
    if (timing) timing.load = performance.now() - started;
    const unit = normalize(query);
    if (snapshot.chunkIds.length === 0 || snapshot.dimensions !== unit.length) return [];
    // Sketch scan over all rows, int8 rescoring of the survivors, exact float32 rescoring of the best.
    started = performance.now();
    const sketchRows = scanRows(snapshot.sketches, snapshot.sketchScales, SKETCH, sketchOf(unit, snapshot.plan), null, Math.max(MIN_SKETCH_CANDIDATES, limit * SKETCH_OVERSAMPLE));
    const rows = scanRows(snapshot.codes, snapshot.scales, snapshot.dimensions, unit, sketchRows, Math.max(MIN_CANDIDATES, limit * OVERSAMPLE));
    if (timing) timing.scan = performance.now() - started;
    started = performance.now();
    const hits = await this.rescore(rows.map((row) => snapshot.chunkIds[row] as number), unit, limit, owner);
    if (timing) timing.rescore = performance.now() - started;
    return hits;
  }

  private async current(model: string): Promise<Snapshot> {
    const snapshot = this.snapshot;
    if (!snapshot || snapshot.model !== model) return this.rebuild(model);
    if (this.dirty || Date.now() - this.checkedAt >= this.refreshMs) void this.refreshInBackground(snapshot);
    return snapshot;
  }

  private async refreshInBackground(snapshot: Snapshot): Promise<void> {
    if (this.building) return;
    this.checkedAt = Date.now();
    const changed = this.dirty || (await signature(this.db, snapshot.model).catch(() => snapshot.signature)) !== snapshot.signature;
    if (changed) await this.rebuild(snapshot.model).catch(() => undefined);
  }

  private rebuild(model: string): Promise<Snapshot> {
    this.building ??= (async () => {
      this.dirty = false;
      try {
        const built = await build(this.db, model);
        this.snapshot = built;
        this.checkedAt = Date.now();
        return built;
      } finally {
        this.building = undefined;
      }
    })();
    return this.building;
  }

  private async rescore(candidates: number[], unit: Float32Array, limit: number, owner: string | undefined): Promise<SearchHit[]> {
    if (candidates.length === 0) return [];
    let query = this.db
      .selectFrom('synchub_product_chunks as c')
      .innerJoin('synchub_products as p', 'p.id', 'c.product_id')
      .select(['c.product_id', 'c.vector'])
      .where('c.id', 'in', candidates)
      .where('p.is_active', '=', 1);
    if (owner !== undefined) query = query.where('p.owner', '=', owner);
    const rows = await query.execute();
    const best = new Map<number, number>();
    for (const row of rows) {
      if (!row.vector) continue;
      const vector = unpackVector(row.vector);
      if (vector.length !== unit.length) continue;
      const score = dot(vector, unit);
      const productId = Number(row.product_id);
      if (score > (best.get(productId) ?? -Infinity)) best.set(productId, score);
    }
    return [...best]
      .map(([productId, score]) => ({ productId, score }))
      .sort((a, b) => b.score - a.score || a.productId - b.productId)
      .slice(0, limit);
  }
}

/** Chunks of the model (with or without a vector: testing the BLOB would read every one). */
async function signature(db: Db, model: string): Promise<string> {
  const row = await db
    .selectFrom('synchub_product_chunks')
    .select([sql<number>`COUNT(*)`.as('n'), sql<number>`COALESCE(MAX(id), 0)`.as('max')])
    .where('model', '=', model)
    .executeTakeFirstOrThrow();
  return `${row.n}:${row.max}`;
}

/** Reads the vectors page by page (never the whole table in one result) into int8 rows. */
async function build(db: Db, model: string): Promise<Snapshot> {
  const sig = await signature(db, model);
  const total = Number(sig.split(':')[0]);
  let dimensions = 0;
  let codes = new Int8Array(0);
  let plan = sketchPlan(0);
  const scales = new Float32Array(total);
  const sketches = new Int8Array(total * SKETCH);
  const sketchScales = new Float32Array(total);
  const chunkIds = new Float64Array(total);
  const productIds = new Float64Array(total);
  let count = 0;
  for (let afterId = 0; count < total; ) {
    const rows = await db
      .selectFrom('synchub_product_chunks')
      .select(['id', 'product_id', 'vector'])
      .where('model', '=', model)
      .where('vector', 'is not', null)
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(LOAD_PAGE)
      .execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      afterId = Number(row.id);
      if (!row.vector || count >= total) continue;
      const vector = unpackVector(row.vector);
      if (dimensions === 0) {
        dimensions = vector.length;
        codes = new Int8Array(total * dimensions);
        plan = sketchPlan(dimensions);
      }
      if (vector.length !== dimensions) continue;
      let max = 0;
      for (let i = 0; i < dimensions; i += 1) max = Math.max(max, Math.abs(vector[i] as number));
      const scale = max > 0 ? max / 127 : 1;
      const base = count * dimensions;
      for (let i = 0; i < dimensions; i += 1) codes[base + i] = Math.round((vector[i] as number) / scale);
      scales[count] = scale;
      const sketch = sketchOf(vector, plan);
      let sketchMax = 0;
      for (let i = 0; i < SKETCH; i += 1) sketchMax = Math.max(sketchMax, Math.abs(sketch[i] as number));
      const sketchScale = sketchMax > 0 ? sketchMax / 127 : 1;
      for (let i = 0; i < SKETCH; i += 1) sketches[count * SKETCH + i] = Math.round((sketch[i] as number) / sketchScale);
      sketchScales[count] = sketchScale;
      chunkIds[count] = afterId;
      productIds[count] = Number(row.product_id);
      count += 1;
    }
  }
  return {
    model,
    dimensions,
    chunkIds: chunkIds.subarray(0, count),
    productIds: productIds.subarray(0, count),
    codes: codes.subarray(0, count * dimensions),
    scales: scales.subarray(0, count),
    sketches: sketches.subarray(0, count * SKETCH),
    sketchScales: sketchScales.subarray(0, count),
    plan,
    signature: sig,
    builtAt: Date.now(),
  };
}

/**
 * The `k` rows (of `rows`, or of all) with the highest approximate score `scale × (codes · query)`;
 * a product's chunks all compete, products merge at rescoring.
 */
function scanRows(codes: Int8Array, scales: Float32Array, width: number, query: Float32Array, rows: number[] | null, k: number): number[] {
  const count = rows ? rows.length : scales.length;
  const topScores = new Float32Array(k).fill(-Infinity);
  const topRows = new Int32Array(k).fill(-1);
  let floor = -Infinity;
  let lowest = 0;
  for (let n = 0; n < count; n += 1) {
    const row = rows ? (rows[n] as number) : n;
    const base = row * width;
    let a = 0;
    let b = 0;
    let c = 0;
    let d = 0;
    let i = 0;
    for (; i + 3 < width; i += 4) {
      a += (codes[base + i] as number) * (query[i] as number);
      b += (codes[base + i + 1] as number) * (query[i + 1] as number);
      c += (codes[base + i + 2] as number) * (query[i + 2] as number);
      d += (codes[base + i + 3] as number) * (query[i + 3] as number);
    }
    for (; i < width; i += 1) a += (codes[base + i] as number) * (query[i] as number);
    const score = (a + b + c + d) * (scales[row] as number);
    if (score <= floor) continue;
    // Replace the lowest kept candidate; k is small, so a linear pass beats a heap here.
    topScores[lowest] = score;
    topRows[lowest] = row;
    floor = Infinity;
    for (let j = 0; j < k; j += 1) {
      if ((topScores[j] as number) < floor) {
        floor = topScores[j] as number;
        lowest = j;
      }
    }
  }
  const out: number[] = [];
  for (let j = 0; j < k; j += 1) if ((topRows[j] as number) >= 0) out.push(topRows[j] as number);
  return out;
}
