import { CompiledQuery, sql, type Insertable, type Kysely } from 'kysely';

import { binaryStatement } from './binary-statements';
import type { Database } from './schema';

/** Rows per INSERT statement: big enough to pay one round trip per few hundred rows, small enough for any max_allowed_packet. */
export const INSERT_CHUNK_ROWS = 500;

const statements = new Map<string, string>();
export const quoted = (names: readonly string[]): string => names.map((name) => `\`${name}\``).join(', ');

/**
 * `INSERT [IGNORE] INTO table (columns) VALUES (?, …), …` for `rows` rows, with `ON DUPLICATE KEY
 * UPDATE c = VALUES(c), …` for the `update` columns if any. The text of a full chunk (`fullChunk`,
 * INSERT_CHUNK_ROWS unless insertRows says otherwise) is kept: the hot paths reuse it batch after
 * batch; other sizes are built.
 */
export function insertStatement(
  table: string,
  columns: readonly string[],
  rows: number,
  ignore = false,
  update: readonly string[] = [],
  fullChunk = rows === INSERT_CHUNK_ROWS,
): string {
  const cacheKey = `${ignore ? 'i' : ''}${table}\n${columns.join(',')}\n${update.join(',')}\n${rows}`;
  const cached = statements.get(cacheKey);
  if (cached) return cached;
  const row = `(${columns.map(() => '?').join(', ')})`;
  const onDuplicate = update.length > 0 ? ` ON DUPLICATE KEY UPDATE ${update.map((column) => `\`${column}\` = VALUES(\`${column}\`)`).join(', ')}` : '';
  const text = `INSERT ${ignore ? 'IGNORE ' : ''}INTO \`${table}\` (${quoted(columns)}) VALUES ${Array.from({ length: rows }, () => row).join(', ')}${onDuplicate}`;
  if (fullChunk || statements.size < 64) statements.set(cacheKey, text);
  return text;
}

const consecutive = new WeakMap<object, Promise<boolean>>();

/**
 * Whether one multi-row INSERT gets consecutive ids: InnoDB auto-increment lock mode 0 or 1 and
 * step 1 (mode 2, or a Galera-style step, may interleave).
 */
export function idsAreConsecutive(db: Kysely<Database>): Promise<boolean> {
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
 * Values the binary protocol carries as the text protocol would: a safe integer (sent as a double,
 * exact), text, NULL, a date, bytes. Other numbers and objects keep the text protocol's conversion.
 */
const sentAlike = (value: unknown): boolean =>
  value === null || typeof value === 'string' || Number.isSafeInteger(value) || value instanceof Date || Buffer.isBuffer(value);

/**
 * Inserts many rows with multi-row statements of `chunkRows` (INSERT_CHUNK_ROWS unless given;
 * fewer for large rows), built without the query builder (on the sync's hot path it cost more
 * than the database did); values travel as parameters. A full chunk goes as a prepared statement
 * (see binary-statements.ts), prepared once per connection; the shorter last chunk, whose row
 * count varies, goes as text, so a connection holds one prepared statement per statement shape and
 * no more. `ignore` skips rows whose unique key exists; `updateOnDuplicate` updates those columns
 * of such rows instead. Resolves with the first id of each statement and the rows it stored
 * (MariaDB counts an updated row twice).
 */
export async function insertRows<T extends keyof Database & string, C extends keyof Insertable<Database[T]> & string>(
  db: Kysely<Database>,
  table: T,
  columns: readonly C[],
  rows: ReadonlyArray<Pick<Insertable<Database[T]>, C>>,
  options: { ignore?: boolean; updateOnDuplicate?: readonly C[]; chunkRows?: number } = {},
): Promise<Array<{ firstId: number; stored: number; rows: number }>> {
  const size = options.chunkRows ?? INSERT_CHUNK_ROWS;
  const results = [];
  for (let start = 0; start < rows.length; start += size) {
    const chunk = rows.slice(start, start + size);
    const parameters: unknown[] = new Array(chunk.length * columns.length);
    let index = 0;
    const fullChunk = chunk.length === size;
    let binary = fullChunk;
    for (const row of chunk)
      for (const column of columns) {
        const value = row[column] ?? null;
        if (binary && !sentAlike(value)) binary = false;
        parameters[index++] = value;
      }
    const text = insertStatement(table, columns, chunk.length, options.ignore, options.updateOnDuplicate, fullChunk);
    const statement = binary ? binaryStatement(text) : text;
    const result = await db.executeQuery(CompiledQuery.raw(statement, parameters));
    results.push({ firstId: Number(result.insertId ?? 0), stored: Number(result.numAffectedRows ?? 0), rows: chunk.length });
  }
  return results;
}
