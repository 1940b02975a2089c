import { HttpError } from '../http/errors';
import { EgressRefusedError, EgressUnresolvedError, type Egress } from './guard';

/**
 * For admin routes that take a URL the worker will call: 400 naming `field` when the policy
 * refuses its target, before anything is saved or sent.
 */
export async function assertTarget(egress: Egress, url: string, field: string): Promise<void> {
  try {
    await egress.check(url);
  } catch (error) {
    if (error instanceof EgressRefusedError || error instanceof EgressUnresolvedError) {
      throw new HttpError(400, error.code, error.message, { field });
    }
    throw error;
  }
}
