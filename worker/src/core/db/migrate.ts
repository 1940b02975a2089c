import { Migrator, type Migration, type MigrationProvider } from 'kysely';

import type { Db } from './index';
import * as coreSettingsAndInbound from '../migrations/202611230001_core_settings_and_inbound';
import * as coreInboundBodyHash from '../migrations/202611300001_core_inbound_body_hash';
import * as coreDriftReports from '../migrations/202612020001_core_drift_reports';
import * as coreInboundDoneQueues from '../migrations/202612030001_core_inbound_done_queues';

export const CORE_MIGRATIONS: Record<string, Migration> = {
  '202611230001_core_settings_and_inbound': coreSettingsAndInbound,
  '202611300001_core_inbound_body_hash': coreInboundBodyHash,
  '202612020001_core_drift_reports': coreDriftReports,
  '202612030001_core_inbound_done_queues': coreInboundDoneQueues,
};

/** Core and domain migrations in one ordered set; names are globally unique. */
class StaticMigrationProvider implements MigrationProvider {
  constructor(private readonly migrations: Record<string, Migration>) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return this.migrations;
  }
}

export class MigrationError extends Error {
  constructor(
    readonly migrationName: string | undefined,
    cause: unknown,
  ) {
    super(`migration ${migrationName ?? '(unknown)'} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'MigrationError';
  }
}

export async function migrateToLatest(db: Db, domainMigrations: Record<string, Migration>[]): Promise<string[]> {
  const all: Record<string, Migration> = { ...CORE_MIGRATIONS };
  for (const set of domainMigrations) {
    for (const [name, migration] of Object.entries(set)) {
      if (all[name]) throw new Error(`duplicate migration name ${name}`);
      all[name] = migration;
    }
  }
  const migrator = new Migrator({
    db,
    provider: new StaticMigrationProvider(all),
    migrationTableName: 'synchub_migrations',
    migrationLockTableName: 'synchub_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error) throw new MigrationError(failed?.migrationName, error);
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
}
