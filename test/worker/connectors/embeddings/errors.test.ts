import { describe, expect, it } from 'vitest';

import { embeddingsEndpoint, EmbeddingsPermanentError, EmbeddingsRetryableError, errorForStatus } from '../../../../worker/src/connectors/embeddings';

const now = Date.parse('2026-11-23T12:00:00Z');

describe('errorForStatus', () => {
  it.each([
    [429, '2', EmbeddingsRetryableError, 2000],
    [503, null, EmbeddingsRetryableError, undefined],
    [500, null, EmbeddingsRetryableError, undefined],
    [408, null, EmbeddingsRetryableError, undefined],
    [400, null, EmbeddingsPermanentError, undefined],
    [401, null, EmbeddingsPermanentError, undefined],
    [404, null, EmbeddingsPermanentError, undefined],
  ])('HTTP %i → %o', (status, retryAfter, kind, wait) => {
    const error = errorForStatus(status, 'detail', retryAfter, now);
    expect(error).toBeInstanceOf(kind);
    expect(error.retryable).toBe(kind === EmbeddingsRetryableError);
    expect(error.status).toBe(status);
    if (error instanceof EmbeddingsRetryableError) expect(error.retryAfterMs).toBe(wait);
  });
});

describe('embeddingsEndpoint', () => {
  it.each([
    ['https://api.openai.com/v1', 'https://api.openai.com/v1/embeddings'],
    ['https://api.openai.com/v1/', 'https://api.openai.com/v1/embeddings'],
    ['http://127.0.0.1:8080/v1/embeddings', 'http://127.0.0.1:8080/v1/embeddings'],
  ])('%s → %s', (url, endpoint) => {
    expect(embeddingsEndpoint(url)).toBe(endpoint);
  });
});
