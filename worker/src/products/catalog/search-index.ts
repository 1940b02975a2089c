import { sql } from 'kysely';

import type { Db } from '../../core/db';
import { dot, normalize, unpackVector } from './vectors';

/** Candidates taken from the int8 scan for exact rescoring, per requested result. */
const OVERSAMPLE = 8;
const MIN_CANDIDATES = 64;
const LOAD_PAGE = 2_000;

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
  /** `COUNT(*)` and `MAX(id)` of the chunks it was built from: a cheap change signature. */
  signature: string;
  builtAt: number;
}

/**
 * Nearest products by cosine similarity. The vectors of every chunk of the current model are held
 * in memory as int8 codes with a per-row scale (1 byte per dimension: 20,000 × 1,536 = 31 MB,
 * a quarter of float32), scanned brute force; the best candidates are then rescored exactly from
 * the float32 vectors in MySQL, joined with the active products (so a product deleted since the
 * index was built never appears). Built on the first search; rebuilt in the background when the
 * chunks changed (this process saved embeddings, or the table's signature moved, checked at most
 * every `refreshMs`), while searches keep using the previous build.
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
    return s ? s.codes.byteLength + s.scales.byteLength + s.chunkIds.byteLength + s.productIds.byteLength : 0;
  }

  get size(): number {
    return this.snapshot?.chunkIds.length ?? 0;
  }

  /** `owner`: only that owner's products (an integration token sees its own catalogue). */
  async search(model: string, query: ArrayLike<number>, limit: number, owner?: string): Promise<SearchHit[]> {
    const snapshot = await this.current(model);
    const unit = normalize(query);
    if (snapshot.chunkIds.length === 0 || snapshot.dimensions !== unit.length) return [];
    const candidates = scan(snapshot, unit, Math.max(MIN_CANDIDATES, limit * OVERSAMPLE));
    return this.rescore(candidates, unit, limit, owner);
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

async function signature(db: Db, model: string): Promise<string> {
  const row = await db
    .selectFrom('synchub_product_chunks')
    .select([sql<number>`COUNT(*)`.as('n'), sql<number>`COALESCE(MAX(id), 0)`.as('max')])
    .where('model', '=', model)
    .where('vector', 'is not', null)
    .executeTakeFirstOrThrow();
  return `${row.n}:${row.max}`;
}

/** Reads the vectors page by page (never the whole table in one result) into int8 rows. */
async function build(db: Db, model: string): Promise<Snapshot> {
  const sig = await signature(db, model);
  const total = Number(sig.split(':')[0]);
  let dimensions = 0;
  let codes = new Int8Array(0);
  const scales = new Float32Array(total);
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
      }
      if (vector.length !== dimensions) continue;
      let max = 0;
      for (let i = 0; i < dimensions; i += 1) max = Math.max(max, Math.abs(vector[i] as number));
      const scale = max > 0 ? max / 127 : 1;
      const base = count * dimensions;
      for (let i = 0; i < dimensions; i += 1) codes[base + i] = Math.round((vector[i] as number) / scale);
      scales[count] = scale;
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
    signature: sig,
    builtAt: Date.now(),
  };
}

/** The `k` chunk ids with the highest approximate score; a product's chunks all compete, products merge at rescoring. */
function scan(snapshot: Snapshot, unit: Float32Array, k: number): number[] {
  const { codes, scales, dimensions, chunkIds } = snapshot;
  const rows = chunkIds.length;
  const topScores = new Float32Array(k).fill(-Infinity);
  const topRows = new Int32Array(k).fill(-1);
  let floor = -Infinity;
  for (let row = 0; row < rows; row += 1) {
    const base = row * dimensions;
    let a = 0;
    let b = 0;
    let c = 0;
    let d = 0;
    let i = 0;
    for (; i + 3 < dimensions; i += 4) {
      a += (codes[base + i] as number) * (unit[i] as number);
      b += (codes[base + i + 1] as number) * (unit[i + 1] as number);
      c += (codes[base + i + 2] as number) * (unit[i + 2] as number);
      d += (codes[base + i + 3] as number) * (unit[i + 3] as number);
    }
    for (; i < dimensions; i += 1) a += (codes[base + i] as number) * (unit[i] as number);
    const score = (a + b + c + d) * (scales[row] as number);
    if (score <= floor) continue;
    // Replace the lowest of the kept candidates (k is small: a linear pass is cheaper than a heap here).
    let lowest = 0;
    for (let j = 1; j < k; j += 1) if ((topScores[j] as number) < (topScores[lowest] as number)) lowest = j;
    topScores[lowest] = score;
    topRows[lowest] = row;
    floor = Infinity;
    for (let j = 0; j < k; j += 1) floor = Math.min(floor, topScores[j] as number);
  }
  const ids: number[] = [];
  for (let j = 0; j < k; j += 1) if ((topRows[j] as number) >= 0) ids.push(chunkIds[topRows[j] as number] as number);
  return ids;
}
