import { sql, type Kysely, type Migration } from 'kysely';

const now = sql`CURRENT_TIMESTAMP(3)`;

async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('synchub_integration_tokens')
    .addColumn('id', 'bigint', (col) => col.unsigned().autoIncrement().primaryKey())
    .addColumn('name', 'varchar(100)', (col) => col.notNull())
    .addColumn('token_type', 'varchar(32)', (col) => col.notNull())
    .addColumn('owner', 'varchar(100)', (col) => col.notNull())
    .addColumn('token_hash', 'char(64)', (col) => col.notNull().unique())
    .addColumn('preview', 'varchar(40)', (col) => col.notNull())
    .addColumn('is_active', 'boolean', (col) => col.notNull().defaultTo(true))
    .addColumn('expires_at', sql`datetime(3)`)
    .addColumn('ip_allowlist', 'text')
    .addColumn('rate_limit_per_minute', 'integer')
    .addColumn('last_used_at', sql`datetime(3)`)
    .addColumn('last_used_ip', 'varchar(45)')
    .addColumn('usage_count', 'bigint', (col) => col.unsigned().notNull().defaultTo(0))
    .addColumn('created_at', sql`datetime(3)`, (col) => col.notNull().defaultTo(now))
    .addColumn('revoked_at', sql`datetime(3)`)
    .execute();

  await db.schema
    .createTable('synchub_product_events')
    .addColumn('id', 'bigint', (col) => col.unsigned().autoIncrement().primaryKey())
    .addColumn('owner', 'varchar(100)', (col) => col.notNull())
    .addColumn('event_id', 'varchar(191)', (col) => col.notNull())
    .addColumn('token_id', 'bigint', (col) => col.unsigned())
    .addColumn('event_type', 'varchar(32)', (col) => col.notNull())
    .addColumn('product_id', 'bigint', (col) => col.unsigned().notNull())
    .addColumn('payload', sql`longtext`, (col) => col.notNull())
    .addColumn('version', 'bigint')
    .addColumn('source_ip', 'varchar(45)')
    .addColumn('user_agent', 'varchar(255)')
    .addColumn('status', sql`enum('received','processed','stale','failed')`, (col) => col.notNull().defaultTo('received'))
    .addColumn('success', 'boolean')
    .addColumn('error', 'text')
    .addColumn('processing_ms', 'integer')
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('intake_token', 'char(22)', (col) => col.notNull())
    .addColumn('received_at', sql`datetime(3)`, (col) => col.notNull().defaultTo(now))
    .addColumn('processed_at', sql`datetime(3)`)
    .addUniqueConstraint('synchub_product_events_owner_event', ['owner', 'event_id'])
    .execute();
  await db.schema.createIndex('synchub_product_events_status_received').on('synchub_product_events').columns(['status', 'received_at']).execute();
  await db.schema.createIndex('synchub_product_events_product').on('synchub_product_events').columns(['product_id', 'id']).execute();
  await db.schema.createIndex('synchub_product_events_type').on('synchub_product_events').columns(['event_type', 'id']).execute();

  await db.schema
    .createTable('synchub_products')
    .addColumn('id', 'bigint', (col) => col.unsigned().autoIncrement().primaryKey())
    .addColumn('owner', 'varchar(100)', (col) => col.notNull())
    .addColumn('external_id', 'varchar(64)', (col) => col.notNull())
    .addColumn('woo_id', 'bigint', (col) => col.unsigned().notNull())
    .addColumn('sku', 'varchar(100)')
    .addColumn('name', 'varchar(500)', (col) => col.notNull().defaultTo(''))
    .addColumn('short_description', sql`mediumtext`, (col) => col.notNull())
    .addColumn('description', sql`mediumtext`, (col) => col.notNull())
    .addColumn('price', 'varchar(32)')
    .addColumn('regular_price', 'varchar(32)')
    .addColumn('sale_price', 'varchar(32)')
    .addColumn('currency', 'char(3)')
    .addColumn('stock_quantity', 'integer')
    .addColumn('stock_status', 'varchar(20)')
    .addColumn('categories', 'text', (col) => col.notNull())
    .addColumn('tags', 'text', (col) => col.notNull())
    .addColumn('image', 'varchar(2048)')
    .addColumn('permalink', 'varchar(2048)')
    .addColumn('variations', sql`mediumtext`, (col) => col.notNull())
    .addColumn('content_hash', 'char(64)')
    .addColumn('embedded_hash', 'char(64)')
    .addColumn('needs_embedding', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('is_active', 'boolean', (col) => col.notNull().defaultTo(true))
    .addColumn('deleted_at', sql`datetime(3)`)
    .addColumn('source_version', 'bigint')
    .addColumn('last_event_log_id', 'bigint', (col) => col.unsigned().notNull())
    .addColumn('last_event_id', 'varchar(191)', (col) => col.notNull())
    .addColumn('revision', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('created_at', sql`datetime(3)`, (col) => col.notNull().defaultTo(now))
    .addColumn('updated_at', sql`datetime(3)`, (col) => col.notNull().defaultTo(now))
    .addUniqueConstraint('synchub_products_owner_external', ['owner', 'external_id'])
    .execute();
  await db.schema.createIndex('synchub_products_state').on('synchub_products').columns(['is_active', 'needs_embedding']).execute();
  await db.schema.createIndex('synchub_products_sku').on('synchub_products').columns(['sku']).execute();

  await db.schema
    .createTable('synchub_product_chunks')
    .addColumn('id', 'bigint', (col) => col.unsigned().autoIncrement().primaryKey())
    .addColumn('product_id', 'bigint', (col) => col.unsigned().notNull().references('synchub_products.id').onDelete('cascade'))
    .addColumn('chunk_index', 'integer', (col) => col.notNull())
    .addColumn('content', 'text', (col) => col.notNull())
    .addColumn('content_hash', 'char(64)', (col) => col.notNull())
    .addColumn('embedding', sql`mediumtext`, (col) => col.notNull())
    .addColumn('model', 'varchar(100)', (col) => col.notNull())
    .addColumn('created_at', sql`datetime(3)`, (col) => col.notNull().defaultTo(now))
    .addUniqueConstraint('synchub_product_chunks_product_index', ['product_id', 'chunk_index'])
    .execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['synchub_product_chunks', 'synchub_products', 'synchub_product_events', 'synchub_integration_tokens']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}

/** The original backend's product fields: where it came from, on sale, gallery images. */
const originalFields: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .alterTable('synchub_products')
      .addColumn('external_source', 'varchar(20)', (col) => col.notNull().defaultTo('woocommerce'))
      .addColumn('on_sale', 'boolean', (col) => col.notNull().defaultTo(false))
      .addColumn('gallery_images', 'text', (col) => col.notNull().defaultTo('[]'))
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('synchub_products').dropColumn('gallery_images').dropColumn('on_sale').dropColumn('external_source').execute();
  },
};

/** Each chunk's vector, unit length, as packed little-endian float32: what catalogue search reads. */
const vectors: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .alterTable('synchub_product_chunks')
      .addColumn('vector', sql`mediumblob`)
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('synchub_product_chunks').dropColumn('vector').execute();
  },
};

export const PRODUCTS_MIGRATIONS: Record<string, Migration> = {
  '202611230600_products_tokens_events_store': { up, down },
  '202612010600_products_original_fields': originalFields,
  '202612010601_products_chunk_vectors': vectors,
};
