import { rawPost, type RawListener } from '../http/raw';
import type { Logger } from '../logger';
import { acceptOrderWebhook, type IntakeDeps } from './handler';

export const ORDER_WEBHOOK_PATH = '/webhook/order';

/** `POST /webhook/order` on the bare node:http request (see core/http/raw.ts). */
export function orderWebhookListener(deps: IntakeDeps, isDraining: () => boolean, logger: Logger): RawListener {
  return rawPost({
    paths: [ORDER_WEBHOOK_PATH, `${ORDER_WEBHOOK_PATH}/`],
    isDraining,
    logger,
    handle: (request) => acceptOrderWebhook(request.header, request.body, deps),
  });
}
