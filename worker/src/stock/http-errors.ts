import { SiigoAuthError, SiigoCircuitOpenError, SiigoError, SiigoRateLimitError, SiigoUnavailableError } from '../connectors/siigo/errors';
import { StoreError } from '../connectors/store/errors';
import { HttpError } from '../core/http/errors';
import type { Logger } from '../core/logger';
import { NotConfiguredError } from './settings';

/**
 * Peer failures as HTTP answers for the admin page, in our own words: SIIGO's or the store's
 * answer (body, error text) goes to the log only, so these routes cannot be used to read what a
 * URL serves. Anything that is not a peer failure is rethrown.
 */
export function toHttpError(error: unknown, logger: Logger): unknown {
  const mapped = peerFailure(error);
  if (mapped && !(error instanceof NotConfiguredError)) logger.warn({ err: error, code: mapped.code }, 'peer call failed');
  return mapped ?? error;
}

function peerFailure(error: unknown): HttpError | undefined {
  if (error instanceof NotConfiguredError) return new HttpError(409, 'not_configured', error.message);
  // Our own refusal (core/egress): the message is ours and names no address.
  if (error instanceof SiigoError && error.code === 'target_not_allowed') return new HttpError(409, 'target_not_allowed', error.message);
  if (error instanceof SiigoAuthError) return new HttpError(502, 'siigo_auth', 'SIIGO refused the credentials: check the API user and access key.');
  if (error instanceof SiigoCircuitOpenError) return new HttpError(503, 'siigo_circuit_open', error.message);
  if (error instanceof SiigoRateLimitError) return new HttpError(503, 'siigo_rate_limited', 'SIIGO asks to slow down (rate limit); try again in a minute.');
  if (error instanceof SiigoUnavailableError && error.status === null)
    return new HttpError(502, 'siigo_unreachable', 'SIIGO did not answer (network error or timeout): check the API URL.');
  if (error instanceof SiigoError) {
    const answered = error.status === null ? 'with something that is not the SIIGO API' : `HTTP ${error.status}`;
    return new HttpError(502, 'siigo_error', `SIIGO answered ${answered}; the worker log has the details.`);
  }
  if (error instanceof StoreError) {
    const answered = error.status === null ? 'could not be reached' : `answered HTTP ${error.status}`;
    return new HttpError(502, 'store_error', `The store ${answered}; the worker log has the details.`);
  }
  return undefined;
}

/** Same, as `{ code, message }` for answers that report a failed test rather than fail. */
export function describeFailure(error: unknown, logger: Logger): { code: string; message: string } {
  const mapped = toHttpError(error, logger);
  if (mapped instanceof HttpError) return { code: mapped.code, message: mapped.message };
  logger.error({ err: error }, 'connection test failed');
  return { code: 'internal_error', message: 'The test failed; the worker log has the details.' };
}
