import { sql, type Selectable, type Transaction } from 'kysely';

import type { Db } from '../../core/db';
import { insertRows } from '../../core/db/insert-rows';
import type { Database } from '../../core/db/schema';
import { PermanentFailure } from '../../core/failures';
import { webhookBody } from '../ingest/payload';
import type { ProductsTable } from '../schema';
import { chunkHash, chunkText, productDocument, type ContentHashFormula } from './content';
import { packVector } from './vectors';
import { planEvent, type IncomingEvent, type Plan } from './plan';

export const externalId = (wooId: number): string => `woo_${wooId}`;

export type ApplyOutcome =
  | { result: 'already_applied'; productId: number | null }
  | { result: 'stale'; productId: number | null }
  | { result: 'deleted' | 'upserted'; productId: number; needsEmbedding: boolean; contentChanged: boolean };

export class PayloadError extends PermanentFailure {}

export interface PendingDocument {
  hash: string;
  chunks: string[];
}

export interface EmbeddedDocument extends PendingDocument {
  productId: number;
  vectors: number[][];
}

const CHUNK_COLUMNS = ['product_id', 'chunk_index', 'content', 'content_hash', 'embedding', 'vector', 'model'] as const;
/** What a chunk INSERT aims at: far below any max_allowed_packet (4 MB on the oldest servers), one round trip for many rows. */
const CHUNK_STATEMENT_BYTES = 640 * 1024;

/**
 * Chunk rows per INSERT for vectors of `dimensions`: a power of two (each size is one prepared
 * statement shape per connection) keeping a statement near CHUNK_STATEMENT_BYTES. A row carries
 * its vector twice, as JSON (up to about 20 characters a number) and as float32 bytes, besides its
 * text: about 38 KB at 1,536 dimensions gives 16 rows; a small model's rows go 256 at a time
 * instead of 16, a round trip saved for every 16.
 */
export function chunkRowsPerStatement(dimensions: number): number {
  const rowBytes = 24 * Math.max(0, dimensions) + 1_200;
  const fits = Math.max(1, Math.floor(CHUNK_STATEMENT_BYTES / rowBytes));
  return Math.min(256, 2 ** Math.floor(Math.log2(fits)));
}

interface MysqlError {
  errno?: number;
}
const EMBED_RETRYABLE_SQL = new Set([1213, 1205]); // deadlock, lock wait timeout
const RETRYABLE_SQL = new Set([1062, 1213, 1205]); // duplicate key (racing first insert), deadlock, lock wait timeout

/** A product row with no content yet: a deletion's tombstone, or the batch path's placeholder to lock. */
export const emptyProduct = (owner: string, externalId: string, wooId: number) => ({
  owner,
  external_id: externalId,
  woo_id: wooId,
  name: '',
  short_description: '',
  description: '',
  categories: '[]',
  tags: '[]',
  variations: '[]',
  is_active: 0,
  needs_embedding: 0,
});

/** The product store: events applied in order, each exactly once, inside one transaction. */
export class ProductStore {
  constructor(
    private readonly db: Db,
    private readonly formula: ContentHashFormula = 'synchub',
    /** Called after chunks were replaced or deleted (the search index rebuilds). */
    private readonly onChunksChanged: () => void = () => undefined,
  ) {}

  /** Applies one logged event; concurrent first inserts of a product are retried in place. */
  async applyEvent(eventLogId: number, processingStartedAt: number): Promise<ApplyOutcome> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        // READ COMMITTED: locking a product row that does not exist yet takes no gap lock, so
        // first inserts of different products never deadlock; a racing insert of the same one
        // fails on the unique key and is retried here.
        return await this.db
          .transaction()
          .setIsolationLevel('read committed')
          .execute((trx) => this.applyIn(trx, eventLogId, processingStartedAt));
      } catch (error) {
        const errno = (error as MysqlError).errno;
        if (attempt >= 5 || errno === undefined || !RETRYABLE_SQL.has(errno)) throw error;
      }
    }
  }

  private async applyIn(trx: Transaction<Database>, eventLogId: number, startedAt: number): Promise<ApplyOutcome> {
    const event = await trx.selectFrom('synchub_product_events').selectAll().where('id', '=', eventLogId).forUpdate().executeTakeFirst();
    if (!event) return { result: 'already_applied', productId: null };
    if (event.status === 'processed' || event.status === 'stale') {
      const row = await trx
        .selectFrom('synchub_products')
        .select('id')
        .where('owner', '=', event.owner)
        .where('external_id', '=', externalId(Number(event.product_id)))
        .executeTakeFirst();
      return { result: 'already_applied', productId: row ? Number(row.id) : null };
    }
    const parsed = webhookBody.safeParse(JSON.parse(event.payload));
    if (!parsed.success) throw new PayloadError(`stored payload of event ${event.event_id} no longer validates`);
    const body = parsed.data;
    const incoming: IncomingEvent = {
      eventLogId,
      eventId: event.event_id,
      eventType: body.event_type,
      version: event.version === null ? null : Number(event.version),
      product: body.event_type === 'product.deleted' ? null : body.product,
    };
    const key = externalId(body.product.id);
    const current = await trx
      .selectFrom('synchub_products')
      .select(['id', 'is_active', 'content_hash', 'embedded_hash', 'source_version', 'last_event_log_id'])
      .where('owner', '=', event.owner)
      .where('external_id', '=', key)
      .forUpdate()
      .executeTakeFirst();
    const state = current
      ? {
          ...current,
          is_active: Number(current.is_active),
          source_version: current.source_version === null ? null : Number(current.source_version),
          last_event_log_id: Number(current.last_event_log_id),
        }
      : null;
    const plan = planEvent(state, incoming, this.formula);
    const productId = await this.write(trx, plan, current ? Number(current.id) : null, { owner: event.owner, externalId: key, wooId: body.product.id });

    await trx
      .updateTable('synchub_product_events')
      .set({
        status: plan.kind === 'stale' ? 'stale' : 'processed',
        success: 1,
        error: plan.kind === 'stale' ? 'a newer state of this product is already stored' : null,
        attempts: sql<number>`attempts + 1`,
        processing_ms: Date.now() - startedAt,
        processed_at: sql<Date>`CURRENT_TIMESTAMP(3)`,
      })
      .where('id', '=', eventLogId)
      .execute();

    if (plan.kind === 'stale') return { result: 'stale', productId };
    if (productId === null) throw new Error('product write returned no id');
    if (plan.kind === 'delete') return { result: 'deleted', productId, needsEmbedding: false, contentChanged: false };
    return { result: 'upserted', productId, needsEmbedding: plan.needsEmbedding, contentChanged: plan.contentChanged };
  }

  private async write(
    trx: Transaction<Database>,
    plan: Plan,
    existingId: number | null,
    key: { owner: string; externalId: string; wooId: number },
  ): Promise<number | null> {
    if (plan.kind === 'stale') return existingId;
    const now = sql<Date>`CURRENT_TIMESTAMP(3)`;
    if (plan.kind === 'delete') {
      if (existingId !== null) {
        await trx.deleteFrom('synchub_product_chunks').where('product_id', '=', existingId).execute();
        await trx
          .updateTable('synchub_products')
          .set({
            ...plan.mark,
            is_active: 0,
            needs_embedding: 0,
            embedded_hash: null,
            deleted_at: sql<Date>`COALESCE(deleted_at, CURRENT_TIMESTAMP(3))`,
            revision: sql<number>`revision + 1`,
            updated_at: now,
          })
          .where('id', '=', existingId)
          .execute();
        return existingId;
      }
      // A deletion seen before the product itself: a tombstone keeps older events from resurrecting it.
      const inserted = await trx
        .insertInto('synchub_products')
        .values({
          ...emptyProduct(key.owner, key.externalId, key.wooId),
          deleted_at: new Date(),
          revision: 1,
          ...plan.mark,
        })
        .executeTakeFirstOrThrow();
      return Number(inserted.insertId);
    }
    const values = { ...plan.columns, ...plan.mark, is_active: 1, deleted_at: null, needs_embedding: plan.needsEmbedding ? 1 : 0 };
    if (existingId !== null) {
      await trx
        .updateTable('synchub_products')
        .set({ ...values, revision: sql<number>`revision + 1`, updated_at: now })
        .where('id', '=', existingId)
        .execute();
      return existingId;
    }
    const inserted = await trx
      .insertInto('synchub_products')
      .values({ owner: key.owner, external_id: key.externalId, woo_id: key.wooId, ...values, revision: 1 })
      .executeTakeFirstOrThrow();
    return Number(inserted.insertId);
  }

  /** The text to embed of each product that still needs it (active, text changed since its last embedding). */
  async pendingDocuments(productIds: readonly number[], chunkSize: number, overlap: number): Promise<Map<number, PendingDocument>> {
    const documents = new Map<number, PendingDocument>();
    if (productIds.length === 0) return documents;
    const rows = await this.db
      .selectFrom('synchub_products')
      .select(['id', 'name', 'short_description', 'description', 'categories', 'tags', 'content_hash', 'is_active', 'needs_embedding'])
      .where('id', 'in', [...productIds])
      .execute();
    for (const row of rows) {
      if (!row.is_active || !row.needs_embedding || !row.content_hash) continue;
      const document = productDocument({
        name: row.name,
        short_description: row.short_description,
        description: row.description,
        categories: JSON.parse(row.categories) as string[],
        tags: JSON.parse(row.tags) as string[],
      });
      documents.set(Number(row.id), { hash: row.content_hash, chunks: chunkText(document, chunkSize, overlap) });
    }
    return documents;
  }

  /**
   * Replaces the chunks of many products in one transaction, skipping any whose text changed
   * meanwhile (its own job embeds the newer text); resolves with the products saved. Read
   * committed: the products' row locks, taken in id order, serialize their writers, and without
   * gap locks concurrent chunk rewrites cannot deadlock (one that happens anyway is tried again).
   */
  async saveEmbeddingsMany(items: readonly EmbeddedDocument[], model: string): Promise<Set<number>> {
    if (items.length === 0) return new Set();
    for (let attempt = 1; ; attempt += 1) {
      try {
        const saved = await this.db
          .transaction()
          .setIsolationLevel('read committed')
          .execute((trx) => this.writeEmbeddings(trx, items, model));
        if (saved.size > 0) this.onChunksChanged();
        return saved;
      } catch (error) {
        const errno = (error as MysqlError).errno;
        if (attempt >= 3 || errno === undefined || !EMBED_RETRYABLE_SQL.has(errno)) throw error;
      }
    }
  }

  private async writeEmbeddings(trx: Transaction<Database>, items: readonly EmbeddedDocument[], model: string): Promise<Set<number>> {
    const ids = [...new Set(items.map((item) => item.productId))].sort((a, b) => a - b);
    const rows = await trx
      .selectFrom('synchub_products')
      .select(['id', 'content_hash', 'is_active'])
      .where('id', 'in', ids)
      .orderBy('id')
      .forUpdate()
      .execute();
    const current = new Map(rows.map((row) => [Number(row.id), row]));
    const fresh = items.filter((item) => {
      const row = current.get(item.productId);
      return row !== undefined && Boolean(row.is_active) && row.content_hash === item.hash;
    });
    if (fresh.length === 0) return new Set();
    const freshIds = fresh.map((item) => item.productId);
    await trx.deleteFrom('synchub_product_chunks').where('product_id', 'in', freshIds).execute();
    const pieces = fresh.flatMap((item) => item.chunks.map((content, index) => ({ item, content, index })));
    // Rows are built one statement at a time: a batch's JSON vectors all at once were tens of MB at 3,072 dimensions.
    const perStatement = chunkRowsPerStatement(fresh[0]?.vectors[0]?.length ?? 0);
    for (let start = 0; start < pieces.length; start += perStatement) {
      const rows = pieces.slice(start, start + perStatement).map(({ item, content, index }) => ({
        product_id: item.productId,
        chunk_index: index,
        content,
        content_hash: chunkHash(content),
        embedding: JSON.stringify(item.vectors[index] ?? []),
        vector: packVector(item.vectors[index] ?? []),
        model,
      }));
      await insertRows(trx, 'synchub_product_chunks', CHUNK_COLUMNS, rows, { chunkRows: perStatement });
    }
    const hashes = sql.join(
      fresh.map((item) => sql`WHEN ${item.productId} THEN ${item.hash}`),
      sql` `,
    );
    await sql`UPDATE synchub_products SET needs_embedding = 0, embedded_hash = CASE id ${hashes} END WHERE id IN (${sql.join(freshIds)})`.execute(trx);
    return new Set(freshIds);
  }

  /** Active products awaiting embedding, in id order, after `afterId`. */
  async pendingIds(limit: number, afterId = 0): Promise<number[]> {
    const rows = await this.db
      .selectFrom('synchub_products')
      .select('id')
      .where('is_active', '=', 1)
      .where('needs_embedding', '=', 1)
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((row) => Number(row.id));
  }

  async stats(): Promise<{ total: number; active: number; deleted: number; awaiting_embedding: number; chunks: number }> {
    const [counts, chunks] = await Promise.all([
      this.db
        .selectFrom('synchub_products')
        .select([
          (eb) => eb.fn.countAll<number>().as('total'),
          sql<number>`COALESCE(SUM(is_active = 1), 0)`.as('active'),
          sql<number>`COALESCE(SUM(is_active = 0), 0)`.as('deleted'),
          sql<number>`COALESCE(SUM(is_active = 1 AND needs_embedding = 1), 0)`.as('awaiting'),
        ])
        .executeTakeFirstOrThrow(),
      this.db
        .selectFrom('synchub_product_chunks')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    return {
      total: Number(counts.total),
      active: Number(counts.active),
      deleted: Number(counts.deleted),
      awaiting_embedding: Number(counts.awaiting),
      chunks: Number(chunks.n),
    };
  }

  async list(filters: {
    external_id?: string;
    owner?: string;
    sku?: string;
    is_active?: boolean;
    needs_embedding?: boolean;
    limit: number;
    offset: number;
  }): Promise<{ count: number; results: Array<Selectable<ProductsTable>> }> {
    let query = this.db.selectFrom('synchub_products');
    if (filters.external_id) query = query.where('external_id', '=', filters.external_id);
    if (filters.owner) query = query.where('owner', '=', filters.owner);
    if (filters.sku) query = query.where('sku', '=', filters.sku);
    if (filters.is_active !== undefined) query = query.where('is_active', '=', filters.is_active ? 1 : 0);
    if (filters.needs_embedding !== undefined) query = query.where('needs_embedding', '=', filters.needs_embedding ? 1 : 0);
    const [count, results] = await Promise.all([
      query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      query.selectAll().orderBy('id', 'desc').limit(filters.limit).offset(filters.offset).execute(),
    ]);
    return { count: Number(count.n), results };
  }

  /** Active products with their text and embedding hashes, for the drift report. */
  async activeCatalog(): Promise<Array<{ wooId: number; name: string; contentHash: string | null; embeddedHash: string | null; updatedAt: number }>> {
    const rows = await this.db
      .selectFrom('synchub_products')
      .select(['woo_id', 'name', 'content_hash', 'embedded_hash', 'updated_at'])
      .where('is_active', '=', 1)
      .execute();
    return rows.map((row) => ({
      wooId: Number(row.woo_id),
      name: row.name,
      contentHash: row.content_hash,
      embeddedHash: row.embedded_hash,
      updatedAt: new Date(row.updated_at).getTime(),
    }));
  }

  /** Active products among `wooIds` whose embedding is missing or older than their text. */
  async staleEmbeddings(wooIds: readonly number[]): Promise<Set<number>> {
    const rows = await this.db
      .selectFrom('synchub_products')
      .select('woo_id')
      .where('woo_id', 'in', [...wooIds])
      .where('is_active', '=', 1)
      .where('content_hash', 'is not', null)
      .where((eb) => eb.or([eb('embedded_hash', 'is', null), eb('embedded_hash', '!=', eb.ref('content_hash'))]))
      .execute();
    return new Set(rows.map((row) => Number(row.woo_id)));
  }

  /** Marks active products' text for embedding again (the embed-pending job picks them up). */
  async requestEmbedding(wooIds: readonly number[]): Promise<void> {
    await this.db
      .updateTable('synchub_products')
      .set({ needs_embedding: 1 })
      .where('woo_id', 'in', [...wooIds])
      .where('is_active', '=', 1)
      .execute();
  }

  async chunkCount(productId: number): Promise<number> {
    const row = await this.db
      .selectFrom('synchub_product_chunks')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('product_id', '=', productId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
