import { signedHeaders, type SignaturePurpose } from '../../worker/src/core/signing';
import { TEST_WEBHOOK_SECRET } from './runtime';

/**
 * Headers of a `POST /webhook/order` as the plugin's dispatcher sends it: JSON, v2-signed with
 * purpose `plugin-to-worker` (event id and topic inside the signature).
 */
export function pluginHeaders(
  body: string,
  eventId: string,
  options: { topic?: string; secret?: string; nowMs?: number; purpose?: SignaturePurpose } = {},
): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    ...signedHeaders(options.secret ?? TEST_WEBHOOK_SECRET, options.purpose ?? 'plugin-to-worker', {
      topic: options.topic ?? 'order.paid',
      body,
      eventId,
      nowMs: options.nowMs,
    }),
  };
}
