import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('synchub_settings')
    .addColumn('name', 'varchar(191)', (col) => col.primaryKey())
    .addColumn('value', 'text', (col) => col.notNull())
    .addColumn('is_secret', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('updated_at', sql`datetime(3)`, (col) => col.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .execute();

  await db.schema
    .createTable('synchub_inbound_events')
    .addColumn('id', 'bigint', (col) => col.unsigned().autoIncrement().primaryKey())
    .addColumn('event_id', 'varchar(191)', (col) => col.notNull().unique())
    .addColumn('topic', 'varchar(100)', (col) => col.notNull())
    .addColumn('source', 'varchar(255)')
    .addColumn('resource_id', 'varchar(100)')
    .addColumn('payload', sql`longtext`, (col) => col.notNull())
    .addColumn('status', sql`enum('received','processed','ignored','failed')`, (col) => col.notNull().defaultTo('received'))
    .addColumn('intake_token', 'char(22)', (col) => col.notNull())
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('received_at', sql`datetime(3)`, (col) => col.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .addColumn('processed_at', sql`datetime(3)`)
    .execute();
  await db.schema.createIndex('synchub_inbound_events_status_received').on('synchub_inbound_events').columns(['status', 'received_at']).execute();
  await db.schema.createIndex('synchub_inbound_events_topic_resource').on('synchub_inbound_events').columns(['topic', 'resource_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('synchub_inbound_events').ifExists().execute();
  await db.schema.dropTable('synchub_settings').ifExists().execute();
}
