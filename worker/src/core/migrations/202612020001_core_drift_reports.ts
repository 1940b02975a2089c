import { sql, type Kysely } from 'kysely';

/** The last drift report of each domain, kept with the time it was taken. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('synchub_drift_reports')
    .addColumn('domain', 'varchar(32)', (col) => col.primaryKey())
    .addColumn('status', 'varchar(16)', (col) => col.notNull())
    .addColumn('report', sql`longtext`, (col) => col.notNull())
    .addColumn('checked_at', sql`datetime(3)`, (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('synchub_drift_reports').execute();
}
