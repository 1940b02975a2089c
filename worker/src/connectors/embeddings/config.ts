import { z } from 'zod';
import { configSlice, optionalText, optionalUrl } from '../../core/config';

/** An OpenAI-compatible embeddings endpoint. `apiKey` is a secret: never logged, stored sealed. */
export const embeddingsConfigSchema = z.object({
  url: z.string().url(),
  model: z.string().trim().min(1).max(200),
  apiKey: z.string().min(1).optional(),
  timeoutMs: z.number().int().min(100).max(120_000).default(15_000),
  /** Inputs per HTTP request, at most (the client halves it when the endpoint answers 413). */
  maxBatch: z.number().int().min(1).max(2048).default(64),
  /** A 429/503 whose Retry-After is at most this is waited out in place once; longer ones go back to the job's backoff. */
  maxInlineRetryAfterMs: z.number().int().min(0).max(60_000).default(5_000),
});

export type EmbeddingsConfig = z.output<typeof embeddingsConfigSchema>;
export type EmbeddingsConfigInput = z.input<typeof embeddingsConfigSchema>;

/** Accepts a base URL (`https://api.openai.com/v1`) or the full `/embeddings` endpoint. */
export function embeddingsEndpoint(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  return /\/embeddings$/.test(trimmed) ? trimmed : `${trimmed}/embeddings`;
}

declare module '../../core/config' {
  interface ConfigSlices {
    embeddings: { url?: string; model?: string; apiKey?: string; timeoutMs: number; maxBatch: number };
  }
}

/** EMBEDDINGS_*: the endpoint when wp-admin has none saved. */
export const embeddingsEnvConfig = configSlice(
  'embeddings',
  {
    EMBEDDINGS_URL: optionalUrl,
    EMBEDDINGS_MODEL: optionalText,
    EMBEDDINGS_API_KEY: optionalText,
    EMBEDDINGS_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
    EMBEDDINGS_MAX_BATCH: z.coerce.number().int().min(1).max(2048).default(64),
  },
  (env) => ({
    url: env.EMBEDDINGS_URL,
    model: env.EMBEDDINGS_MODEL,
    apiKey: env.EMBEDDINGS_API_KEY,
    timeoutMs: env.EMBEDDINGS_TIMEOUT_MS,
    maxBatch: env.EMBEDDINGS_MAX_BATCH,
  }),
);
