import type { Kysely } from 'kysely';

/**
 * Which domain queues have recorded their outcome for an inbound event, as `queue:status` pairs.
 * One event can fan out to several domains (a paid order goes to events and bookings); the row
 * stays `received` until every one of them has answered, so the sweeper still reruns a domain's
 * job that was lost (killed past its stall limit) after another domain had finished.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('synchub_inbound_events')
    .addColumn('done_queues', 'varchar(255)', (col) => col.notNull().defaultTo(''))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('synchub_inbound_events').dropColumn('done_queues').execute();
}
