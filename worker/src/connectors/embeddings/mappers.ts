import { z } from 'zod';

import { EmbeddingsPermanentError } from './errors';

export const embeddingsResponse = z.object({
  data: z.array(z.object({ index: z.number().int().nonnegative(), embedding: z.array(z.number().finite()).min(1) })),
  model: z.string().optional(),
});

export const embeddingsRequest = (model: string, input: string[]): { model: string; input: string[] } => ({ model, input });

/** Vectors in input order, checked for count and equal dimensions. */
export function vectorsFromResponse(body: unknown, expected: number): number[][] {
  const parsed = embeddingsResponse.safeParse(body);
  if (!parsed.success) throw new EmbeddingsPermanentError('the embeddings endpoint answered with an unexpected body');
  const ordered = [...parsed.data.data].sort((a, b) => a.index - b.index);
  if (ordered.length !== expected || ordered.some((item, position) => item.index !== position)) {
    throw new EmbeddingsPermanentError(`the embeddings endpoint returned ${ordered.length} vectors for ${expected} inputs`);
  }
  const dimensions = ordered[0]?.embedding.length;
  if (ordered.some((item) => item.embedding.length !== dimensions))
    throw new EmbeddingsPermanentError('the embeddings endpoint returned vectors of different sizes');
  return ordered.map((item) => item.embedding);
}
