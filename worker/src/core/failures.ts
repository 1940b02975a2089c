import { UnrecoverableError, type Job } from 'bullmq';

import { HttpError } from './http/errors';

/**
 * What every connector's errors say about themselves, so core decides retries and answers without
 * knowing their classes: whether another attempt can help, when (the peer's Retry-After), and the
 * peer's HTTP status when it answered one.
 */
export interface ConnectorError extends Error {
  readonly retryable: boolean;
  readonly retryAfterMs?: number | null;
  readonly status?: number | null;
}

export function isConnectorError(error: unknown): error is ConnectorError {
  return error instanceof Error && typeof (error as { retryable?: unknown }).retryable === 'boolean';
}

/** A domain's own "no retry can help" (bad data, missing settings): a dead letter at once, with this message. */
export class PermanentFailure extends Error {
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** BullMQ's UnrecoverableError (by class or name, as BullMQ itself checks), or an error that says it is not retryable. */
export function isPermanent(error: unknown): error is Error {
  if (error instanceof UnrecoverableError || (error instanceof Error && error.name === 'UnrecoverableError')) return true;
  return isConnectorError(error) && !error.retryable;
}

/** No attempt follows this one: the error is permanent, or the job has used its attempts. */
export function isFinalAttempt(job: Pick<Job, 'attemptsMade' | 'opts'>, error?: unknown): boolean {
  return (error !== undefined && isPermanent(error)) || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

/**
 * The one job-error mapping, applied to every processor by the queue layer: a permanent error
 * leaves as UnrecoverableError (same message, the original as `cause`) so BullMQ dead-letters it
 * at once; anything else is rethrown as it is, for BullMQ's backoff.
 */
export function toJobError(error: unknown): unknown {
  if (!isPermanent(error) || error instanceof UnrecoverableError || !(error instanceof Error)) return error;
  const unrecoverable = new UnrecoverableError(error.message);
  unrecoverable.cause = error;
  return unrecoverable;
}

/** `Retry-After` as seconds (fractions allowed) or an HTTP date → milliseconds from `now`; null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/**
 * The one HTTP mapping of a peer failure seen by an admin route: 503 when trying again later can
 * help, 502 when the peer refused; in our own words (the peer's answer goes to the log only).
 * Anything that is not a connector error is returned unchanged, for the app's 500.
 */
export function peerHttpError(error: unknown, code: string, message: string | ((error: ConnectorError) => string)): unknown {
  if (!isConnectorError(error)) return error;
  return new HttpError(error.retryable ? 503 : 502, code, typeof message === 'string' ? message : message(error));
}
