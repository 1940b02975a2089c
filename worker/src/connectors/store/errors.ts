/** Failures of a stock write to the plugin; `retryable` decides whether the job tries again. */
export abstract class StoreError extends Error {
  abstract readonly retryable: boolean;
  constructor(
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Network error, timeout, 429 or 5xx. `retryAfterMs` from Retry-After when present. */
export class StoreUnavailableError extends StoreError {
  readonly retryable = true;
  constructor(
    message: string,
    status: number | null = null,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message, status);
  }
}

/** 4xx: bad signature, bad body, plugin not set up. Retrying the same request cannot help. */
export class StoreRejectedError extends StoreError {
  readonly retryable = false;
}

/** 2xx with a body that is not the per-item answer. */
export class StoreProtocolError extends StoreError {
  readonly retryable = false;
}
