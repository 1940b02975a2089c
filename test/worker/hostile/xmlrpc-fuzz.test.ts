import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { isOdooError, OdooUnavailableError, OdooValidationError } from '../../../worker/src/connectors/odoo/errors';
import { ConfigError, loadConfig } from '../../../worker/src/config';
import { XmlRpcTransport } from '../../../worker/src/connectors/odoo/transport';
import { XMLRPC_MAX_DEPTH } from '../../../worker/src/connectors/odoo/xmlrpc-response';
import { LOOPBACK_FETCH } from '../../support/egress';
import { closeServer, listenOnLoopback } from '../../support/listen';

// The Odoo transport against a peer that answers with hostile or broken XML-RPC: every answer
// ends in a value that is safe to use or in one of the connector's typed errors, quickly, without
// buffering more than the size cap. The `xmlrpc` package stays behind this transport.

type Responder = (res: ServerResponse, req: IncomingMessage) => void;

const answer = (value: string): string => `<?xml version="1.0"?>\n<methodResponse><params><param><value>${value}</value></param></params></methodResponse>`;
/** An answer up to the start of a string's text, for bodies streamed or assembled from bytes. */
const STRING_START = '<?xml version="1.0"?>\n<methodResponse><params><param><value><string>';
const STRING_END = '</string></value></param></params></methodResponse>';
const member = (name: string, value: string): string => `<member><name>${name}</name><value>${value}</value></member>`;
const xml =
  (body: string | Buffer, contentType = 'text/xml; charset=utf-8'): Responder =>
  (res) => {
    res.writeHead(200, { 'Content-Type': contentType }).end(body);
  };
const laughs = (() => {
  const levels = ['<!ENTITY lol0 "lol">'];
  for (let index = 1; index <= 9; index += 1) levels.push(`<!ENTITY lol${index} "${`&lol${index - 1};`.repeat(10)}">`);
  return `<?xml version="1.0"?>\n<!DOCTYPE lolz [${levels.join('')}]>\n<methodResponse><params><param><value><string>&lol9;</string></value></param></params></methodResponse>`;
})();

/** Streams `prefix` then filler until the client goes away (or 256 MB); counts what it wrote. */
const written = new Map<string, number>();
const endless =
  (name: string, declareLength: boolean): Responder =>
  (res) => {
    const chunk = Buffer.alloc(64 * 1024, 'a');
    res.writeHead(200, { 'Content-Type': 'text/xml', ...(declareLength ? { 'Content-Length': String(256 * 1024 * 1024) } : {}) });
    res.write(STRING_START);
    let total = 0;
    const pump = (): void => {
      while (!res.destroyed && total < 256 * 1024 * 1024) {
        total += chunk.length;
        written.set(name, total);
        if (!res.write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
      if (!res.destroyed) res.end();
    };
    pump();
  };

interface HostileCase {
  name: string;
  respond: Responder;
  /** The typed error expected, 'value' when the answer is usable, 'either' when both are fine. */
  expected: typeof OdooValidationError | typeof OdooUnavailableError | 'value' | 'either';
  message?: RegExp;
  timeoutMs?: number;
  maxBytes?: number;
  check?: (value: unknown) => void;
}

const CASES: HostileCase[] = [
  // Entities: sax never expands declared entities; a DOCTYPE is refused before anything is read.
  { name: 'billion laughs', respond: xml(laughs), expected: OdooValidationError, message: /DOCTYPE/ },
  {
    name: 'external entity (XXE)',
    respond: xml('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + answer('<string>&x;</string>').replace(/^<\?xml[^>]*>\n/, '')),
    expected: OdooValidationError,
    message: /DOCTYPE/,
  },
  // Numbers.
  { name: '<int> beyond 2^53', respond: xml(answer('<int>99999999999999999999</int>')), expected: OdooValidationError, message: /too large to hold exactly/ },
  { name: '<i4> beyond -2^53', respond: xml(answer('<i4>-99999999999999999999</i4>')), expected: OdooValidationError, message: /too large/ },
  { name: '<int> with junk', respond: xml(answer('<int>12abc</int>')), expected: OdooUnavailableError, message: /not an integer/ },
  { name: '<int> empty', respond: xml(answer('<int></int>')), expected: OdooUnavailableError, message: /not an integer/ },
  { name: '<double> 1e999', respond: xml(answer('<double>1e999</double>')), expected: OdooValidationError, message: /not a finite number/ },
  { name: '<double> -1e999', respond: xml(answer('<double>-1e999</double>')), expected: OdooValidationError, message: /not a finite number/ },
  { name: '<double> inf (Python repr)', respond: xml(answer('<double>inf</double>')), expected: OdooValidationError, message: /not a finite number/ },
  { name: '<double> nan', respond: xml(answer('<double>nan</double>')), expected: OdooValidationError, message: /not a finite number/ },
  { name: '<double> with junk', respond: xml(answer('<double>1.5x</double>')), expected: OdooUnavailableError, message: /not a number/ },
  {
    name: '<i8> beyond 2^53 stays an exact string',
    respond: xml(answer('<i8>9223372036854775807</i8>')),
    expected: 'value',
    check: (value) => expect(value).toBe('9223372036854775807'),
  },
  {
    name: 'largest exact <int>',
    respond: xml(answer('<int>9007199254740991</int>')),
    expected: 'value',
    check: (value) => expect(value).toBe(9007199254740991),
  },
  // Nesting.
  {
    name: '10k nested arrays',
    respond: xml(answer('<array><data><value>'.repeat(10_000) + '<int>1</int>' + '</value></data></array>'.repeat(10_000))),
    expected: OdooValidationError,
    message: /nested deeper than 64/,
  },
  {
    name: '10k nested structs',
    respond: xml(answer(`<struct><member><name>a</name><value>`.repeat(10_000) + '<int>1</int>' + '</value></member></struct>'.repeat(10_000))),
    expected: OdooValidationError,
    message: /nested deeper than 64/,
  },
  {
    name: `${XMLRPC_MAX_DEPTH} nested arrays are fine`,
    respond: xml(answer('<array><data><value>'.repeat(XMLRPC_MAX_DEPTH) + '<int>1</int>' + '</value></data></array>'.repeat(XMLRPC_MAX_DEPTH))),
    expected: 'value',
  },
  // Keys that would reach a prototype.
  {
    name: '__proto__, constructor and prototype members are own properties',
    respond: xml(
      answer(
        `<struct>${member('__proto__', `<struct>${member('admin', '<boolean>1</boolean>')}</struct>`)}${member('constructor', `<struct>${member('prototype', `<struct>${member('admin', '<boolean>1</boolean>')}</struct>`)}</struct>`)}${member('id', '<int>7</int>')}</struct>`,
      ),
    ),
    expected: 'value',
    check: (value) => {
      const record = value as Record<string, unknown>;
      expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
      expect(Object.keys(record)).toEqual(['__proto__', 'constructor', 'id']);
      expect((record as { admin?: unknown }).admin).toBeUndefined();
      expect(({} as { admin?: unknown }).admin).toBeUndefined();
      expect(record.id).toBe(7);
    },
  },
  // Size.
  {
    name: 'a 5 MB string under the cap',
    respond: xml(answer(`<string>${'x'.repeat(5 * 1024 * 1024)}</string>`)),
    expected: 'value',
    check: (value) => expect((value as string).length).toBe(5 * 1024 * 1024),
  },
  {
    name: 'a 5 MB string over a 1 MB cap',
    respond: xml(answer(`<string>${'x'.repeat(5 * 1024 * 1024)}</string>`)),
    maxBytes: 1024 * 1024,
    expected: OdooValidationError,
    message: /larger than 1048576 bytes \(ODOO_MAX_RESPONSE_BYTES\)/,
  },
  {
    name: 'endless body with a 256 MB Content-Length',
    respond: endless('declared', true),
    maxBytes: 1024 * 1024,
    expected: OdooValidationError,
    message: /larger than/,
  },
  { name: 'endless chunked body', respond: endless('chunked', false), maxBytes: 1024 * 1024, expected: OdooValidationError, message: /larger than/ },
  {
    name: '50k array elements within the cap',
    respond: xml(answer(`<array><data>${'<value><int>1</int></value>'.repeat(50_000)}</data></array>`)),
    expected: 'value',
    check: (value) => expect((value as unknown[]).length).toBe(50_000),
  },
  // Not XML-RPC.
  {
    name: 'HTML login page',
    respond: xml('<html><body><form>Login</form></body></html>', 'text/html; charset=utf-8'),
    expected: OdooValidationError,
    message: /"text\/html; charset=utf-8", not XML; check the Odoo URL/,
  },
  { name: 'JSON', respond: xml('{"jsonrpc":"2.0","result":1}', 'application/json'), expected: OdooValidationError, message: /not XML/ },
  { name: 'JSON labelled text/xml', respond: xml('{"result":1}'), expected: OdooUnavailableError, message: /unreadable answer/ },
  { name: 'HTML labelled text/xml', respond: xml('<html><body>Login</body></html>'), expected: OdooUnavailableError, message: /unreadable answer/ },
  { name: 'empty body', respond: xml(''), expected: OdooUnavailableError, message: /unreadable answer/ },
  {
    name: 'a method call instead of a response',
    respond: xml('<methodCall><methodName>x</methodName><params/></methodCall>'),
    expected: OdooUnavailableError,
    message: /unreadable answer/,
  },
  {
    name: 'two params',
    respond: xml('<methodResponse><params><param><value>1</value></param><param><value>2</value></param></params></methodResponse>'),
    expected: OdooUnavailableError,
    message: /more than one param/,
  },
  { name: 'unknown tag', respond: xml(answer('<foo>1</foo>')), expected: OdooUnavailableError, message: /Unknown XML-RPC tag/ },
  // sax (non-strict) drops a closing tag that closes nothing: the answer reads as the int.
  { name: 'stray </struct>', respond: xml(answer('<int>1</int></struct>')), expected: 'value', check: (value) => expect(value).toBe(1) },
  { name: 'closing tags out of order', respond: xml(answer('<array><data><value><struct></array></data></value></struct>')), expected: 'either' },
  {
    name: 'struct member without a value',
    respond: xml(answer('<struct><member><name>a</name></member></struct>')),
    expected: OdooUnavailableError,
    message: /without a name or a value/,
  },
  { name: 'bad dateTime', respond: xml(answer('<dateTime.iso8601>yesterday</dateTime.iso8601>')), expected: OdooUnavailableError, message: /ISO8601/ },
  { name: 'bad boolean', respond: xml(answer('<boolean>yes</boolean>')), expected: OdooUnavailableError, message: /boolean/ },
  {
    name: 'invalid UTF-8',
    respond: xml(Buffer.concat([Buffer.from(STRING_START), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(STRING_END)])),
    expected: 'value',
    check: (value) => expect(value).toBe('\ufffd\ufffd\ufffd'),
  },
  { name: 'NUL character reference', respond: xml(answer('<string>a&#0;b</string>')), expected: 'value' },
  // Faults.
  {
    name: 'fault with a huge faultCode',
    respond: xml(
      `<methodResponse><fault><value><struct>${member('faultCode', '<int>99999999999999999999</int>')}${member('faultString', '<string>x</string>')}</struct></value></fault></methodResponse>`,
    ),
    expected: OdooValidationError,
  },
  {
    name: 'fault without members',
    respond: xml('<methodResponse><fault><value><struct></struct></value></fault></methodResponse>'),
    expected: OdooUnavailableError,
    message: /unreadable answer/,
  },
  // With `struct[name] = value` this fault's code came from the injected prototype: "access denied".
  {
    name: 'fault code smuggled through __proto__',
    respond: xml(
      `<methodResponse><fault><value><struct>${member('__proto__', `<struct>${member('faultCode', '<int>3</int>')}${member('faultString', '<string>Access Denied</string>')}</struct>`)}</struct></value></fault></methodResponse>`,
    ),
    expected: OdooUnavailableError,
    message: /unreadable answer/,
  },
  // Truncation and time.
  {
    name: 'XML truncated mid-element',
    respond: xml(answer('<string>abc</string>').slice(0, 70)),
    expected: OdooUnavailableError,
    message: /unreadable answer/,
  },
  {
    name: 'connection cut before the declared length',
    respond: (res) => {
      res.writeHead(200, { 'Content-Type': 'text/xml', 'Content-Length': '1000' });
      res.write(answer('<string>abc</string>').slice(0, 100));
      setTimeout(() => res.socket?.destroy(), 20);
    },
    expected: OdooUnavailableError,
    message: /did not answer/,
  },
  { name: 'connection closed without an answer', respond: (res) => res.socket?.destroy(), expected: OdooUnavailableError, message: /did not answer/ },
  { name: 'headers that never come', respond: () => undefined, timeoutMs: 300, expected: OdooUnavailableError, message: /no answer within 300 ms/ },
  {
    name: 'a body that never ends',
    respond: (res) => {
      res.writeHead(200, { 'Content-Type': 'text/xml' });
      res.write('<?xml version="1.0"?><methodResponse><params>');
    },
    timeoutMs: 300,
    expected: OdooUnavailableError,
    message: /no answer within 300 ms/,
  },
  {
    name: 'a body trickling one byte every 20 ms',
    respond: (res) => {
      res.writeHead(200, { 'Content-Type': 'text/xml' });
      const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write(' ')), 20);
    },
    timeoutMs: 300,
    expected: OdooUnavailableError,
    message: /no answer within 300 ms/,
  },
];

let server: Server;
let baseUrl: string;
const responders = new Map<string, Responder>();

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    const name = decodeURIComponent((req.url ?? '').split('/')[1] ?? '');
    const respond = responders.get(name);
    if (!respond) return void res.writeHead(404).end();
    req.on('end', () => respond(res, req));
  });
  baseUrl = await listenOnLoopback(server);
  CASES.forEach((entry, index) => responders.set(`case-${index}`, entry.respond));
});

afterAll(async () => {
  await closeServer(server);
});

/** Outcome of one call: the value, or the error it threw, and how long it took. */
async function callCase(key: string, timeoutMs = 5_000, maxBytes?: number): Promise<{ value?: unknown; error?: unknown; ms: number }> {
  const transport = new XmlRpcTransport(`${baseUrl}/${key}`, timeoutMs, maxBytes, LOOPBACK_FETCH);
  const started = performance.now();
  try {
    const value = await transport.call('object', 'execute_kw', ['db', 2, 'key', 'res.partner', 'read', [[1]]], 'reading res.partner');
    return { value, ms: performance.now() - started };
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
}

/** What a caller may rely on for any value the transport returns. */
function expectSafe(value: unknown): void {
  const pending: Array<[unknown, number]> = [[value, 0]];
  while (pending.length > 0) {
    const [item, depth] = pending.pop() as [unknown, number];
    if (depth > XMLRPC_MAX_DEPTH + 1) throw new Error(`value nested ${depth} levels deep`);
    if (typeof item === 'number' && !Number.isFinite(item)) throw new Error(`non-finite number ${item}`);
    if (Array.isArray(item)) {
      for (const entry of item) pending.push([entry, depth + 1]);
    } else if (typeof item === 'object' && item !== null && !(item instanceof Date) && !Buffer.isBuffer(item)) {
      if (Object.getPrototypeOf(item) !== Object.prototype) throw new Error('struct with a foreign prototype');
      for (const key of Object.keys(item)) pending.push([(item as Record<string, unknown>)[key], depth + 1]);
    }
  }
}

describe('Odoo XML-RPC transport against hostile answers', () => {
  it.each(CASES.map((entry, index) => [entry.name, index] as const))('%s', async (_name, index) => {
    const entry = CASES[index] as HostileCase;
    const { value, error, ms } = await callCase(`case-${index}`, entry.timeoutMs, entry.maxBytes);
    if (entry.expected === 'either') {
      if (error === undefined) expectSafe(value);
      else expect(isOdooError(error)).toBe(true);
    } else if (entry.expected === 'value') {
      expect(error).toBeUndefined();
      expectSafe(value);
      entry.check?.(value);
    } else {
      expect(error).toBeInstanceOf(entry.expected);
      expect(isOdooError(error)).toBe(true);
      if (entry.message) expect((error as Error).message).toMatch(entry.message);
      // Never the peer's own text (the /etc/passwd of an XXE, a whole page) echoed back.
      expect((error as Error).message.length).toBeLessThan(400);
      expect((error as Error).message).not.toMatch(/root:x:0:0/);
    }
    expect(ms).toBeLessThan(entry.timeoutMs ? entry.timeoutMs + 2_000 : 10_000);
  });

  it('stops reading an endless body near the cap (bounded memory)', () => {
    // Both endless cases ran above with a 1 MB cap; the server could push only what loopback
    // socket buffers absorb before the client cut the connection, nowhere near the 256 MB it offered.
    for (const name of ['declared', 'chunked']) {
      const total = written.get(name);
      expect(total).toBeDefined();
      expect(total as number).toBeLessThan(64 * 1024 * 1024);
    }
  });
});

describe('the unmaintained xmlrpc package stays behind the Odoo transport', () => {
  it('is imported only by worker/src/connectors/odoo', () => {
    const source = path.resolve(__dirname, '../../../worker/src');
    const importers = (readdirSync(source, { recursive: true }) as string[])
      .filter((file) => /\.ts$/.test(file))
      .filter((file) => /from '(xmlrpc|xmlrpc\/[^']*)'|require\('xmlrpc/.test(readFileSync(path.join(source, file), 'utf8')))
      .map((file) => file.split(path.sep).join('/'))
      .sort();
    expect(importers).toEqual(['connectors/odoo/transport.ts', 'connectors/odoo/xmlrpc-response.ts']);
  });
});

describe('ODOO_MAX_RESPONSE_BYTES', () => {
  it('defaults to 20 MB, takes a byte count and names itself when invalid', () => {
    expect(loadConfig({}).odoo.maxResponseBytes).toBe(20 * 1024 * 1024);
    expect(loadConfig({ ODOO_MAX_RESPONSE_BYTES: '5000000' }).odoo.maxResponseBytes).toBe(5_000_000);
    for (const bad of ['lots', '12', '-1']) {
      expect(() => loadConfig({ ODOO_MAX_RESPONSE_BYTES: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ ODOO_MAX_RESPONSE_BYTES: bad })).toThrow(/ODOO_MAX_RESPONSE_BYTES/);
    }
  });
});

// A property-style fuzz: random mutations of a realistic Odoo answer, fixed seed, bounded count.
const SEED = 0x5eed_0d00;
const ITERATIONS = 300;
const VALID = answer(
  `<array><data>${[1, 2, 3]
    .map(
      (id) =>
        `<value><struct>${member('id', `<int>${id}</int>`)}${member('name', `<string>Zoë &amp; Co ${id}</string>`)}${member('active', '<boolean>1</boolean>')}${member('credit', `<double>${id * 10.5}</double>`)}${member('country_id', `<array><data><value><int>49</int></value><value><string>Colombia</string></value></data></array>`)}${member('ref', '<boolean>0</boolean>')}${member('create_date', '<string>2024-07-09 10:00:00</string>')}</struct></value>`,
    )
    .join('')}</data></array>`,
);
const SNIPPETS = [
  '<',
  '>',
  '/',
  '&',
  ';',
  '"',
  '<int>',
  '</int>',
  '<struct>',
  '</struct>',
  '<array>',
  '</data>',
  '<value>',
  '</value>',
  '<member>',
  '<name>',
  '<!DOCTYPE x [<!ENTITY e "ee">]>',
  '<![CDATA[',
  ']]>',
  '&amp;',
  '&#0;',
  '&#xFFFF;',
  '&bogus;',
  '99999999999999999999',
  '1e999',
  '-',
  '.',
  'é',
  '\u0000',
  '<?xml version="1.0"?>',
  '<fault>',
  '<nil/>',
  '<i8>',
];

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function mutate(text: string, random: () => number): string {
  const at = (): number => Math.floor(random() * (text.length + 1));
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)] as T;
  let result = text;
  const rounds = 1 + Math.floor(random() * 4);
  for (let round = 0; round < rounds; round += 1) {
    const start = Math.min(at(), result.length);
    const length = Math.floor(random() * 40);
    switch (Math.floor(random() * 5)) {
      case 0: // replace one character
        result = result.slice(0, start) + pick(SNIPPETS).slice(0, 1) + result.slice(start + 1);
        break;
      case 1: // delete a slice
        result = result.slice(0, start) + result.slice(start + length);
        break;
      case 2: // duplicate a slice
        result = result.slice(0, start + length) + result.slice(start, start + length) + result.slice(start + length);
        break;
      case 3: // truncate
        result = result.slice(0, start);
        break;
      default: // insert markup
        result = result.slice(0, start) + pick(SNIPPETS) + result.slice(start);
    }
  }
  return result;
}

describe(`Odoo XML-RPC transport fuzz (seed ${SEED.toString(16)}, ${ITERATIONS} mutations)`, () => {
  it('every mutated answer gives a safe value or a typed Odoo error, quickly', async () => {
    const random = mulberry32(SEED);
    const bodies = Array.from({ length: ITERATIONS }, () => mutate(VALID, random));
    const tally = { value: 0, validation: 0, unavailable: 0, access_denied: 0 };
    let slowest = 0;
    for (const [index, body] of bodies.entries()) {
      responders.set(`fuzz-${index}`, xml(body));
      const { value, error, ms } = await callCase(`fuzz-${index}`);
      slowest = Math.max(slowest, ms);
      if (error === undefined) {
        expectSafe(value);
        tally.value += 1;
      } else {
        if (!isOdooError(error)) throw new Error(`mutation ${index} threw an untyped error: ${String(error)}\n${body}`);
        tally[error.kind] += 1;
      }
    }
    console.log(`xmlrpc fuzz: ${JSON.stringify(tally)}, slowest call ${Math.round(slowest)} ms`);
    // Not degenerate: both readable and unreadable mutations occurred.
    expect(tally.value).toBeGreaterThan(0);
    expect(tally.unavailable + tally.validation).toBeGreaterThan(ITERATIONS / 4);
    expect(slowest).toBeLessThan(5_000);
  }, 120_000);
});
