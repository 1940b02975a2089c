import { sql, type Kysely, type Migration } from 'kysely';

const now = sql`CURRENT_TIMESTAMP(3)`;
const dt = sql`datetime(3)`;

const eventsStore: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('synchub_event_configurations')
      .addColumn('id', 'bigint', (c) => c.unsigned().autoIncrement().primaryKey())
      .addColumn('name', 'varchar(191)', (c) => c.notNull())
      .addColumn('woocommerce_product_id', 'bigint', (c) => c.unsigned().notNull())
      .addColumn('event_name', 'varchar(191)', (c) => c.notNull())
      .addColumn('event_description', 'text', (c) => c.notNull())
      .addColumn('organizer_email', 'varchar(191)', (c) => c.notNull())
      .addColumn('organizer_name', 'varchar(191)', (c) => c.notNull())
      .addColumn('service_fee_percentage', sql`decimal(5,2)`, (c) => c.notNull().defaultTo(0))
      .addColumn('sync_frequency', sql`enum('manual','hourly','daily','weekly','monthly')`, (c) => c.notNull().defaultTo('manual'))
      .addColumn('is_active', 'boolean', (c) => c.notNull().defaultTo(true))
      .addColumn('is_paused', 'boolean', (c) => c.notNull().defaultTo(false))
      .addColumn('is_migration', 'boolean', (c) => c.notNull().defaultTo(false))
      .addColumn('paid_statuses', 'varchar(500)', (c) => c.notNull())
      .addColumn('tier_name_template', 'varchar(191)', (c) => c.notNull())
      .addColumn('last_cursor', 'varchar(19)')
      .addColumn('last_scheduled_slot', dt)
      .addColumn('last_sync_at', dt)
      .addColumn('created_at', dt, (c) => c.notNull().defaultTo(now))
      .addColumn('updated_at', dt, (c) => c.notNull().defaultTo(now))
      .execute();

    await db.schema
      .createTable('synchub_event_executions')
      .addColumn('id', 'bigint', (c) => c.unsigned().autoIncrement().primaryKey())
      .addColumn('configuration_id', 'bigint', (c) => c.unsigned().notNull())
      .addColumn('status', sql`enum('running','completed','failed','cancelled')`, (c) => c.notNull())
      .addColumn('trigger', sql`enum('manual','scheduled','resume')`, (c) => c.notNull())
      .addColumn('mode', sql`enum('full','incremental')`, (c) => c.notNull())
      .addColumn('schedule_slot', 'varchar(32)')
      .addColumn('started_at', dt, (c) => c.notNull().defaultTo(now))
      .addColumn('finished_at', dt)
      .addColumn('heartbeat_at', dt, (c) => c.notNull().defaultTo(now))
      .addColumn('orders_total', 'integer')
      .addColumn('orders_processed', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('tickets_processed', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('new_orders', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('updated_orders', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('new_tickets', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('updated_tickets', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('voided_tickets', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('skipped_orders', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('checkpoint_order_id', 'bigint', (c) => c.unsigned().notNull().defaultTo(0))
      .addColumn('source_since', 'varchar(19)')
      .addColumn('source_started_at', 'varchar(19)')
      .addColumn('stop_reason', 'varchar(32)')
      .addColumn('error_message', 'text')
      .addUniqueConstraint('synchub_event_executions_slot', ['configuration_id', 'schedule_slot'])
      .execute();
    await db.schema.createIndex('synchub_event_executions_config').on('synchub_event_executions').columns(['configuration_id', 'id']).execute();
    await db.schema.createIndex('synchub_event_executions_status').on('synchub_event_executions').columns(['status', 'heartbeat_at']).execute();

    await db.schema
      .createTable('synchub_event_organizers')
      .addColumn('id', 'bigint', (c) => c.unsigned().autoIncrement().primaryKey())
      .addColumn('email', 'varchar(191)', (c) => c.notNull().unique())
      .addColumn('name', 'varchar(191)', (c) => c.notNull())
      .addColumn('created_at', dt, (c) => c.notNull().defaultTo(now))
      .execute();

    await db.schema
      .createTable('synchub_events')
      .addColumn('id', 'bigint', (c) => c.unsigned().autoIncrement().primaryKey())
      .addColumn('configuration_id', 'bigint', (c) => c.unsigned().notNull().unique())
      .addColumn('organizer_id', 'bigint', (c) => c.unsigned().notNull())
      .addColumn('name', 'varchar(191)', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('visibility', sql`enum('unlisted','public','private')`, (c) => c.notNull().defaultTo('unlisted'))
      .addColumn('created_at', dt, (c) => c.notNull().defaultTo(now))
      .addColumn('updated_at', dt, (c) => c.notNull().defaultTo(now))
      .execute();

    await db.schema
      .createTable('synchub_event_ticket_tiers')
      .addColumn('id', 'bigint', (c) => c.unsigned().autoIncrement().primaryKey())
      .addColumn('event_id', 'bigint', (c) => c.unsigned().notNull())
      .addColumn('woocommerce_product_id', 'bigint', (c) => c.unsigned().notNull())
      .addColumn('woocommerce_variation_id', 'bigint', (c) => c.unsigned().notNull())
      .addColumn('name', 'varchar(255)', (c) => c.notNull())
      .addColumn('is_public', 'boolean', (c) => c.notNull().defaultTo(false))
      .addColumn('created_at', dt, (c) => c.notNull().defaultTo(now))
      .addUniqueConstraint('synchub_event_ticket_tiers_source', ['event_id', 'woocommerce_product_id', 'woocommerce_variation_id'])
      .execute();

    await db.schema
      .createTable('synchub_event_ticket_orders')
      .addColumn('id', 'bigint', (c) => c.unsigned().autoIncrement().primaryKey())
      .addColumn('configuration_id', 'bigint', (c) => c.unsigned().notNull())
      .addColumn('event_id', 'bigint', (c) => c.unsigned().notNull())
      .addColumn('woocommerce_order_id', 'bigint', (c) => c.unsigned().notNull())
      .addColumn('status', sql`enum('active','void')`, (c) => c.notNull())
      .addColumn('source_status', 'varchar(32)', (c) => c.notNull())
      .addColumn('currency', 'varchar(10)', (c) => c.notNull())
      .addColumn('subtotal', sql`decimal(20,2)`, (c) => c.notNull())
      .addColumn('tax', sql`decimal(20,2)`, (c) => c.notNull())
      .addColumn('service_fee', sql`decimal(20,2)`, (c) => c.notNull())
      .addColumn('total', sql`decimal(20,2)`, (c) => c.notNull())
      .addColumn('buyer_name', 'varchar(255)', (c) => c.notNull())
      .addColumn('buyer_email', 'varchar(320)', (c) => c.notNull())
      .addColumn('ordered_at', dt)
      .addColumn('paid_at', dt)
      .addColumn('content_hash', 'char(64)', (c) => c.notNull())
      .addColumn('created_at', dt, (c) => c.notNull().defaultTo(now))
      .addColumn('updated_at', dt, (c) => c.notNull().defaultTo(now))
      .addUniqueConstraint('synchub_event_ticket_orders_source', ['configuration_id', 'woocommerce_order_id'])
      .execute();
    await db.schema.createIndex('synchub_event_ticket_orders_event').on('synchub_event_ticket_orders').columns(['event_id', 'id']).execute();

    await db.schema
      .createTable('synchub_event_tickets')
      .addColumn('id', 'bigint', (c) => c.unsigned().autoIncrement().primaryKey())
      .addColumn('ticket_order_id', 'bigint', (c) => c.unsigned().notNull())
      .addColumn('event_id', 'bigint', (c) => c.unsigned().notNull())
      .addColumn('tier_id', 'bigint', (c) => c.unsigned().notNull())
      .addColumn('woocommerce_order_item_id', 'bigint', (c) => c.unsigned().notNull())
      .addColumn('sequence', 'integer', (c) => c.unsigned().notNull())
      .addColumn('attendee_name', 'varchar(255)', (c) => c.notNull())
      .addColumn('attendee_email', 'varchar(320)', (c) => c.notNull())
      .addColumn('price', sql`decimal(20,2)`, (c) => c.notNull())
      .addColumn('service_fee', sql`decimal(20,2)`, (c) => c.notNull())
      .addColumn('status', sql`enum('valid','void')`, (c) => c.notNull())
      .addColumn('issued_at', dt)
      .addColumn('notify_state', sql`enum('skipped','pending','sending','sent')`, (c) => c.notNull())
      .addColumn('notify_claim', 'char(22)')
      .addColumn('notified_at', dt)
      .addColumn('created_at', dt, (c) => c.notNull().defaultTo(now))
      .addColumn('updated_at', dt, (c) => c.notNull().defaultTo(now))
      .addUniqueConstraint('synchub_event_tickets_source', ['event_id', 'woocommerce_order_item_id', 'sequence'])
      .execute();
    await db.schema.createIndex('synchub_event_tickets_order').on('synchub_event_tickets').columns(['ticket_order_id']).execute();
    await db.schema.createIndex('synchub_event_tickets_notify').on('synchub_event_tickets').columns(['event_id', 'notify_state']).execute();

    await db.schema
      .createTable('synchub_event_schedule_runs')
      .addColumn('id', 'bigint', (c) => c.unsigned().autoIncrement().primaryKey())
      .addColumn('job_id', 'varchar(191)', (c) => c.notNull())
      .addColumn('kind', 'varchar(32)', (c) => c.notNull())
      .addColumn('pid', 'integer', (c) => c.notNull())
      .addColumn('ran_at', dt, (c) => c.notNull().defaultTo(now))
      .execute();
    await db.schema.createIndex('synchub_event_schedule_runs_job').on('synchub_event_schedule_runs').columns(['job_id']).execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of [
      'synchub_event_schedule_runs',
      'synchub_event_tickets',
      'synchub_event_ticket_orders',
      'synchub_event_ticket_tiers',
      'synchub_events',
      'synchub_event_organizers',
      'synchub_event_executions',
      'synchub_event_configurations',
    ]) {
      await db.schema.dropTable(table).ifExists().execute();
    }
  },
};

/** When a ticket's notice was claimed: a claim left by a process that died can be released. */
const noticeClaimTime: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .alterTable('synchub_event_tickets')
      .addColumn('notify_claimed_at', sql`datetime(3)`)
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('synchub_event_tickets').dropColumn('notify_claimed_at').execute();
  },
};

/**
 * Source fingerprints beside the rows mapped from them, and the orders a run skipped: a forced
 * re-scan then loads only the orders whose source changed.
 */
const sourceFingerprints: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .alterTable('synchub_event_ticket_orders')
      .addColumn('source_fingerprint', 'char(64)')
      .addColumn('ticket_count', 'integer', (c) => c.unsigned().notNull().defaultTo(0))
      .execute();
    await db.schema
      .alterTable('synchub_event_executions')
      .addColumn('unchanged_orders', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .createTable('synchub_event_skipped_orders')
      .addColumn('configuration_id', 'bigint', (c) => c.unsigned().notNull())
      .addColumn('woocommerce_order_id', 'bigint', (c) => c.unsigned().notNull())
      .addColumn('source_fingerprint', 'char(64)')
      .addColumn('updated_at', dt, (c) => c.notNull().defaultTo(now))
      .addPrimaryKeyConstraint('synchub_event_skipped_orders_pk', ['configuration_id', 'woocommerce_order_id'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('synchub_event_skipped_orders').ifExists().execute();
    await db.schema.alterTable('synchub_event_executions').dropColumn('unchanged_orders').execute();
    await db.schema.alterTable('synchub_event_ticket_orders').dropColumn('source_fingerprint').dropColumn('ticket_count').execute();
  },
};

export const EVENTS_MIGRATIONS: Record<string, Migration> = {
  '202611231000_events_store': eventsStore,
  '202611241000_events_notice_claim_time': noticeClaimTime,
  '202612041000_events_source_fingerprints': sourceFingerprints,
};
