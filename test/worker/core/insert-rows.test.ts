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

  it('does nothing for no rows', async () => {
    expect(await insertRows(runtime.ctx.db, 'synchub_event_organizers', COLUMNS, [])).toEqual([]);
  });
});
