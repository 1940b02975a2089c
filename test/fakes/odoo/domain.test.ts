import { describe, expect, it } from 'vitest';

import { DomainError, filterRows, type Row } from './domain';

const rows: Row[] = [
  { id: 1, name: 'Ana', email: 'ana@example.com', age: 30, tags: [1, 2] },
  { id: 2, name: 'Bob', email: 'BOB@example.com', age: 40, tags: [] },
  { id: 3, name: 'Carla', email: false, age: 25, tags: [2] },
];
const known = (name: string) => ['id', 'name', 'email', 'age', 'tags'].includes(name);
const ids = (domain: unknown) => filterRows(rows, domain, known).map((row) => row.id);

describe('fake Odoo domains', () => {
  it.each([
    [[], [1, 2, 3]],
    [[['name', '=', 'Ana']], [1]],
    [[['name', '!=', 'Ana']], [2, 3]],
    [[['email', '=', false]], [3]],
    [[['id', 'in', [1, 3]]], [1, 3]],
    [[['id', 'not in', [1, 3]]], [2]],
    [[['email', 'ilike', 'bob@']], [2]],
    [[['email', 'like', 'bob@']], []],
    [[['email', '=ilike', 'bob@example.com']], [2]],
    [[['name', '=like', 'C%']], [3]],
    [[['age', '>', 30]], [2]],
    [[['age', '>=', 30]], [1, 2]],
    [[['age', '<', 30]], [3]],
    [[['age', '<=', 25]], [3]],
    [[['tags', 'in', [2]]], [1, 3]],
    [
      [
        ['age', '>', 20],
        ['name', '!=', 'Bob'],
      ],
      [1, 3],
    ],
    [
      ['|', ['name', '=', 'Ana'], ['name', '=', 'Bob']],
      [1, 2],
    ],
    [
      ['!', ['name', '=', 'Ana']],
      [2, 3],
    ],
    [
      ['&', ['age', '>', 20], '|', ['name', '=', 'Ana'], ['age', '=', 25]],
      [1, 3],
    ],
  ])('%j selects %j', (domain, expected) => {
    expect(ids(domain)).toEqual(expected);
  });

  it.each([
    ['an unknown field', [['nope', '=', 1]]],
    ['an unknown operator', [['name', '~', 'x']]],
    ['a non-list for in', [['id', 'in', 3]]],
    ['a dangling operator', ['|', ['name', '=', 'Ana']]],
    ['a non-list domain', 'name = Ana'],
  ])('rejects %s', (_label, domain) => {
    expect(() => ids(domain)).toThrow(DomainError);
  });
});
