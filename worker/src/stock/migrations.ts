import { sql, type Kysely, type Migration } from 'kysely';

const ledger: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('synchub_stock_products')
      .addColumn('code', 'varchar(100)', (col) => col.primaryKey())
      .addColumn('siigo_id', 'varchar(64)', (col) => col.notNull())
      .addColumn('name', 'varchar(255)', (col) => col.notNull().defaultTo(''))
      .addColumn('quantity', 'integer')
      .addColumn('warehouses', 'text', (col) => col.notNull())
      .addColumn('siigo_changed_at', sql`datetime(3)`)
      .addColumn('woo_product_id', 'bigint', (col) => col.unsigned())
      .addColumn('woo_status', sql`enum('updated','unknown_sku','not_managed')`)
      .addColumn('last_seen_at', sql`datetime(3)`, (col) => col.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
      .addColumn('synced_at', sql`datetime(3)`)
      .execute();
    await db.schema.createIndex('synchub_stock_products_siigo_id').on('synchub_stock_products').column('siigo_id').execute();

    await db.schema
      .createTable('synchub_stock_changes')
      .addColumn('id', 'bigint', (col) => col.unsigned().autoIncrement().primaryKey())
      .addColumn('code', 'varchar(100)', (col) => col.notNull())
      .addColumn('name', 'varchar(255)', (col) => col.notNull().defaultTo(''))
      .addColumn('woo_product_id', 'bigint', (col) => col.unsigned())
      .addColumn('old_quantity', 'integer')
      .addColumn('new_quantity', 'integer', (col) => col.notNull())
      .addColumn('source', sql`enum('webhook','scheduled_sync','manual')`, (col) => col.notNull())
      .addColumn('result', sql`enum('updated','unknown_sku','not_managed')`, (col) => col.notNull())
      .addColumn('created_at', sql`datetime(3)`, (col) => col.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
      .execute();
    await db.schema.createIndex('synchub_stock_changes_created').on('synchub_stock_changes').column('created_at').execute();
    await db.schema.createIndex('synchub_stock_changes_code').on('synchub_stock_changes').column('code').execute();

    await db.schema
      .createTable('synchub_stock_webhook_logs')
      .addColumn('id', 'bigint', (col) => col.unsigned().autoIncrement().primaryKey())
      .addColumn('topic', 'varchar(100)')
      .addColumn('product_code', 'varchar(100)')
      .addColumn('siigo_id', 'varchar(64)')
      .addColumn('company_key', 'varchar(191)')
      .addColumn('dedupe_key', 'varchar(191)')
      .addColumn('status', sql`enum('received','processed','ignored','duplicate','rejected','error')`, (col) => col.notNull())
      .addColumn('http_status', 'integer', (col) => col.notNull())
      .addColumn('message', 'text')
      .addColumn('payload', sql`mediumtext`)
      .addColumn('received_at', sql`datetime(3)`, (col) => col.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
      .addColumn('processed_at', sql`datetime(3)`)
      .execute();
    await db.schema.createIndex('synchub_stock_webhook_logs_dedupe').on('synchub_stock_webhook_logs').column('dedupe_key').execute();
    await db.schema.createIndex('synchub_stock_webhook_logs_received').on('synchub_stock_webhook_logs').columns(['received_at']).execute();
    await db.schema.createIndex('synchub_stock_webhook_logs_status').on('synchub_stock_webhook_logs').columns(['status', 'received_at']).execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('synchub_stock_webhook_logs').ifExists().execute();
    await db.schema.dropTable('synchub_stock_changes').ifExists().execute();
    await db.schema.dropTable('synchub_stock_products').ifExists().execute();
  },
};

/** SIIGO subscriptions kept locally (reported without calling SIIGO), and the SIIGO id on each change. */
const subscriptions: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('synchub_stock_webhook_subscriptions')
      .addColumn('id', 'varchar(64)', (col) => col.primaryKey())
      .addColumn('topic', 'varchar(100)', (col) => col.notNull())
      // The callback URL with our secret key masked: the key itself stays sealed in the settings.
      .addColumn('url', 'varchar(2048)', (col) => col.notNull())
      .addColumn('is_ours', 'boolean', (col) => col.notNull())
      .addColumn('company_key', 'varchar(191)')
      .addColumn('active', 'boolean', (col) => col.notNull().defaultTo(true))
      .addColumn('created_at', 'varchar(40)')
      .addColumn('recorded_at', sql`datetime(3)`, (col) => col.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
      .execute();
    await db.schema.alterTable('synchub_stock_changes').addColumn('siigo_id', 'varchar(64)').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('synchub_stock_changes').dropColumn('siigo_id').execute();
    await db.schema.dropTable('synchub_stock_webhook_subscriptions').ifExists().execute();
  },
};

export const STOCK_MIGRATIONS: Record<string, Migration> = {
  '202611230301_stock_ledger_changes_webhook_logs': ledger,
  '202612010300_stock_subscriptions_change_siigo_id': subscriptions,
};
