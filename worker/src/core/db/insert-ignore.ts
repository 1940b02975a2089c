import { CompiledQuery, sql, type Insertable } from 'kysely';

import type { Db } from './index';
import type { Database } from './schema';

const statements = new Map<string, string>();

function statement(table: string, columns: readonly string[], rows: number): string {
  const key = `${table}\n${columns.join(',')}\n${rows}`;
  let text = statements.get(key);
  if (!text) {
    const row = `(${columns.map(() => '?').join(', ')})`;
    text = `INSERT IGNORE INTO \`${table}\` (${columns.map((column) => `\`${column}\``).join(', ')}) VALUES ${Array.from({ length: rows }, () => row).join(', ')}`;
    statements.set(key, text);
  }
  return text;
}

const consecutive = new WeakMap<Db, Promise<boolean>>();

/**
 * Whether one multi-row INSERT gets consecutive ids: InnoDB auto-increment lock mode 0 or 1 and
 * step 1 (mode 2, or a Galera-style step, may interleave).
 */
function idsAreConsecutive(db: Db): Promise<boolean> {
  let known = consecutive.get(db);
  if (!known) {
    known = sql<{ mode: number; step: number }>`SELECT @@innodb_autoinc_lock_mode AS mode, @@auto_increment_increment AS step`
      .execute(db)
      .then(({ rows: [row] }) => row !== undefined && Number(row.mode) <= 1 && Number(row.step) === 1)
      .catch(() => false);
    consecutive.set(db, known);
  }
  return known;
}

/**
 * One multi-row `INSERT IGNORE` for the intake hot paths. The statement text depends only on the
 * table, the columns and the row count, so it is built once and reused: no query builder runs per
 * batch (values still travel as parameters). Resolves with the rows' ids in order when every row
 * went in and the ids are known to be consecutive; otherwise undefined, and the caller reads back
 * which rows are its own.
 */
export async function insertIgnoreMany<T extends keyof Database & string, C extends keyof Insertable<Database[T]> & string>(
  db: Db,
  table: T,
  columns: readonly C[],
  rows: ReadonlyArray<Pick<Insertable<Database[T]>, C>>,
): Promise<number[] | undefined> {
  const parameters = rows.flatMap((row) => columns.map((column) => row[column] as unknown));
  const result = await db.executeQuery(CompiledQuery.raw(statement(table, columns, rows.length), parameters));
  if (result.insertId === undefined || Number(result.numAffectedRows ?? 0) !== rows.length || !(await idsAreConsecutive(db))) return undefined;
  const first = Number(result.insertId);
  return rows.map((_, index) => first + index);
}
