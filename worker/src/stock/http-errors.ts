import { SiigoAuthError, SiigoCircuitOpenError, SiigoError, SiigoRateLimitError } from '../connectors/siigo/errors';
import { StoreError } from '../connectors/store/errors';
import { HttpError } from '../core/http/errors';
import { NotConfiguredError } from './settings';

/** Peer failures as clear HTTP answers for the admin page; anything else is rethrown. */
export function toHttpError(error: unknown): unknown {
  if (error instanceof NotConfiguredError) return new HttpError(409, 'not_configured', error.message);
  if (error instanceof SiigoAuthError) return new HttpError(502, 'siigo_auth', `SIIGO refused the credentials: ${error.message}`);
  if (error instanceof SiigoCircuitOpenError) return new HttpError(503, 'siigo_circuit_open', error.message);
  if (error instanceof SiigoRateLimitError) return new HttpError(503, 'siigo_rate_limited', error.message);
  if (error instanceof SiigoError) return new HttpError(502, 'siigo_error', error.message);
  if (error instanceof StoreError) return new HttpError(502, 'store_error', error.message);
  return error;
}

/** Same, as `{ code, message }` for answers that report a failed test rather than fail. */
export function describeFailure(error: unknown): { code: string; message: string } {
  const mapped = toHttpError(error);
  if (mapped instanceof HttpError) return { code: mapped.code, message: mapped.message };
  return { code: 'internal_error', message: error instanceof Error ? error.message : String(error) };
}
