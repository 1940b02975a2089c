import { z } from 'zod';

import type { RouteContract } from '../http/contract';
import { rawPost, type RawHttp, type RawListener } from '../http/raw';
import { slashOptional } from '../http/routes';
import { acceptOrderWebhook, type IntakeDeps } from './handler';

export const ORDER_WEBHOOK_PATH = '/webhook/order';

const intakeAnswer = z.object({ status: z.enum(['accepted', 'skipped']), event_id: z.string(), reason: z.string().optional() });

export const ORDER_WEBHOOK_ROUTES = {
  order: {
    method: 'POST',
    path: slashOptional(`${ORDER_WEBHOOK_PATH}/`),
    tag: 'core',
    auth: 'signature',
    summary: 'Order intake: a signed WooCommerce order, stored once and fanned out to the domains by topic.',
    description:
      'With `X-SyncHub-Signature` (the plugin) the event id and topic are signed and taken as sent; otherwise `X-WC-Webhook-Signature` over the body, the event id is the body’s SHA-256 and the topic follows the order’s status (`X-WC-Webhook-Topic` never escalates to `order.paid`). WooCommerce’s unsigned ping (`webhook_id=<id>` form body) answers 200.',
    // The body is the WooCommerce order as sent; it is stored as received and read by each domain.
    body: z.looseObject({ id: z.union([z.number(), z.string()]).optional(), status: z.string().optional() }),
    responses: {
      200: {
        description: 'A ping, or a duplicate delivery (`skipped`).',
        schema: z.union([intakeAnswer, z.object({ status: z.literal('ok'), message: z.string() })]),
      },
      202: { description: 'Stored and queued.', schema: intakeAnswer },
      400: '`malformed_json`, `invalid_body` (not a JSON object) or `invalid_topic`.',
      401: '`missing_signature`, `invalid_signature`, or a v2 signature refused (stale, replayed, wrong path).',
      413: '`payload_too_large`: over 1 MB.',
      503: '`not_configured` (WEBHOOK_SECRET unset), `shutting_down`, or the database unavailable.',
    },
  },
} satisfies Record<string, RouteContract>;

/** `POST /webhook/order` on the bare node:http request (see core/http/raw.ts). */
export function orderWebhookListener(deps: IntakeDeps, http: RawHttp): RawListener {
  return rawPost({
    contract: ORDER_WEBHOOK_ROUTES.order,
    http,
    handle: (request) => acceptOrderWebhook(request.header, request.body, deps),
  });
}
