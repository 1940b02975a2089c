import { describe, expect, it } from 'vitest';

import { decodeVector, embeddingsRequest, vectorsFromResponse } from '../../../../worker/src/connectors/embeddings/mappers';

const base64Of = (values: number[]): string => Buffer.from(new Float32Array(values).buffer).toString('base64');

describe('decodeVector', () => {
  it('decodes little-endian float32 base64, as OpenAI sends it', () => {
    // 1.0f is 00 00 80 3f, little-endian.
    expect(decodeVector(Buffer.from([0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0]).toString('base64'))).toEqual([1, -2]);
    expect(decodeVector(base64Of([0.25, -0.5, 3]))).toEqual([0.25, -0.5, 3]);
  });

  it('passes numbers through', () => {
    expect(decodeVector([0.1, 0.2])).toEqual([0.1, 0.2]);
  });

  it.each([
    ['bytes that are not whole float32 values', Buffer.from([1, 2, 3, 4, 5, 6]).toString('base64')],
    ['characters outside base64', 'AAAA*AAA'],
    ['a NaN', base64Of([Number.NaN])],
    ['an infinity', base64Of([Number.POSITIVE_INFINITY])],
  ])('refuses %s', (_label, text) => {
    expect(decodeVector(text)).toBeUndefined();
  });
});

describe('vectorsFromResponse', () => {
  it('takes base64 and numbers alike, in index order', () => {
    const body = {
      data: [
        { index: 1, embedding: [3, 4] },
        { index: 0, embedding: base64Of([1, 2]) },
      ],
    };
    expect(vectorsFromResponse(body, 2)).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('refuses vectors of different sizes across the two forms', () => {
    const body = {
      data: [
        { index: 0, embedding: base64Of([1, 2, 3]) },
        { index: 1, embedding: [1, 2] },
      ],
    };
    expect(() => vectorsFromResponse(body, 2)).toThrow(/different sizes/);
  });
});

describe('embeddingsRequest', () => {
  it('names the encoding only when it asks for base64', () => {
    expect(embeddingsRequest('m', ['a'], 'base64')).toEqual({ model: 'm', input: ['a'], encoding_format: 'base64' });
    expect(embeddingsRequest('m', ['a'], 'float')).toEqual({ model: 'm', input: ['a'] });
  });
});
