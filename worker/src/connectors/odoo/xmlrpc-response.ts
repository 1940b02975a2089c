import { Readable } from 'node:stream';

import Deserializer from 'xmlrpc/lib/deserializer';

/** Deepest nesting of arrays and structs accepted; Odoo's answers nest four or five levels. */
export const XMLRPC_MAX_DEPTH = 64;
export const DEFAULT_MAX_RESPONSE_BYTES = 20 * 1024 * 1024;

export type ParsedResponse =
  | { value: unknown }
  | { faultCode: unknown; faultString: unknown }
  /** Not well-formed XML-RPC (truncated, garbage): possibly a cut connection, worth a retry. */
  | { malformed: string }
  /** Well-formed but outside what the worker accepts: the same answer would come again. */
  | { refused: string };

/** A value the worker will not take from the wire, as opposed to a syntax error. */
class RefusedValue extends Error {}

const INTEGER = /^[+-]?\d+$/;
const DOUBLE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const clip = (text: string): string => (text.length > 40 ? `${text.slice(0, 40)}…` : text);

/**
 * The `xmlrpc` package's deserializer (sax underneath, no entity expansion, no recursion) with the
 * checks it lacks: `<int>` must be an integer a JavaScript number holds exactly (its parseInt
 * reads "12abc" as 12 and 99999999999999999999 as 1e20), `<double>` must be finite, structs get
 * own properties (`struct[name] = value` let a `__proto__` member replace the prototype), nesting
 * is capped, and a DOCTYPE (entity declarations: billion laughs) is refused outright.
 */
class StrictDeserializer extends Deserializer {
  constructor() {
    super('utf8');
    this.parser.on('doctype', () => this.onError(new RefusedValue('a DOCTYPE (entity declarations) is not allowed in an XML-RPC answer')));
  }

  // Once the answer is known to be bad, the rest of the document is skipped, not built.
  override onOpentag(node: { name: string }): void {
    if (this.error) return;
    super.onOpentag(node);
    if (this.marks.length > XMLRPC_MAX_DEPTH) this.onError(new RefusedValue(`arrays and structs nested deeper than ${XMLRPC_MAX_DEPTH} levels`));
  }

  override onClosetag(name: string): void {
    if (!this.error) super.onClosetag(name);
  }

  override onText(text: string): void {
    if (!this.error) super.onText(text);
  }

  override endInt(data: string): void {
    const text = data.trim();
    if (!INTEGER.test(text)) throw new Error(`<int> "${clip(text)}" is not an integer`);
    const value = Number(text);
    if (!Number.isSafeInteger(value)) throw new RefusedValue(`<int> ${clip(text)} is too large to hold exactly`);
    this.push(value);
    this.value = false;
  }

  override endDouble(data: string): void {
    const text = data.trim();
    if (/^[+-]?(inf|infinity|nan)$/i.test(text)) throw new RefusedValue(`<double> ${clip(text)} is not a finite number`);
    if (!DOUBLE.test(text)) throw new Error(`<double> "${clip(text)}" is not a number`);
    const value = Number(text);
    if (!Number.isFinite(value)) throw new RefusedValue(`<double> ${clip(text)} is not a finite number`);
    this.push(value);
    this.value = false;
  }

  override endStruct(): void {
    const mark = this.marks.pop();
    if (mark === undefined) throw new Error('</struct> without <struct>');
    const items = this.stack.slice(mark);
    if (items.length % 2 !== 0) throw new Error('a struct member without a name or a value');
    const struct: Record<string, unknown> = {};
    for (let index = 0; index < items.length; index += 2) {
      const name = items[index];
      if (typeof name !== 'string') throw new Error('a struct member name that is not text');
      Object.defineProperty(struct, name, { value: items[index + 1], enumerable: true, writable: true, configurable: true });
    }
    this.stack.splice(mark, this.stack.length - mark, struct);
    this.value = false;
  }

  override endArray(data: string): void {
    if (this.marks.length === 0) throw new Error('</array> without <array>');
    super.endArray(data);
  }
}

export function parseMethodResponse(xml: string): Promise<ParsedResponse> {
  return new Promise((resolve) => {
    new StrictDeserializer().deserializeMethodResponse(Readable.from([Buffer.from(xml, 'utf8')]), (error, value) => {
      if (!error) resolve({ value });
      else if (error instanceof RefusedValue) resolve({ refused: error.message });
      else if (error.faultCode !== undefined) resolve({ faultCode: error.faultCode, faultString: error.faultString });
      else resolve({ malformed: error.message.split('\n')[0] ?? error.message });
    });
  });
}

/** XML (`text/xml`, `application/xml`, `…+xml`), or no Content-Type at all. */
export function isXmlContentType(header: string | null): boolean {
  if (header === null || header.trim() === '') return true;
  const media = (header.split(';')[0] ?? '').trim().toLowerCase();
  return /^(text|application)\/([a-z0-9.+-]+\+)?xml$/.test(media);
}
