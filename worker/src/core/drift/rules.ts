import { DRIFT_ITEM_LIMIT, type DriftFindings, type DriftItem, type DriftReport, type DriftStatus } from './types';

/** Counts per kind and the first `limit` items, in the order found. Pure. */
export function summarise(compared: number, differences: readonly DriftItem[], sources: Record<string, string>, limit = DRIFT_ITEM_LIMIT): DriftFindings {
  const kinds: Record<string, number> = {};
  for (const item of differences) kinds[item.kind] = (kinds[item.kind] ?? 0) + 1;
  return { compared, kinds, items: differences.slice(0, limit), sources };
}

/** A domain's report from its findings (or its failure). Pure. */
export function toReport(
  domain: string,
  outcome: { findings: DriftFindings } | { status: Exclude<DriftStatus, 'in_sync' | 'drift'>; message: string },
  checkedAt: Date,
  durationMs: number,
): DriftReport {
  if ('findings' in outcome) {
    const differing = Object.values(outcome.findings.kinds).reduce((sum, count) => sum + count, 0);
    return {
      domain,
      ...outcome.findings,
      status: differing === 0 ? 'in_sync' : 'drift',
      differing,
      message: null,
      checkedAt: checkedAt.toISOString(),
      durationMs,
    };
  }
  return {
    domain,
    compared: 0,
    kinds: {},
    items: [],
    sources: {},
    status: outcome.status,
    differing: 0,
    message: outcome.message,
    checkedAt: checkedAt.toISOString(),
    durationMs,
  };
}

/** Overall progress (0–100) while checking domain `index` of `total` at `fraction` of it. Pure. */
export function overallProgress(index: number, total: number, fraction: number): number {
  if (total <= 0) return 100;
  const clamped = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  return Math.round(((index + clamped) / total) * 100);
}
