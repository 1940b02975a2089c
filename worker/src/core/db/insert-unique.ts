import { CompiledQuery, type Insertable } from 'kysely';
import { LRUCache } from 'lru-cache';

import { intakeTokens } from '../crypto';
import type { Db } from './index';
import { idsAreConsecutive, insertStatement, quoted } from './insert-rows';
import type { Database } from './schema';

/** Tables whose rows carry an intake token (see insertUnique). */
type IntakeTable = { [T in keyof Database]: Database[T] extends { intake_token: string } ? T : never }[keyof Database] & string;

export type InsertOutcome = { status: 'accepted' | 'duplicate'; id: number };

/**
 * The keys this process stored recently and their row ids, for intake tables whose rows are never
 * deleted: a remembered key is a duplicate without a query. The cache is made on first use, so an
 * idle or jobs-only process does not carry its slots (~3 MB per 100,000).
 */
export class RecentlyStored {
  private cache?: LRUCache<string, number>;

  constructor(private readonly max: number) {}

  async storeOnce(key: string, store: () => Promise<InsertOutcome>): Promise<InsertOutcome> {
    this.cache ??= new LRUCache<string, number>({ max: this.max });
    const known = this.cache.get(key);
    if (known !== undefined) return { status: 'duplicate', id: known };
    const outcome = await store();
    this.cache.set(key, outcome.id);
    return outcome;
  }
}

/**
 * Stores rows that may collide on the unique `key`, for the intake hot paths, and tells each row's
 * caller whether it stored it (`accepted`) or found it there (`duplicate`), with the stored id.
 * One multi-row `INSERT IGNORE`, its text built once per row count (no query builder runs per
 * batch; values travel as parameters). Each row carries a random intake token: reading the tokens
 * back tells the winners, for concurrent callers in any process. When every row went in and ids
 * are consecutive, the ids are known without reading back.
 */
export async function insertUnique<T extends IntakeTable, C extends keyof Insertable<Database[T]> & string>(
  db: Db,
  table: T,
  key: readonly C[],
  columns: readonly C[],
  rows: ReadonlyArray<Pick<Insertable<Database[T]>, C>>,
): Promise<InsertOutcome[]> {
  const tokens = intakeTokens(rows.length);
  const parameters = rows.flatMap((row, index) => [...columns.map((column) => row[column] as unknown), tokens[index]]);
  const inserted = await db.executeQuery(CompiledQuery.raw(insertStatement(table, [...columns, 'intake_token'], rows.length, true), parameters));
  if (inserted.insertId !== undefined && Number(inserted.numAffectedRows ?? 0) === rows.length && (await idsAreConsecutive(db))) {
    const first = Number(inserted.insertId);
    return rows.map((_, index) => ({ status: 'accepted', id: first + index }));
  }
  // Some rows were already there: read the key's rows back (an index lookup on the unique key).
  const keyOf = (row: Partial<Record<C, unknown>>): string => key.map((column) => String(row[column])).join('\n');
  const wanted = [...new Map(rows.map((row) => [keyOf(row), row])).values()];
  const where =
    key.length === 1
      ? `\`${key[0]}\` IN (${wanted.map(() => '?').join(', ')})`
      : wanted.map(() => `(${key.map((column) => `\`${column}\` = ?`).join(' AND ')})`).join(' OR ');
  const stored = await db.executeQuery<Record<C, unknown> & { id: number; intake_token: string }>(
    CompiledQuery.raw(
      `SELECT \`id\`, \`intake_token\`, ${quoted(key)} FROM \`${table}\` WHERE ${where}`,
      wanted.flatMap((row) => key.map((column) => row[column] as unknown)),
    ),
  );
  const byKey = new Map(stored.rows.map((row) => [keyOf(row), row]));
  return rows.map((row, index) => {
    const found = byKey.get(keyOf(row));
    if (!found) throw new Error(`${table}: row ${keyOf(row)} was not stored`);
    return { status: found.intake_token === tokens[index] ? 'accepted' : 'duplicate', id: Number(found.id) };
  });
}
