import { parseRetryAfter } from '../../core/failures';

/** Failures of the embeddings endpoint; `retryable` decides whether the job tries again. */
export class EmbeddingsError extends Error {
  readonly retryable: boolean = false;
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'EmbeddingsError';
  }
}

/** Network error, timeout, 408, 429 or 5xx: worth another attempt, after `retryAfterMs` if given. */
export class EmbeddingsRetryableError extends EmbeddingsError {
  override readonly retryable = true;
  constructor(
    message: string,
    status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message, status);
    this.name = 'EmbeddingsRetryableError';
  }
}

/** Bad key, bad model, bad request, unreadable answer: retrying cannot help. */
export class EmbeddingsPermanentError extends EmbeddingsError {
  constructor(message: string, status?: number) {
    super(message, status);
    this.name = 'EmbeddingsPermanentError';
  }
}

export function errorForStatus(status: number, detail: string, retryAfter: string | null, now: number): EmbeddingsError {
  const message = `embeddings endpoint answered HTTP ${status}${detail ? `: ${detail.slice(0, 300)}` : ''}`;
  if (status === 408 || status === 429 || status >= 500) return new EmbeddingsRetryableError(message, status, parseRetryAfter(retryAfter, now) ?? undefined);
  return new EmbeddingsPermanentError(message, status);
}
