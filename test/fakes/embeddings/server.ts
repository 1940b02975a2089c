import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';

import { closeServer, listenOnLoopback } from '../../support/listen';

export interface FakeEmbeddingsServer {
  /** Base URL such as http://127.0.0.1:PORT/v1 (the client appends /embeddings). */
  url: string;
  /** HTTP requests received on /embeddings. */
  calls: number;
  /** Texts embedded, in arrival order. */
  inputs: string[];
  /** Authorization headers seen. */
  authorizations: Array<string | undefined>;
  /** The most successful answers that were being prepared at once (with `answerDelayMs`). */
  maxInFlight: number;
  /** Requests refused for carrying more than `maxInputs`. */
  refusedAsTooLarge: number;
  /** The `encoding_format` of each request (undefined when it had none), in arrival order. */
  encodings: Array<string | undefined>;
  /** Queue answers for the next requests: `{ status, retryAfter?, body? }`; empty = success. */
  failNext(...answers: Array<{ status: number; retryAfter?: string; body?: string }>): void;
  reset(): void;
  close(): Promise<void>;
}

export const DIMENSIONS = 8;

/** A deterministic vector for a text, so tests can check what was stored. */
export function fakeVector(text: string): number[] {
  const digest = createHash('sha256').update(text).digest();
  // Float32 values, so a vector sent as base64 float32 arrives as the same numbers.
  return Array.from({ length: DIMENSIONS }, (_, i) => Math.fround(Number(((digest[i] ?? 0) / 255).toFixed(6))));
}

/**
 * A bag-of-words vector (feature hashing): texts sharing words point the same way, so search
 * ranking can be checked, and any dimension count (1,536 for the benchmark).
 */
export function wordVector(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const word of text.toLowerCase().match(/\p{L}+/gu) ?? []) {
    const digest = createHash('sha256').update(word).digest();
    vector[digest.readUInt32BE(0) % dimensions] = (vector[digest.readUInt32BE(0) % dimensions] ?? 0) + 1;
  }
  return vector;
}

/** The request's `encoding_format`, if its body is JSON carrying one. */
function encodingOf(body: string): string | undefined {
  try {
    const format = (JSON.parse(body) as { encoding_format?: unknown }).encoding_format;
    return typeof format === 'string' ? format : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A dense vector of float32 values in [-0.05, 0.05), the same for the same text: the size and
 * shape of a real model's answer (1,536 dimensions for OpenAI's text-embedding-3-small), for benchmarks.
 */
export function denseVector(text: string, dimensions: number): number[] {
  const digest = createHash('sha256').update(text).digest();
  // xorshift32 seeded from the text.
  let state = digest.readUInt32BE(0) || 1;
  return Array.from({ length: dimensions }, () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return Math.fround(((state >>> 0) / 2 ** 32 - 0.5) / 10);
  });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of req) parts.push(chunk as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

/** An OpenAI-compatible `POST /v1/embeddings` that counts its calls. */
export async function startFakeEmbeddings(
  options: {
    apiKey?: string;
    words?: { dimensions: number };
    dense?: { dimensions: number };
    /** Each successful answer waits this long, as a remote model would. */ answerDelayMs?: number;
    /**
     * More inputs in one request are refused as Hugging Face TEI refuses more than its
     * `--max-client-batch-size`: HTTP 413 with its OpenAI-style error body (TEI's router, ErrorType::Validation).
     */
    maxInputs?: number;
    /**
     * `encoding_format`: `honour` (the default) answers base64 float32 when asked, as OpenAI does;
     * `ignore` always answers numbers; `refuse` answers 422 to a request carrying the field, as a
     * FastAPI server whose schema lacks it would.
     */
    encodingFormat?: 'honour' | 'ignore' | 'refuse';
  } = {},
): Promise<FakeEmbeddingsServer> {
  const embed = (text: string): number[] =>
    options.words ? wordVector(text, options.words.dimensions) : options.dense ? denseVector(text, options.dense.dimensions) : fakeVector(text);
  const failures: Array<{ status: number; retryAfter?: string; body?: string }> = [];
  const state = {
    calls: 0,
    inputs: [] as string[],
    authorizations: [] as Array<string | undefined>,
    inFlight: 0,
    maxInFlight: 0,
    refusedAsTooLarge: 0,
    encodings: [] as Array<string | undefined>,
  };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      if (req.method !== 'POST' || req.url !== '/v1/embeddings') {
        res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found' } }));
        return;
      }
      state.calls += 1;
      state.authorizations.push(req.headers.authorization);
      state.encodings.push(encodingOf(body));
      const failure = failures.shift();
      if (failure) {
        const headers: Record<string, string> = { 'Content-Type': 'application/json' };
        if (failure.retryAfter !== undefined) headers['Retry-After'] = failure.retryAfter;
        res.writeHead(failure.status, headers).end(failure.body ?? JSON.stringify({ error: { message: `fake failure ${failure.status}` } }));
        return;
      }
      if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) {
        res.writeHead(401, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: { message: 'Incorrect API key provided' } }));
        return;
      }
      let parsed: { model?: unknown; input?: unknown; encoding_format?: unknown };
      try {
        parsed = JSON.parse(body) as { model?: unknown; input?: unknown; encoding_format?: unknown };
      } catch {
        res.writeHead(400, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: { message: 'invalid JSON' } }));
        return;
      }
      const input = typeof parsed.input === 'string' ? [parsed.input] : parsed.input;
      if (typeof parsed.model !== 'string' || !Array.isArray(input) || input.some((item) => typeof item !== 'string')) {
        res.writeHead(400, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: { message: "'model' and 'input' are required" } }));
        return;
      }
      const texts = input as string[];
      const encoding = typeof parsed.encoding_format === 'string' ? parsed.encoding_format : undefined;
      if (encoding !== undefined && options.encodingFormat === 'refuse') {
        const detail = [{ type: 'extra_forbidden', loc: ['body', 'encoding_format'], msg: 'Extra inputs are not permitted', input: encoding }];
        res.writeHead(422, { 'Content-Type': 'application/json' }).end(JSON.stringify({ detail }));
        return;
      }
      if (encoding !== undefined && encoding !== 'float' && encoding !== 'base64') {
        res.writeHead(400, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: { message: `invalid encoding_format ${encoding}` } }));
        return;
      }
      const asBase64 = encoding === 'base64' && options.encodingFormat !== 'ignore';
      if (options.maxInputs !== undefined && texts.length > options.maxInputs) {
        state.refusedAsTooLarge += 1;
        const message = `batch size ${texts.length} > maximum allowed batch size ${options.maxInputs}`;
        res.writeHead(413, { 'Content-Type': 'application/json' }).end(JSON.stringify({ message, code: 413, type: 'validation' }));
        return;
      }
      state.inputs.push(...texts);
      if (options.answerDelayMs) {
        state.inFlight += 1;
        state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
        await new Promise((resolve) => setTimeout(resolve, options.answerDelayMs));
        state.inFlight -= 1;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(
        JSON.stringify({
          object: 'list',
          model: parsed.model,
          data: texts.map((text, index) => ({
            object: 'embedding',
            index,
            embedding: asBase64 ? Buffer.from(new Float32Array(embed(text)).buffer).toString('base64') : embed(text),
          })),
          usage: { prompt_tokens: texts.join(' ').split(/\s+/).length, total_tokens: texts.join(' ').split(/\s+/).length },
        }),
      );
    })();
  });
  const base = await listenOnLoopback(server);
  return {
    url: `${base}/v1`,
    get calls() {
      return state.calls;
    },
    get inputs() {
      return state.inputs;
    },
    get authorizations() {
      return state.authorizations;
    },
    get maxInFlight() {
      return state.maxInFlight;
    },
    get refusedAsTooLarge() {
      return state.refusedAsTooLarge;
    },
    get encodings() {
      return state.encodings;
    },
    failNext: (...answers) => failures.push(...answers),
    reset() {
      state.calls = 0;
      state.inputs = [];
      state.authorizations = [];
      state.maxInFlight = 0;
      state.refusedAsTooLarge = 0;
      state.encodings = [];
      failures.length = 0;
    },
    close: () => closeServer(server),
  };
}
