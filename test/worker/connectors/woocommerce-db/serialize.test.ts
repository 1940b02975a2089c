import { execFileSync } from 'node:child_process';

import { serialize } from 'php-serialize';
import { describe, expect, it } from 'vitest';

import { PhpUnserializeError } from '../../../../worker/src/connectors/woocommerce-db/errors';
import { maybeUnserialize, PHP_MAX_DEPTH, unserializePhp } from '../../../../worker/src/connectors/woocommerce-db/serialize';

const nested = (levels: number): string => 'a:1:{i:0;'.repeat(levels) + 'N;' + '}'.repeat(levels);

/** Runs `fn` and reports how long it took, so a hang shows up as a failure, not a stuck run. */
function timed<T>(fn: () => T): { result: T | Error; ms: number } {
  const started = performance.now();
  try {
    return { result: fn(), ms: performance.now() - started };
  } catch (error) {
    return { result: error as Error, ms: performance.now() - started };
  }
}

describe('unserializePhp: well-formed values', () => {
  it.each<[string, string, unknown]>([
    ['null', 'N;', null],
    ['true', 'b:1;', true],
    ['false', 'b:0;', false],
    ['int', 'i:42;', 42],
    ['negative int', 'i:-7;', -7],
    ['largest safe int', 'i:9007199254740991;', 9007199254740991],
    ['float', 'd:0.1;', 0.1],
    ['float exponent', 'd:1.0E+25;', 1e25],
    ['INF', 'd:INF;', Number.POSITIVE_INFINITY],
    ['-INF', 'd:-INF;', Number.NEGATIVE_INFINITY],
    ['NAN', 'd:NAN;', Number.NaN],
    ['string, byte length', 's:5:"José";', 'José'],
    ['string holding quotes and semicolons', 's:7:"a";b:1;";', 'a";b:1;'],
    ['empty array', 'a:0:{}', []],
    ['list', 'a:2:{i:0;s:1:"x";i:1;i:2;}', ['x', 2]],
    ['map', 'a:2:{s:1:"a";i:1;i:5;s:1:"b";}', { a: 1, 5: 'b' }],
    ['object of any class → its properties', 'O:8:"stdClass":2:{s:4:"name";s:3:"Ana";s:3:"age";i:30;}', { name: 'Ana', age: 30 }],
    ['private and protected properties by their bare name', 'O:3:"Foo":2:{s:6:"\0Foo\0a";i:1;s:4:"\0*\0b";i:2;}', { a: 1, b: 2 }],
  ])('%s', (_name, text, expected) => {
    expect(unserializePhp(text)).toEqual(expected);
  });

  it('reads what php-serialize writes (the fixtures of the other suites)', () => {
    const value = { a: 'José', b: [1, 2], c: { d: true, e: null, f: 1.5 } };
    expect(unserializePhp(serialize(value))).toEqual(value);
  });

  it('reads what PHP itself writes', () => {
    let text: string;
    try {
      text = execFileSync(
        'php',
        ['-r', 'echo serialize(["name" => "Zoë", "n" => PHP_INT_MAX, "f" => 0.1, "list" => [1, "2", true], "o" => (object) ["x" => -1], 7 => "seven"]);'],
        { encoding: 'utf8' },
      );
    } catch {
      console.log('skipped: php-cli is not installed');
      return;
    }
    expect(unserializePhp(text)).toEqual({ name: 'Zoë', n: '9223372036854775807', f: 0.1, list: [1, '2', true], o: { x: -1 }, 7: 'seven' });
  });
});

describe('unserializePhp: hostile keys never touch a prototype', () => {
  it.each<[string, string, string]>([
    ['__proto__ key', 'a:1:{s:9:"__proto__";a:1:{s:7:"isAdmin";b:1;}}', '__proto__'],
    ['constructor key', 'a:1:{s:11:"constructor";a:1:{s:9:"prototype";a:1:{s:7:"isAdmin";b:1;}}}', 'constructor'],
    ['prototype key', 'a:1:{s:9:"prototype";a:1:{s:7:"isAdmin";b:1;}}', 'prototype'],
    ['__proto__ property of an object', 'O:8:"stdClass":1:{s:9:"__proto__";a:1:{s:7:"isAdmin";b:1;}}', '__proto__'],
    ['private __proto__ property', 'O:3:"Foo":1:{s:14:"\0Foo\0__proto__";a:1:{s:7:"isAdmin";b:1;}}', '__proto__'],
  ])('%s is an own data property', (_name, text, key) => {
    const result = unserializePhp(text) as Record<string, unknown>;
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(Object.keys(result)).toEqual([key]);
    expect(Object.getOwnPropertyDescriptor(result, key)?.value).toBeTypeOf('object');
    expect((result as { isAdmin?: unknown }).isAdmin).toBeUndefined();
    expect(({} as { isAdmin?: unknown }).isAdmin).toBeUndefined();
  });

  it.each([
    ['class named __proto__', 'O:9:"__proto__":1:{s:1:"a";i:1;}'],
    ['class named constructor', 'O:11:"constructor":1:{s:1:"a";i:1;}'],
    ['class named toString', 'O:8:"toString":1:{s:1:"a";i:1;}'],
  ])('%s reads as a plain object (no class lookup)', (_name, text) => {
    const result = unserializePhp(text);
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(result).toEqual({ a: 1 });
  });

  it('maybeUnserialize keeps the same guarantee', () => {
    const result = maybeUnserialize('a:1:{s:9:"__proto__";a:1:{s:7:"isAdmin";b:1;}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect((result as { isAdmin?: unknown }).isAdmin).toBeUndefined();
  });
});

describe('unserializePhp: integers beyond 2^53 stay exact, as strings', () => {
  it.each<[string, string, unknown]>([
    ['2^53 + 1', 'i:9007199254740993;', '9007199254740993'],
    ['PHP_INT_MAX', 'i:9223372036854775807;', '9223372036854775807'],
    ['PHP_INT_MIN', 'i:-9223372036854775808;', '-9223372036854775808'],
    ['beyond 64 bits', 'i:99999999999999999999;', '99999999999999999999'],
    ['as an array value', 'a:1:{s:2:"id";i:18446744073709551615;}', { id: '18446744073709551615' }],
    ['as an array key', 'a:1:{i:9007199254740993;b:1;}', { '9007199254740993': true }],
  ])('%s', (_name, text, expected) => {
    const result = maybeUnserialize(text);
    expect(result).toEqual(expected);
    expect(() => JSON.stringify(result)).not.toThrow();
  });
});

describe('unserializePhp: hostile input → PhpUnserializeError, fast', () => {
  it.each<[string, string, RegExp]>([
    ['empty', '', /unexpected end/],
    ['truncated array', 'a:2:{i:0;s:1:"a";', /unexpected end|expected/],
    ['truncated string', 's:10:"abc', /declares 10 bytes/],
    ['string longer than declared', 's:2:"abc";', /expected """/],
    ['string shorter than declared', 's:10:"abc";', /declares 10 bytes/],
    ['multibyte string counted in characters', 's:4:"José";', /declares 4 bytes|expected """/],
    ['negative string length', 's:-1:"";', /length "-1"/],
    ['huge string length', 's:99999999999:"a";', /length "99999999999"|declares/],
    ['huge array count', 'a:2147483647:{}', /2147483647 elements declared/],
    ['negative array count', 'a:-1:{}', /length "-1"/],
    ['lying count, too few elements', 'a:2:{i:0;s:5:"hello";}', /expected an integer or string key/],
    ['lying count, too many elements', 'a:1:{i:0;N;i:1;N;}', /expected "}"/],
    ['array as a key', 'a:1:{a:0:{}i:1;}', /integer or string key/],
    ['float as a key', 'a:1:{d:1.5;i:1;}', /integer or string key/],
    ['bad boolean', 'b:2;', /boolean "2"/],
    ['integer with junk', 'i:12abc;', /integer "12abc"/],
    ['float with junk', 'd:1.5x;', /float "1.5x"/],
    ['oversized number token', `i:${'9'.repeat(5000)};`, /oversized number/],
    ['unterminated number', 'i:123', /unterminated/],
    ['unknown type', 'x:1;', /unsupported type "x"/],
    ['Serializable class (C:)', 'C:3:"Foo":3:{abc}', /unsupported type "C"/],
    ['reference', 'a:2:{i:0;i:1;i:1;R:2;}', /unsupported type "R"/],
    ['enum', 'E:11:"Suit:Hearts";', /unsupported type "E"/],
    ['trailing data', 'i:1;junk', /after the value/],
    ['deep nesting', nested(100_000), new RegExp(`deeper than ${PHP_MAX_DEPTH}`)],
    // php-serialize followed the negative length backwards and looped over the same bytes once per
    // declared element: this 40-byte value ran for hours and grew an array of 2^31 entries.
    ['negative length loop', 'a:2000000000:{i:0;s:0:"";i:0;s:-13:"', /too many for the bytes left|length "-13"/],
    ['negative length loop, plausible count', 'a:2:{i:0;s:0:"";i:0;s:-13:"', /length "-13"/],
  ])('%s', (_name, text, message) => {
    const { result, ms } = timed(() => unserializePhp(text));
    expect(result).toBeInstanceOf(PhpUnserializeError);
    expect((result as PhpUnserializeError).message).toMatch(message);
    expect((result as PhpUnserializeError).code).toBe('malformed_serialized_value');
    expect(ms).toBeLessThan(500);
  });

  it(`reads ${PHP_MAX_DEPTH} levels of nesting and refuses one more`, () => {
    expect(() => unserializePhp(nested(PHP_MAX_DEPTH))).not.toThrow();
    expect(() => unserializePhp(nested(PHP_MAX_DEPTH + 1))).toThrow(PhpUnserializeError);
  });

  it.each([
    ['negative length loop', 'a:2000000000:{i:0;s:0:"";i:0;s:-13:"'],
    ['deep nesting', nested(100_000)],
    ['truncated', 'a:1:{broken'],
  ])('maybeUnserialize keeps %s as the raw string, quickly', (_name, text) => {
    const { result, ms } = timed(() => maybeUnserialize(text));
    expect(result).toBe(text);
    expect(ms).toBeLessThan(500);
  });

  it('maybeUnserialize leaves text that is not serialized alone', () => {
    expect(maybeUnserialize('plain text')).toBe('plain text');
    expect(maybeUnserialize('  ')).toBe('  ');
    expect(maybeUnserialize(null)).toBeNull();
    expect(maybeUnserialize(' i:5; ')).toBe(5);
  });
});
