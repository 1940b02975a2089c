import { createServer, type Server } from 'node:http';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { EmbeddingsClient, EmbeddingsPermanentError, EmbeddingsRetryableError } from '../../../../worker/src/connectors/embeddings';
import { fakeVector, startFakeEmbeddings, type FakeEmbeddingsServer } from '../../../fakes/embeddings/server';
import { LOOPBACK_REQUEST } from '../../../support/egress';

let fake: FakeEmbeddingsServer;

beforeAll(async () => {
  fake = await startFakeEmbeddings({ apiKey: 'sk-test' });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

const client = (over: Partial<ConstructorParameters<typeof EmbeddingsClient>[0]> = {}) =>
  new EmbeddingsClient({ url: fake.url, model: 'test-model', apiKey: 'sk-test', ...over }, LOOPBACK_REQUEST);

describe('EmbeddingsClient', () => {
  it('returns one vector per input, in order, sending the key', async () => {
    const vectors = await client().embed(['alpha', 'beta']);
    expect(vectors).toEqual([fakeVector('alpha'), fakeVector('beta')]);
    expect(fake.calls).toBe(1);
    expect(fake.authorizations).toEqual(['Bearer sk-test']);
  });

  it('asks for base64 float32 vectors and decodes them', async () => {
    const vectors = await client().embed(['alpha', 'beta']);
    expect(vectors).toEqual([fakeVector('alpha'), fakeVector('beta')]);
    expect(fake.encodings).toEqual(['base64']);
  });

  it('takes numbers from an endpoint that ignores the encoding it was asked for', async () => {
    const plain = await startFakeEmbeddings({ encodingFormat: 'ignore' });
    try {
      const embeddings = new EmbeddingsClient({ url: plain.url, model: 'test-model' }, LOOPBACK_REQUEST);
      expect(await embeddings.embed(['alpha'])).toEqual([fakeVector('alpha')]);
      expect(plain.encodings).toEqual(['base64']);
    } finally {
      await plain.close();
    }
  });

  it('asks for numbers, for good, once an endpoint refuses the encoding field', async () => {
    const strict = await startFakeEmbeddings({ encodingFormat: 'refuse' });
    try {
      const embeddings = new EmbeddingsClient({ url: strict.url, model: 'test-model' }, LOOPBACK_REQUEST);
      expect(await embeddings.embed(['alpha'])).toEqual([fakeVector('alpha')]);
      expect(await embeddings.embed(['beta'])).toEqual([fakeVector('beta')]);
      // Refused once with the field, then asked without it: the next call goes without it at once.
      expect(strict.encodings).toEqual(['base64', undefined, undefined]);
    } finally {
      await strict.close();
    }
  });

  it('keeps asking for base64 when a 400 comes back for numbers too (the refusal was not about the encoding)', async () => {
    fake.failNext({ status: 400 }, { status: 400 });
    await expect(client().embed(['x'])).rejects.toBeInstanceOf(EmbeddingsPermanentError);
    fake.reset();
    await client().embed(['x']);
    expect(fake.encodings).toEqual(['base64']);
  });

  it('splits large inputs into batches, vectors in input order', async () => {
    const texts = Array.from({ length: 5 }, (_, i) => `t${i}`);
    const vectors = await client({ maxBatch: 2 }).embed(texts);
    expect(vectors).toEqual(texts.map((text) => fakeVector(text)));
    expect(fake.calls).toBe(3);
    expect([...fake.inputs].sort()).toEqual(texts);
  });

  it('sends the batches of a large input four at a time', async () => {
    const slow = await startFakeEmbeddings({ answerDelayMs: 50 });
    try {
      const texts = Array.from({ length: 20 }, (_, i) => `slow${i}`);
      const vectors = await new EmbeddingsClient({ url: slow.url, model: 'test-model', maxBatch: 2 }, LOOPBACK_REQUEST).embed(texts);
      expect(vectors).toEqual(texts.map((text) => fakeVector(text)));
      expect(slow.calls).toBe(10);
      expect(slow.maxInFlight).toBe(4);
    } finally {
      await slow.close();
    }
  });

  it('starts no further batch once one has failed, and throws its error', async () => {
    // Successful answers take 50 ms; the refusal of the first request comes at once.
    const slow = await startFakeEmbeddings({ answerDelayMs: 50 });
    try {
      slow.failNext({ status: 401, body: JSON.stringify({ error: { message: 'refused' } }) });
      const texts = Array.from({ length: 20 }, (_, i) => `f${i}`);
      await expect(new EmbeddingsClient({ url: slow.url, model: 'test-model', maxBatch: 1 }, LOOPBACK_REQUEST).embed(texts)).rejects.toThrow(/refused/);
      await new Promise((resolve) => setTimeout(resolve, 100));
      // The first four went out together; none after the refusal.
      expect(slow.calls).toBe(4);
    } finally {
      await slow.close();
    }
  });

  it('halves its requests for good when the endpoint refuses their size with a 413, as TEI does past its client batch size', async () => {
    const small = await startFakeEmbeddings({ maxInputs: 32 });
    try {
      const embeddings = new EmbeddingsClient({ url: small.url, model: 'test-model' }, LOOPBACK_REQUEST);
      // 100 inputs go as 64 + 36: the 64 is refused and split 32 + 32; the 36, sent alongside, is split at
      // the size learned by then (32 + 4) or halved (18 + 18) if its refusal came first.
      const texts = Array.from({ length: 100 }, (_, i) => `t${i}`);
      expect(await embeddings.embed(texts)).toEqual(texts.map((text) => fakeVector(text)));
      expect([32, 18]).toContain(embeddings.batchSize);
      expect([...small.inputs].sort()).toEqual([...texts].sort());
      // The next call goes at the learned size, none refused.
      const before = small.calls;
      await embeddings.embed(texts);
      expect(small.calls - before).toBe(Math.ceil(100 / embeddings.batchSize));
    } finally {
      await small.close();
    }
  });

  it('gives up on a 413 for one input: a permanent error, not an endless split', async () => {
    fake.failNext({ status: 413 }, { status: 413 }, { status: 413 });
    const failure = await client()
      .embed(['a', 'b'])
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(EmbeddingsPermanentError);
    expect((failure as EmbeddingsPermanentError).status).toBe(413);
    // The pair, then its first half alone.
    expect(fake.calls).toBe(2);
  });

  it('waits out a short Retry-After once, then succeeds', async () => {
    fake.failNext({ status: 429, retryAfter: '0.05' });
    expect(await client().embed(['x'])).toEqual([fakeVector('x')]);
    expect(fake.calls).toBe(2);
  });

  it('hands a long Retry-After back to the job as a retryable error', async () => {
    fake.failNext({ status: 429, retryAfter: '120' });
    const error = await client()
      .embed(['x'])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbeddingsRetryableError);
    expect((error as EmbeddingsRetryableError).retryAfterMs).toBe(120_000);
    expect(fake.calls).toBe(1);
  });

  it('treats 5xx as retryable and a bad key as permanent', async () => {
    fake.failNext({ status: 502 });
    await expect(client().embed(['x'])).rejects.toBeInstanceOf(EmbeddingsRetryableError);
    await expect(client({ apiKey: 'wrong' }).embed(['x'])).rejects.toBeInstanceOf(EmbeddingsPermanentError);
  });

  it('follows no redirect: a 307 is a permanent error and the key goes nowhere else', async () => {
    const elsewhere = await startFakeEmbeddings();
    const redirecting = createServer((_req, res) => res.writeHead(307, { Location: `${elsewhere.url}/embeddings` }).end());
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    try {
      const address = redirecting.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const failure = await new EmbeddingsClient({ url: `http://127.0.0.1:${port}/v1`, model: 'm', apiKey: 'sk-test' }, LOOPBACK_REQUEST)
        .embed(['x'])
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(EmbeddingsPermanentError);
      expect((failure as EmbeddingsPermanentError).status).toBe(307);
      expect(elsewhere.calls).toBe(0);
    } finally {
      redirecting.closeAllConnections();
      await new Promise((resolve) => redirecting.close(resolve));
      await elsewhere.close();
    }
  });

  it('treats an unreachable endpoint as retryable', async () => {
    await expect(new EmbeddingsClient({ url: 'http://127.0.0.1:1/v1', model: 'm' }, LOOPBACK_REQUEST).embed(['x'])).rejects.toBeInstanceOf(
      EmbeddingsRetryableError,
    );
  });

  it('rejects a config without a model or with a bad URL', () => {
    expect(() => new EmbeddingsClient({ url: 'not a url', model: 'm' })).toThrow();
    expect(() => new EmbeddingsClient({ url: fake.url, model: '' })).toThrow();
  });
});

describe('EmbeddingsClient against a misbehaving server', () => {
  let server: Server;
  let url = '';
  let answer: { status: number; body: string; delayMs?: number } = { status: 200, body: '{}' };
  beforeAll(async () => {
    server = createServer((_req, res) => {
      setTimeout(() => res.writeHead(answer.status, { 'Content-Type': 'application/json' }).end(answer.body), answer.delayMs ?? 0);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/v1`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it.each([
    ['a body without data', { status: 200, body: '{"object":"list"}' }, EmbeddingsPermanentError],
    ['too few vectors', { status: 200, body: '{"data":[{"index":0,"embedding":[1]}]}' }, EmbeddingsPermanentError],
    [
      'a base64 vector that is not float32 bytes',
      { status: 200, body: '{"data":[{"index":0,"embedding":"AAA="},{"index":1,"embedding":"AAA="}]}' },
      EmbeddingsPermanentError,
    ],
    [
      'a vector that is not base64',
      { status: 200, body: '{"data":[{"index":0,"embedding":"AAAA!AAA"},{"index":1,"embedding":"AAAA!AAA"}]}' },
      EmbeddingsPermanentError,
    ],
    ['vectors of different sizes', { status: 200, body: '{"data":[{"index":0,"embedding":[1]},{"index":1,"embedding":[1,2]}]}' }, EmbeddingsPermanentError],
    ['a body that is not JSON', { status: 200, body: '<html>' }, EmbeddingsRetryableError],
    ['a timeout', { status: 200, body: '{}', delayMs: 500 }, EmbeddingsRetryableError],
    // 1 MiB plus 256 KiB per input is the most read: 2 MiB for two inputs; these two vectors are 2.4 MB.
    [
      'an answer past its size cap',
      { status: 200, body: `{"data":[${[0, 1].map((index) => `{"index":${index},"embedding":[${'1,'.repeat(600_000)}1]}`).join(',')}]}` },
      EmbeddingsPermanentError,
    ],
  ])('fails cleanly on %s', async (_label, next, kind) => {
    answer = next;
    // Only the timeout case may time out: on a loaded machine 150 ms turned bad answers into timeouts.
    const timeoutMs = 'delayMs' in next ? 150 : 10_000;
    await expect(new EmbeddingsClient({ url, model: 'm', timeoutMs }, LOOPBACK_REQUEST).embed(['a', 'b'])).rejects.toBeInstanceOf(kind);
  });
});
