import { rawPost, type RawHttp, type RawListener } from '../http/raw';
import { acceptOrderWebhook, type IntakeDeps } from './handler';

export const ORDER_WEBHOOK_PATH = '/webhook/order';

/** `POST /webhook/order` on the bare node:http request (see core/http/raw.ts). */
export function orderWebhookListener(deps: IntakeDeps, http: RawHttp): RawListener {
  return rawPost({
    paths: [ORDER_WEBHOOK_PATH, `${ORDER_WEBHOOK_PATH}/`],
    http,
    handle: (request) => acceptOrderWebhook(request.header, request.body, deps),
  });
}
