import { sql, type Kysely } from 'kysely';

/**
 * The body's SHA-256 on every inbound event, so a body-only delivery (WooCommerce's native
 * signature, which leaves the delivery id unsigned) of a body already received is a duplicate.
 * Rows from before are backfilled from their stored payload, which is the body as received.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('synchub_inbound_events').addColumn('body_sha256', 'char(64)').execute();
  await sql`UPDATE synchub_inbound_events SET body_sha256 = SHA2(payload, 256)`.execute(db);
  await db.schema.createIndex('synchub_inbound_events_body_sha256').on('synchub_inbound_events').column('body_sha256').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('synchub_inbound_events_body_sha256').on('synchub_inbound_events').execute();
  await db.schema.alterTable('synchub_inbound_events').dropColumn('body_sha256').execute();
}
