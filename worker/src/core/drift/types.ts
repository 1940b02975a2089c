/** One thing that differs between a domain's source and its target. */
export interface DriftItem {
  /** The id "re-sync these" takes back (a WooCommerce order id, a SKU, a product id). */
  id: string;
  /** What differs, e.g. `missing_in_odoo`, `quantity_differs`; translated by the admin page. */
  kind: string;
  /** Values worth showing next to the id (quantities, totals, names). */
  detail: Record<string, string | number | null>;
  /** Whether "re-sync these" can fix it from the worker. */
  resyncable: boolean;
}

/** What a domain's check found: counts per kind and the first items that differ. */
export interface DriftFindings {
  /** Records compared on the source side. */
  compared: number;
  /** How many differ, per kind (every one, not just the first items). */
  kinds: Record<string, number>;
  /** The first items that differ (at most DRIFT_ITEM_LIMIT). */
  items: DriftItem[];
  /** Where each side was read from, e.g. `{ source: 'store database', target: 'stock ledger (last sweep)' }`. */
  sources: Record<string, string>;
}

export type DriftStatus = 'in_sync' | 'drift' | 'not_configured' | 'error';

export interface DriftReport extends DriftFindings {
  domain: string;
  status: DriftStatus;
  /** Total of `kinds`. */
  differing: number;
  message: string | null;
  checkedAt: string;
  durationMs: number;
}

/** Thrown by a check when the domain has nothing to compare yet (its connection is not set up). */
export class DriftNotConfiguredError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DriftNotConfiguredError';
  }
}

/** A domain's reconciliation: compare source and target, and hand listed ids back to its sync jobs. */
export interface DriftCheck {
  /** `progress` takes a fraction (0–1) of this domain's check. */
  check(progress: (fraction: number) => Promise<void>): Promise<DriftFindings>;
  /** Enqueues the domain's existing sync jobs for these ids; returns how many were enqueued. */
  resync(ids: string[]): Promise<{ enqueued: number; skipped: string[] }>;
}

export const DRIFT_ITEM_LIMIT = 50;
