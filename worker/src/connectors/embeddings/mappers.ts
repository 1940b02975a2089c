import { endianness } from 'node:os';

import { z } from 'zod';

import { EmbeddingsPermanentError } from './errors';

/**
 * How vectors travel back. `base64`: each vector as the base64 of its little-endian float32 bytes,
 * about 40% of its JSON numbers' size and nothing to parse number by number (OpenAI's own client
 * asks for it). `float`: JSON numbers, for an endpoint that refuses the field.
 */
export type EncodingFormat = 'base64' | 'float';

/** Float32Array is in the machine's byte order; base64 vectors are little-endian. */
const LITTLE_ENDIAN = endianness() === 'LE';

export const embeddingsResponse = z.object({
  data: z.array(z.object({ index: z.number().int().nonnegative(), embedding: z.union([z.array(z.number().finite()).min(1), z.string().min(1)]) })),
  model: z.string().optional(),
});

/** The request body; `float` sends no `encoding_format` at all, the body every compatible server takes. */
export const embeddingsRequest = (model: string, input: string[], encoding: EncodingFormat = 'float'): Record<string, unknown> =>
  encoding === 'base64' ? { model, input, encoding_format: 'base64' } : { model, input };

/** A vector as the answer carried it: numbers as they are, base64 decoded from float32; undefined when it is not one. */
export function decodeVector(embedding: number[] | string): number[] | undefined {
  if (typeof embedding !== 'string') return embedding;
  if (embedding.length % 4 !== 0) return undefined;
  const bytes = Buffer.from(embedding, 'base64');
  // Node skips characters outside base64 as it decodes, so any such character leaves fewer bytes than the text's length promises.
  const padding = embedding.endsWith('==') ? 2 : embedding.endsWith('=') ? 1 : 0;
  if (bytes.length === 0 || bytes.length % 4 !== 0 || bytes.length !== (embedding.length / 4) * 3 - padding) return undefined;
  const count = bytes.length / 4;
  const vector = new Array<number>(count);
  if (LITTLE_ENDIAN) {
    // Copied into an aligned array: read there at once rather than value by value from the bytes.
    const floats = new Float32Array(count);
    new Uint8Array(floats.buffer).set(bytes);
    for (let index = 0; index < count; index++) vector[index] = floats[index] as number;
  } else {
    for (let index = 0; index < count; index++) vector[index] = bytes.readFloatLE(index * 4);
  }
  return vector.every(Number.isFinite) ? vector : undefined;
}

/** Vectors in input order, checked for count and equal dimensions; numbers or base64, whichever the endpoint sent. */
export function vectorsFromResponse(body: unknown, expected: number): number[][] {
  const parsed = embeddingsResponse.safeParse(body);
  if (!parsed.success) throw new EmbeddingsPermanentError('the embeddings endpoint answered with an unexpected body');
  const ordered = [...parsed.data.data].sort((a, b) => a.index - b.index);
  if (ordered.length !== expected || ordered.some((item, position) => item.index !== position)) {
    throw new EmbeddingsPermanentError(`the embeddings endpoint returned ${ordered.length} vectors for ${expected} inputs`);
  }
  const vectors = ordered.map((item) => decodeVector(item.embedding));
  if (vectors.some((vector) => vector === undefined))
    throw new EmbeddingsPermanentError('the embeddings endpoint returned a vector that is not float32 base64');
  const dimensions = vectors[0]?.length;
  if (vectors.some((vector) => vector?.length !== dimensions))
    throw new EmbeddingsPermanentError('the embeddings endpoint returned vectors of different sizes');
  return vectors as number[][];
}
