import type { ColumnType, Generated } from 'kysely';

/** Tables of the core. Each domain adds its own by augmenting `Database` (see docs/architecture.md). */
export interface SettingsTable {
  name: string;
  value: string;
  is_secret: number;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** `received` until a job finished with it: the sweeper re-enqueues rows that stay `received`. */
export type InboundStatus = 'received' | 'processed' | 'ignored' | 'failed';

export interface InboundEventsTable {
  id: Generated<number>;
  event_id: string;
  topic: string;
  source: string | null;
  resource_id: string | null;
  payload: string;
  /** Hex SHA-256 of the body as received (backfilled from the payload for rows older than the column). */
  body_sha256: string | null;
  status: InboundStatus;
  /** `queue:status` pairs of the domains that recorded their outcome (see markOutcome). */
  done_queues: ColumnType<string, string | undefined, string>;
  intake_token: string;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  received_at: ColumnType<Date, Date | string | undefined, Date | string>;
  processed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface Database {
  synchub_settings: SettingsTable;
  synchub_inbound_events: InboundEventsTable;
}
