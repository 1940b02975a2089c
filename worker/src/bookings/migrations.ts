import { sql, type Kysely, type Migration } from 'kysely';

const createTables: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('synchub_bookings_orders')
      .addColumn('wc_order_id', 'bigint', (col) => col.unsigned().primaryKey())
      .addColumn('order_number', 'varchar(64)', (col) => col.notNull())
      .addColumn('payload', sql`mediumtext`, (col) => col.notNull())
      .addColumn('status', 'varchar(16)', (col) => col.notNull().defaultTo('pending'))
      .addColumn('paid_at', sql`datetime(3)`, (col) => col.notNull())
      .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('last_error', 'text')
      .addColumn('error_kind', 'varchar(32)')
      .addColumn('created_at', sql`datetime(3)`, (col) => col.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
      .addColumn('updated_at', sql`datetime(3)`, (col) => col.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
      .execute();
    await db.schema.createIndex('synchub_bookings_orders_status_paid').on('synchub_bookings_orders').columns(['status', 'paid_at']).execute();

    await db.schema
      .createTable('synchub_bookings_links')
      .addColumn('wc_order_id', 'bigint', (col) => col.unsigned().primaryKey())
      .addColumn('connection_key', 'varchar(64)', (col) => col.notNull())
      .addColumn('odoo_sale_order_id', 'integer', (col) => col.notNull())
      .addColumn('odoo_sale_order_name', 'varchar(64)')
      .addColumn('odoo_partner_id', 'integer')
      .addColumn('state', 'varchar(16)', (col) => col.notNull().defaultTo('draft'))
      .addColumn('invoiced', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('created_at', sql`datetime(3)`, (col) => col.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
      .addColumn('updated_at', sql`datetime(3)`, (col) => col.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
      .execute();

    await db.schema
      .createTable('synchub_bookings_odoo_cache')
      .addColumn('id', 'bigint', (col) => col.unsigned().autoIncrement().primaryKey())
      .addColumn('connection_key', 'varchar(64)', (col) => col.notNull())
      .addColumn('kind', 'varchar(16)', (col) => col.notNull())
      .addColumn('ext_key', 'varchar(191)', (col) => col.notNull())
      .addColumn('odoo_id', 'integer', (col) => col.notNull())
      .addUniqueConstraint('synchub_bookings_odoo_cache_key', ['connection_key', 'kind', 'ext_key'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('synchub_bookings_odoo_cache').execute();
    await db.schema.dropTable('synchub_bookings_links').execute();
    await db.schema.dropTable('synchub_bookings_orders').execute();
  },
};

export const BOOKINGS_MIGRATIONS: Record<string, Migration> = {
  '202611231200_bookings_tables': createTables,
};
