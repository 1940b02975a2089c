/**
 * Odoo search domains, evaluated the way the ORM does for the operators Sync Hub uses:
 * `=`, `!=`, `in`, `not in`, `like`, `ilike`, `=like`, `=ilike`, `<`, `<=`, `>`, `>=`, combined
 * with the prefix operators `&` (default between terms), `|` and `!`.
 */
export type Scalar = string | number | boolean;
export type FieldValue = Scalar | number[] | null;
export type Row = Record<string, FieldValue>;

export class DomainError extends Error {}

type Term = [string, string, unknown];
type Node = { op: '&' | '|'; left: Node; right: Node } | { op: '!'; child: Node } | { term: Term };

const OPERATORS = new Set(['=', '!=', 'in', 'not in', 'like', 'ilike', '=like', '=ilike', '<', '<=', '>', '>=']);

function isTerm(value: unknown): value is Term {
  return Array.isArray(value) && value.length === 3 && typeof value[0] === 'string' && typeof value[1] === 'string';
}

/** Parses a domain into a tree; throws DomainError for anything malformed. */
export function parseDomain(domain: unknown): Node | null {
  if (!Array.isArray(domain)) throw new DomainError('a domain must be a list');
  if (domain.length === 0) return null;
  let index = 0;
  const next = (): Node => {
    const item: unknown = domain[index++];
    if (item === '&' || item === '|') return { op: item, left: next(), right: next() };
    if (item === '!') return { op: '!', child: next() };
    if (isTerm(item)) {
      if (!OPERATORS.has(item[1])) throw new DomainError(`Invalid leaf ${JSON.stringify(item)}`);
      return { term: item };
    }
    if (item === undefined) throw new DomainError('domain ended too early');
    throw new DomainError(`Invalid leaf ${JSON.stringify(item)}`);
  };
  const nodes: Node[] = [];
  while (index < domain.length) nodes.push(next());
  // Implicit '&' between top-level terms.
  return nodes.reduceRight<Node | null>((acc, node) => (acc ? { op: '&', left: node, right: acc } : node), null);
}

/** SQL LIKE with `%` and `_` wildcards. */
function likeToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  const escaped = pattern
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/%/g, '.*')
    .replace(/_/g, '.');
  return new RegExp(`^${escaped}$`, caseInsensitive ? 'is' : 's');
}

function compare(actual: FieldValue, op: string, expected: unknown): boolean {
  const value = Array.isArray(actual) ? actual : (actual ?? false);
  switch (op) {
    case '=':
      if (Array.isArray(value)) return typeof expected === 'number' ? value.includes(expected) : expected === false ? value.length === 0 : false;
      return value === expected;
    case '!=':
      return !compare(actual, '=', expected);
    case 'in': {
      if (!Array.isArray(expected)) throw new DomainError(`the value of "in" must be a list, got ${JSON.stringify(expected)}`);
      if (Array.isArray(value)) return value.some((item) => expected.includes(item));
      return expected.includes(value);
    }
    case 'not in':
      return !compare(actual, 'in', expected);
    case 'like':
    case 'ilike':
    case '=like':
    case '=ilike': {
      if (typeof value !== 'string') return false;
      const text = String(expected);
      const pattern = op.startsWith('=') ? text : `%${text}%`;
      return likeToRegExp(pattern, op.includes('ilike')).test(value);
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      if (value === false || Array.isArray(value)) return false;
      const a = value as string | number;
      const b = expected as string | number;
      return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
    }
    default:
      throw new DomainError(`unsupported operator ${op}`);
  }
}

function evaluate(node: Node, row: Row, knownField: (name: string) => boolean): boolean {
  if ('term' in node) {
    const [field, op, expected] = node.term;
    if (!knownField(field)) throw new DomainError(`Invalid field '${field}' in leaf "<osv.ExtendedLeaf: ${JSON.stringify(node.term)}>"`);
    return compare(row[field] ?? null, op, expected);
  }
  if (node.op === '!') return !evaluate(node.child, row, knownField);
  if (node.op === '&') return evaluate(node.left, row, knownField) && evaluate(node.right, row, knownField);
  return evaluate(node.left, row, knownField) || evaluate(node.right, row, knownField);
}

export function filterRows(rows: Row[], domain: unknown, knownField: (name: string) => boolean): Row[] {
  const tree = parseDomain(domain);
  if (!tree) return rows;
  return rows.filter((row) => evaluate(tree, row, knownField));
}
