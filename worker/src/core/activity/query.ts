import { sql } from 'kysely';

import type { Db } from '../db';
import { bucketFormat, fillSeries, type ActivityWindow } from './rules';

/**
 * Rows of `table` per bucket of `column` (a UTC datetime) inside the window, optionally split by
 * `groupBy` and narrowed by `where` (a trusted SQL fragment). One query, on the column's index.
 */
export async function countPerBucket(
  db: Db,
  window: ActivityWindow,
  spec: { table: string; column: string; groupBy?: string; where?: ReturnType<typeof sql>; sum?: string },
): Promise<Map<string, number[]>> {
  const group = spec.groupBy ? sql.ref(spec.groupBy) : sql.lit('all');
  const value = spec.sum ? sql`SUM(${sql.ref(spec.sum)})` : sql`COUNT(*)`;
  const where = spec.where ? sql`AND ${spec.where}` : sql``;
  const result = await sql<{ bucket: string; grp: string | null; value: number | string }>`
    SELECT DATE_FORMAT(${sql.ref(spec.column)}, ${bucketFormat(window.bucket)}) AS bucket, ${group} AS grp, ${value} AS value
      FROM ${sql.table(spec.table)}
     WHERE ${sql.ref(spec.column)} >= ${window.from} ${where}
     GROUP BY bucket, grp`.execute(db);
  const byGroup = new Map<string, Array<{ bucket: string; value: number }>>();
  for (const row of result.rows) {
    const key = String(row.grp ?? '');
    byGroup.set(key, [...(byGroup.get(key) ?? []), { bucket: row.bucket, value: Number(row.value) }]);
  }
  return new Map([...byGroup].map(([key, rows]) => [key, fillSeries(window, rows)]));
}
