import { sql } from 'kysely';

import type { Db } from '../../core/db';
import { nearestRowsEngine } from './nearest-rows';
import { dot, normalize, unpackVector } from './vectors';

/** Rows kept from the int8 scan for exact rescoring, per requested result (and at least). */
const OVERSAMPLE = 2;
const MIN_CANDIDATES = 24;
/** An owner's search widens its scan this many times when other owners' rows crowd the candidates. */
const OWNER_WIDENING = 8;
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
  /** One row of `dimensions` int8 values per chunk: the unit vector ÷ its largest magnitude × 127. */
  codes: Int8Array;
  /** `COUNT(*)` and `MAX(id)` of the chunks it was built from: a cheap change signature. */
  signature: string;
  builtAt: number;
}

/**
 * Nearest products by cosine similarity, brute force in two steps: every chunk's int8 codes
 * (1 byte per dimension: 20,000 × 1,536 = 31 MB, a quarter of float32) are scanned natively;
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
    return s ? s.codes.byteLength + s.chunkIds.byteLength + s.productIds.byteLength : 0;
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
    const engine = nearestRowsEngine();
    let wanted = Math.max(MIN_CANDIDATES, limit * OVERSAMPLE);
    for (;;) {
      started = performance.now();
      const rows = engine.nearest(snapshot.codes, snapshot.dimensions, unit, wanted);
      if (timing) timing.scan = (timing.scan ?? 0) + performance.now() - started;
      started = performance.now();
      const hits = await this.rescore(
        rows.map((row) => snapshot.chunkIds[row] as number),
        unit,
        limit,
        owner,
      );
      if (timing) timing.rescore = (timing.rescore ?? 0) + performance.now() - started;
      // Candidates are drawn from every owner's rows: an owner's own may lie further down.
      if (owner === undefined || hits.length >= limit || rows.length < wanted) return hits;
      wanted *= OWNER_WIDENING;
    }
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
  const chunkIds = new Float64Array(total);
  const productIds = new Float64Array(total);
  let count = 0;
  for (let afterId = 0; count < total;) {
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
    signature: sig,
    builtAt: Date.now(),
  };
}
