export const BUCKETS = ['day', 'hour'] as const;
export type Bucket = (typeof BUCKETS)[number];

/** A window of equal buckets ending with the current one (UTC). */
export interface ActivityWindow {
  bucket: Bucket;
  /** Bucket starts, oldest first, as `YYYY-MM-DD HH:00:00` (UTC): the keys rows are grouped by. */
  keys: string[];
  /** The first bucket's start. */
  from: Date;
}

const pad = (value: number): string => String(value).padStart(2, '0');
const keyOf = (date: Date, bucket: Bucket): string =>
  `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${bucket === 'hour' ? pad(date.getUTCHours()) : '00'}:00:00`;

/** The last `count` buckets up to and including the one holding `now`. Pure. */
export function activityWindow(now: Date, bucket: Bucket, count: number): ActivityWindow {
  const step = bucket === 'hour' ? 3_600_000 : 86_400_000;
  const current = Math.floor(now.getTime() / step) * step;
  const keys: string[] = [];
  for (let index = count - 1; index >= 0; index -= 1) keys.push(keyOf(new Date(current - index * step), bucket));
  return { bucket, keys, from: new Date(current - (count - 1) * step) };
}

/** Values per bucket in window order, 0 where no row fell. Pure. */
export function fillSeries(window: ActivityWindow, rows: ReadonlyArray<{ bucket: string; value: number }>): number[] {
  const byKey = new Map<string, number>();
  for (const row of rows) byKey.set(row.bucket, (byKey.get(row.bucket) ?? 0) + Number(row.value));
  return window.keys.map((key) => byKey.get(key) ?? 0);
}

/** MariaDB's DATE_FORMAT pattern that yields a window's keys. */
export const bucketFormat = (bucket: Bucket): string => (bucket === 'hour' ? '%Y-%m-%d %H:00:00' : '%Y-%m-%d 00:00:00');
