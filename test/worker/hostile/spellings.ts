/**
 * Spellings of one path that an attacker would try against a router: letter case, %-encoding,
 * doubled and encoded slashes, dot segments, trailing slash, `;` parameters, query and fragment.
 * Pure: the hostile suites send them verbatim (node:http, not fetch, which would normalise them).
 */

export interface ConcretePath {
  /** A path with every `:param` filled in, e.g. `/api/v1/jobs/1/1/retry`. */
  path: string;
  /** Indexes in `path.split('/')` that hold a parameter value, not literal text. */
  params: Set<number>;
  /** The route also answers the same path with the trailing slash toggled (`{/}` in its pattern). */
  slashOptional: boolean;
}

/** The concrete paths an express pattern of ours answers: `:name` → `1`, `x{/}` → `x` and `x/`. */
export function concretePaths(pattern: string): ConcretePath[] {
  const optional = pattern.endsWith('{/}');
  const base = optional ? pattern.slice(0, -3) : pattern;
  if (/[{}()*?+!]/.test(base)) throw new Error(`route pattern ${pattern} uses syntax the hostile suite cannot expand; teach concretePaths() about it`);
  const segments = base.split('/');
  const params = new Set<number>();
  const filled = segments.map((segment, index) => {
    if (!segment.startsWith(':')) return segment;
    params.add(index);
    return '1';
  });
  const path = filled.join('/');
  if (!optional) return [{ path, params, slashOptional: false }];
  return [
    { path, params, slashOptional: true },
    { path: `${path}/`, params, slashOptional: true },
  ];
}

export interface Spelling {
  name: string;
  path: string;
  /**
   * `other`: names another path for an exact router (a valid admin token gets 404 there).
   * `same`: the same route by design (query, fragment, the optional trailing slash).
   * `loose`: changes a parameter value or only confuses parsers; send it without credentials only.
   */
  kind: 'other' | 'same' | 'loose';
}

const hex = (char: string, upper: boolean): string => {
  const code = char.charCodeAt(0).toString(16).padStart(2, '0');
  return `%${upper ? code.toUpperCase() : code}`;
};

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
const alternate = (text: string): string => [...text].map((char, index) => (index % 2 === 0 ? char.toUpperCase() : char.toLowerCase())).join('');
const encodeFirstLetter = (text: string, upper: boolean): string => {
  const index = text.search(/[a-z]/i);
  return index === -1 ? text : `${text.slice(0, index)}${hex(text.charAt(index), upper)}${text.slice(index + 1)}`;
};
const encodeLetters = (text: string): string => text.replace(/[a-z]/gi, (char) => hex(char, true));

export function spellings(target: ConcretePath): Spelling[] {
  const { path, params } = target;
  const segments = path.split('/');
  const literal = segments.map((segment, index) => segment !== '' && !params.has(index) && /[a-z]/i.test(segment));
  const out: Spelling[] = [];
  const add = (name: string, candidate: string, kind: Spelling['kind']) => {
    if (candidate !== path && !out.some((entry) => entry.path === candidate)) out.push({ name, path: candidate, kind });
  };
  const mapLiteral = (transform: (segment: string, index: number) => string) =>
    segments.map((segment, index) => (literal[index] ? transform(segment, index) : segment)).join('/');

  // Letter case.
  add(
    'upper case',
    mapLiteral((segment) => segment.toUpperCase()),
    'other',
  );
  add('alternating case', mapLiteral(alternate), 'other');
  segments.forEach((segment, index) => {
    if (!literal[index]) return;
    add(`capitalised segment ${index}`, segments.map((each, at) => (at === index ? capitalise(each) : each)).join('/'), 'other');
    add(`%-encoded letter in segment ${index}`, segments.map((each, at) => (at === index ? encodeFirstLetter(each, false) : each)).join('/'), 'other');
    add(`%-ENCODED letter in segment ${index}`, segments.map((each, at) => (at === index ? encodeFirstLetter(each, true) : each)).join('/'), 'other');
    add(`;param on segment ${index}`, segments.map((each, at) => (at === index ? `${each};x=1` : each)).join('/'), 'other');
  });
  add('every letter %-encoded', mapLiteral(encodeLetters), 'other');
  add(
    'double-encoded letter',
    mapLiteral((segment, index) => (index === segments.findIndex((_, at) => literal[at]) ? encodeFirstLetter(segment, true).replace('%', '%25') : segment)),
    'other',
  );

  // Slashes and dot segments, between every pair of segments.
  for (let index = 2; index < segments.length; index += 1) {
    if (segments[index] === '') continue;
    const before = segments.slice(0, index).join('/');
    const after = segments.slice(index).join('/');
    const bothLiteral = literal[index - 1] === true && literal[index] === true;
    add(`%2F before segment ${index}`, `${before}%2F${after}`, bothLiteral ? 'other' : 'loose');
    add(`%2f before segment ${index}`, `${before}%2f${after}`, bothLiteral ? 'other' : 'loose');
    add(`// before segment ${index}`, `${before}//${after}`, 'other');
    add(`/./ before segment ${index}`, `${before}/./${after}`, 'other');
    add(`/x/../ before segment ${index}`, `${before}/x/../${after}`, 'other');
    add(`/x/%2e%2e/ before segment ${index}`, `${before}/x/%2e%2e/${after}`, 'other');
    add(`/..;/ before segment ${index}`, `${before}/x/..;/${after}`, 'other');
    add(`backslash before segment ${index}`, `${before}\\${after}`, 'loose');
  }
  add('// at the start', `/${path}`, 'other');
  add('/./ at the start', `/.${path}`, 'other');
  // Text appended to a parameter is another parameter value, not another path.
  const tail: Spelling['kind'] = params.has(segments.length - 1) ? 'loose' : 'other';
  add('trailing /.', `${path.endsWith('/') ? path.slice(0, -1) : path}/.`, 'other');
  add('trailing //', `${path.endsWith('/') ? path : `${path}/`}/`, 'other');
  add('trailing ;', `${path};`, tail);
  add('trailing %00', `${path}%00`, tail);
  add('trailing %20', `${path}%20`, tail);
  add('trailing overlong slash %C0%AF', `${path}%C0%AF`, tail);
  add('trailing slash toggled', path.endsWith('/') ? path.slice(0, -1) : `${path}/`, target.slashOptional ? 'same' : 'other');

  // Query and fragment: the same path by every reading, so only ever without credentials.
  add('empty query', `${path}?`, 'same');
  add('query', `${path}?x=1`, 'same');
  add('query with a dot segment', `${path}?/../`, 'same');
  add('encoded ?', `${path}%3Fx=1`, 'loose');
  add('fragment', `${path}#x`, 'same');
  return out;
}
