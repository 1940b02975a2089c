import type { Db } from '../db';
import type { DriftReport } from './types';

export interface DriftReportsTable {
  domain: string;
  status: string;
  report: string;
  checked_at: Date | string;
}

declare module '../db/schema' {
  interface Database {
    synchub_drift_reports: DriftReportsTable;
  }
}

/** The last report per domain (one row each, replaced by the next check). */
export class DriftStore {
  constructor(private readonly db: Db) {}

  async save(report: DriftReport): Promise<void> {
    const row = { domain: report.domain, status: report.status, report: JSON.stringify(report), checked_at: new Date(report.checkedAt) };
    await this.db
      .insertInto('synchub_drift_reports')
      .values(row)
      .onDuplicateKeyUpdate({ status: row.status, report: row.report, checked_at: row.checked_at })
      .execute();
  }

  async all(): Promise<DriftReport[]> {
    const rows = await this.db.selectFrom('synchub_drift_reports').select(['report']).orderBy('domain').execute();
    return rows.map((row) => JSON.parse(row.report) as DriftReport);
  }

  async get(domain: string): Promise<DriftReport | null> {
    const row = await this.db.selectFrom('synchub_drift_reports').select(['report']).where('domain', '=', domain).executeTakeFirst();
    return row ? (JSON.parse(row.report) as DriftReport) : null;
  }
}
