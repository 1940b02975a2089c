import { PhpUnserializeError } from './errors';

/**
 * Deepest nesting of arrays and objects we read. WooCommerce, YITH and FooEvents meta nest a
 * handful of levels; the cap keeps a hostile value from exhausting the stack.
 */
export const PHP_MAX_DEPTH = 64;

export type PhpValue = null | boolean | number | string | PhpValue[] | { [key: string]: PhpValue };

// Longest numeric token (count, length, int, float) accepted before its terminator.
const MAX_TOKEN = 40;
// Smallest serialized array element, `i:0;N;`: bounds a declared count by the bytes left.
const MIN_ELEMENT_BYTES = 6;
const INTEGER = /^[+-]?\d+$/;
const FLOAT = /^([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|-?INF|NAN)$/;
const COLON = 0x3a;
const SEMICOLON = 0x3b;

/**
 * A strict reader of PHP `serialize()` output, for values read from a store an attacker may have
 * written into (order item meta). The `php-serialize` package is not used here: it follows
 * negative lengths backwards (a 40-byte value loops for hours), turns big integers into BigInt
 * (which JSON.stringify refuses) and assigns keys with `obj[key] = value`, so `__proto__` swaps
 * the result's prototype. Here:
 * - every length and count is checked against the bytes left, so work is linear in the input;
 * - keys become own properties, as JSON.parse does: `__proto__`, `constructor` and `prototype` are
 *   plain data, no prototype is ever touched;
 * - integers beyond Number.MAX_SAFE_INTEGER are kept as their exact decimal string (the same
 *   rule mysql2's `supportBigNumbers` applies to big columns), never rounded;
 * - objects of any class are read as plain objects of their properties (no class is looked up),
 *   `C:`, references and enums are refused;
 * - anything else is a PhpUnserializeError naming the byte offset.
 */
export function unserializePhp(text: string): PhpValue {
  const reader = new Reader(Buffer.from(text, 'utf8'));
  const value = reader.value(0);
  if (reader.pos !== reader.bytes.length) reader.fail('unexpected data after the value');
  return value;
}

/**
 * WordPress's `maybe_unserialize` for meta values: text that is not serialized comes back as is,
 * and so does a value that fails to parse (bad data is kept, not fatal, as in WordPress).
 */
export function maybeUnserialize(value: string | null): unknown {
  if (value === null) return null;
  const trimmed = value.trim();
  if (trimmed !== 'N;' && !/^[A-Za-z]:/.test(trimmed)) return value;
  try {
    return unserializePhp(trimmed);
  } catch (error) {
    if (error instanceof PhpUnserializeError) return value;
    throw error;
  }
}

class Reader {
  pos = 0;

  constructor(readonly bytes: Buffer) {}

  fail(message: string): never {
    throw new PhpUnserializeError(`Malformed PHP serialized value: ${message} at byte ${this.pos}.`, this.pos);
  }

  value(depth: number): PhpValue {
    const type = String.fromCharCode(this.byte());
    if (type === 'N') {
      this.expect(';');
      return null;
    }
    this.expect(':');
    switch (type) {
      case 'b': {
        const flag = this.token(SEMICOLON);
        if (flag !== '0' && flag !== '1') this.fail(`boolean "${flag}"`);
        return flag === '1';
      }
      case 'i':
        return this.integer(this.token(SEMICOLON));
      case 'd':
        return this.float(this.token(SEMICOLON));
      case 's': {
        const text = this.string();
        this.expect(';');
        return text;
      }
      case 'a':
        return this.elements(depth, '');
      case 'O': {
        const className = this.string();
        this.expect(':');
        return this.elements(depth, className);
      }
      default:
        return this.fail(`unsupported type "${type}"`);
    }
  }

  private byte(): number {
    if (this.pos >= this.bytes.length) this.fail('unexpected end');
    return this.bytes[this.pos++] as number;
  }

  private expect(char: string): void {
    if (this.byte() !== char.charCodeAt(0)) {
      this.pos -= 1;
      this.fail(`expected "${char}"`);
    }
  }

  /** ASCII up to `terminator` (consumed), at most MAX_TOKEN bytes. */
  private token(terminator: number): string {
    const end = this.bytes.indexOf(terminator, this.pos);
    if (end === -1 || end - this.pos > MAX_TOKEN) this.fail('unterminated or oversized number');
    const token = this.bytes.toString('latin1', this.pos, end);
    this.pos = end + 1;
    return token;
  }

  /** A length or count: decimal digits, no sign, then `:`. */
  private size(): number {
    const token = this.token(COLON);
    if (!/^\d{1,10}$/.test(token)) this.fail(`length "${token}"`);
    return Number(token);
  }

  private integer(token: string): number | string {
    if (!INTEGER.test(token)) this.fail(`integer "${token}"`);
    const value = Number(token);
    return Number.isSafeInteger(value) ? value : BigInt(token).toString();
  }

  private float(token: string): number {
    if (!FLOAT.test(token)) this.fail(`float "${token}"`);
    if (token === 'NAN') return Number.NaN;
    if (token.endsWith('INF')) return token.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    return Number(token);
  }

  /** `<bytes>:"<bytes>"`, the length counted in bytes as PHP does. */
  private string(): string {
    const length = this.size();
    this.expect('"');
    if (length > this.bytes.length - this.pos) this.fail(`string declares ${length} bytes, ${this.bytes.length - this.pos} left`);
    const text = this.bytes.toString('utf8', this.pos, this.pos + length);
    this.pos += length;
    this.expect('"');
    return text;
  }

  /** `<count>:{key value …}` of an array (`className` '') or an object's properties. */
  private elements(depth: number, className: string): PhpValue {
    if (depth >= PHP_MAX_DEPTH) this.fail(`nested deeper than ${PHP_MAX_DEPTH} levels`);
    const count = this.size();
    this.expect('{');
    if (count > (this.bytes.length - this.pos) / MIN_ELEMENT_BYTES) this.fail(`${count} elements declared, too many for the bytes left`);
    const keys: Array<string | number> = [];
    const values: PhpValue[] = [];
    for (let index = 0; index < count; index += 1) {
      const keyType = this.bytes[this.pos];
      if (keyType !== 0x69 && keyType !== 0x73) this.fail('expected an integer or string key');
      const key = this.value(depth + 1) as number | string;
      keys.push(className === '' ? key : propertyName(String(key), className));
      values.push(this.value(depth + 1));
    }
    this.expect('}');
    if (className === '' && keys.every((key, index) => key === index)) return values;
    const record: { [key: string]: PhpValue } = {};
    keys.forEach((key, index) => {
      Object.defineProperty(record, String(key), { value: values[index], enumerable: true, writable: true, configurable: true });
    });
    return record;
  }
}

/** Private (`\0Class\0name`) and protected (`\0*\0name`) properties under their bare name. */
function propertyName(key: string, className: string): string {
  if (key.startsWith(`\0${className}\0`)) return key.slice(className.length + 2);
  if (key.startsWith('\0*\0')) return key.slice(3);
  return key;
}
