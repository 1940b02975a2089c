import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { idsAreConsecutive, INSERT_CHUNK_ROWS, insertRows, insertStatement } from '../../../worker/src/core/db/insert-rows';
import { createEventsDomain } from '../../../worker/src/events';
import { startTestRuntime, type TestRuntime } from '../../support/runtime';

let runtime: TestRuntime;
beforeAll(async () => {
  runtime = await startTestRuntime({ domains: [createEventsDomain], processJobs: false });
});
afterAll(async () => {
  await runtime?.dispose();
});

const COLUMNS = ['email', 'name'] as const;

describe('insertRows', () => {
  it('builds one placeholder group per row', () => {
    expect(insertStatement('t', ['a', 'b'], 2)).toBe('INSERT INTO `t` (`a`, `b`) VALUES (?, ?), (?, ?)');
    expect(insertStatement('t', ['a'], 1, true)).toBe('INSERT IGNORE INTO `t` (`a`) VALUES (?)');
    expect(insertStatement('t', ['a', 'b'], 1, false, ['b'])).toBe('INSERT INTO `t` (`a`, `b`) VALUES (?, ?) ON DUPLICATE KEY UPDATE `b` = VALUES(`b`)');
  });

  it('skips rows whose unique key exists, or updates the named columns of those rows', async () => {
    const names = async () =>
      Object.fromEntries(
        (await runtime.ctx.db.selectFrom('synchub_event_organizers').select(['email', 'name']).where('email', 'like', 'dup%@example.es').execute()).map(
          (row) => [row.email, row.name],
        ),
      );
    const organizers = (list: Array<[string, string]>, options?: { ignore?: boolean; updateOnDuplicate?: Array<(typeof COLUMNS)[number]> }) =>
      insertRows(
        runtime.ctx.db,
        'synchub_event_organizers',
        COLUMNS,
        list.map(([email, name]) => ({ email, name })),
        options,
      );
    await organizers([['dup1@example.es', 'Primera']]);
    await organizers(
      [
        ['dup1@example.es', 'Ignorada'],
        ['dup2@example.es', 'Segunda'],
      ],
      { ignore: true },
    );
    expect(await names()).toEqual({ 'dup1@example.es': 'Primera', 'dup2@example.es': 'Segunda' });
    await organizers(
      [
        ['dup2@example.es', 'Actualizada'],
        ['dup3@example.es', 'Tercera'],
      ],
      { updateOnDuplicate: ['name'] },
    );
    expect(await names()).toEqual({ 'dup1@example.es': 'Primera', 'dup2@example.es': 'Actualizada', 'dup3@example.es': 'Tercera' });
  });

  it('stores every row in statements of INSERT_CHUNK_ROWS, values passed as parameters', async () => {
    const total = INSERT_CHUNK_ROWS * 2 + 7;
    const rows = Array.from({ length: total }, (_, index) => ({
      email: `o${index}@example.es`,
      name: index === 3 ? "O'Brien; DROP TABLE x -- ñ" : `Organizador ${index}`,
    }));
    const statements = await insertRows(runtime.ctx.db, 'synchub_event_organizers', COLUMNS, rows);
    expect(statements.map((statement) => statement.rows)).toEqual([INSERT_CHUNK_ROWS, INSERT_CHUNK_ROWS, 7]);
    expect(statements.every((statement) => statement.stored === statement.rows)).toBe(true);
    const stored = await runtime.ctx.db
      .selectFrom('synchub_event_organizers')
      .select(['id', 'email', 'name'])
      .where('email', 'like', 'o%@example.es')
      .execute();
    expect(stored).toHaveLength(total);
    expect(stored.find((row) => row.email === 'o3@example.es')?.name).toBe("O'Brien; DROP TABLE x -- ñ");
    if (await idsAreConsecutive(runtime.ctx.db)) {
      // Each statement's rows hold its first id onwards, in order: what the sync relies on to skip reading ids back.
      const byEmail = new Map(stored.map((row) => [row.email, Number(row.id)]));
      statements.forEach((statement, chunk) => {
        for (let offset = 0; offset < statement.rows; offset += 1)
          expect(byEmail.get(`o${chunk * INSERT_CHUNK_ROWS + offset}@example.es`)).toBe(statement.firstId + offset);
      });
    }
  });

  it('sends a full chunk as one prepared statement, storing what the text protocol stores; the shorter last chunk as text', async () => {
    const issued = new Date(Date.now() - 86_400_000);
    issued.setUTCMilliseconds(250);
    const names = ['O\'Brien \\ "x"', 'مریم رضایی', 'Zoë 🎟️', 'line\nbreak\u0000end'];
    const rows = Array.from({ length: INSERT_CHUNK_ROWS + 3 }, (_, index) => ({
      ticket_order_id: 9_000_000_000 + index,
      event_id: 77,
      tier_id: 1,
      woocommerce_order_item_id: index + 1,
      sequence: 1,
      attendee_name: names[index % names.length] as string,
      attendee_email: `a${index}@example.es`,
      price: '12.50',
      service_fee: '0.63',
      status: 'valid' as const,
      issued_at: index % 3 === 0 ? null : index % 3 === 1 ? issued : '2026-02-03 04:05:06.789',
      notify_state: 'skipped' as const,
    }));
    const columns = Object.keys(rows[0] as object) as Array<keyof (typeof rows)[number]>;
    await runtime.ctx.db.connection().execute(async (db) => {
      const executed = async () => {
        const result = await sql<{ Value: string }>`SHOW SESSION STATUS LIKE 'Com_stmt_execute'`.execute(db);
        return Number(result.rows[0]?.Value);
      };
      const before = await executed();
      const statements = await insertRows(db, 'synchub_event_tickets', columns, rows);
      expect(statements.map((statement) => statement.rows)).toEqual([INSERT_CHUNK_ROWS, 3]);
      expect((await executed()) - before).toBe(1);
      const stored = await db
        .selectFrom('synchub_event_tickets')
        .select(['ticket_order_id', 'attendee_name', 'price', 'issued_at'])
        .where('event_id', '=', 77)
        .orderBy('woocommerce_order_item_id')
        .execute();
      expect(stored).toHaveLength(rows.length);
      stored.forEach((row, index) => {
        const wanted = rows[index] as (typeof rows)[number];
        expect(Number(row.ticket_order_id)).toBe(wanted.ticket_order_id);
        expect(row.attendee_name).toBe(wanted.attendee_name);
        expect(String(row.price)).toBe('12.50');
        const issuedAt = row.issued_at === null ? null : new Date(row.issued_at).toISOString();
        expect(issuedAt).toBe(
          wanted.issued_at === null ? null : wanted.issued_at instanceof Date ? wanted.issued_at.toISOString() : '2026-02-03T04:05:06.789Z',
        );
      });

      // A value the binary protocol would send another way (past 2^53, a double is not exact) keeps its chunk as text, which stores it exactly.
      const again = await executed();
      const beyondDoubles = 2 ** 53 + 2;
      await insertRows(
        db,
        'synchub_event_tickets',
        columns,
        rows.slice(0, INSERT_CHUNK_ROWS).map((row, index) => ({ ...row, event_id: 78, ticket_order_id: index === 7 ? beyondDoubles : row.ticket_order_id })),
      );
      expect((await executed()) - again).toBe(0);
      const large = await db
        .selectFrom('synchub_event_tickets')
        .select('ticket_order_id')
        .where('event_id', '=', 78)
        .where('woocommerce_order_item_id', '=', 8)
        .executeTakeFirstOrThrow();
      expect(String(large.ticket_order_id)).toBe('9007199254740994');
    });
  });

  it('sends full chunks of a smaller chunkRows as prepared statements too (large rows), the rest as text', async () => {
    await runtime.ctx.db.connection().execute(async (db) => {
      const executed = async () => Number((await sql<{ Value: string }>`SHOW SESSION STATUS LIKE 'Com_stmt_execute'`.execute(db)).rows[0]?.Value);
      const before = await executed();
      const rows = Array.from({ length: 37 }, (_, index) => ({ email: `chunk${index}@example.es`, name: `Chunk ${index}` }));
      const statements = await insertRows(db, 'synchub_event_organizers', COLUMNS, rows, { chunkRows: 16 });
      expect(statements.map((statement) => statement.rows)).toEqual([16, 16, 5]);
      expect((await executed()) - before).toBe(2);
      const stored = await db.selectFrom('synchub_event_organizers').select('email').where('email', 'like', 'chunk%@example.es').execute();
      expect(stored).toHaveLength(37);
    });
  });

  it('does nothing for no rows', async () => {
    expect(await insertRows(runtime.ctx.db, 'synchub_event_organizers', COLUMNS, [])).toEqual([]);
  });
});
