import type { IncomingMessage, ServerResponse } from 'node:http';

import { HttpError } from '../http/errors';
import { acceptOrderWebhook, type IntakeDeps } from './handler';

export const BODY_LIMIT = '1mb';
const BODY_LIMIT_BYTES = 1024 * 1024;

export const ORDER_WEBHOOK_PATH = '/webhook/order';

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * The intake is the hottest route, so it is served on the bare node:http request before express
 * sees it (no router or body parser on the path), with the same JSON errors and 1 MB limit.
 * Returns false for every other request.
 */
export function orderWebhookListener(deps: IntakeDeps, isDraining: () => boolean) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const path = req.url?.split('?')[0];
    if (req.method !== 'POST' || (path !== ORDER_WEBHOOK_PATH && path !== `${ORDER_WEBHOOK_PATH}/`)) return false;
    if (isDraining()) {
      res.setHeader('Connection', 'close');
      sendJson(res, 503, { error: { code: 'shutting_down', message: 'The worker is shutting down; retry shortly.' } });
      req.resume();
      return true;
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    const refuse = () => {
      refused = true;
      res.setHeader('Connection', 'close');
      sendJson(res, 413, { error: { code: 'payload_too_large', message: 'The request body is larger than 1 MB.' } });
      req.resume();
    };
    if (declared > BODY_LIMIT_BYTES) {
      refuse();
      return true;
    }
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > BODY_LIMIT_BYTES) refuse();
      else chunks.push(chunk);
    });
    req.on('end', () => {
      if (refused) return;
      const header = (name: string): string | undefined => {
        const value = req.headers[name];
        return Array.isArray(value) ? value[0] : value;
      };
      acceptOrderWebhook(header, Buffer.concat(chunks, size), deps).then(
        (reply) => sendJson(res, reply.status, reply.body),
        (error: unknown) => {
          if (error instanceof HttpError) {
            sendJson(res, error.status, { error: { code: error.code, message: error.message } });
            return;
          }
          deps.logger.error({ err: error }, 'intake failed');
          sendJson(res, 500, { error: { code: 'internal_error', message: 'Something went wrong on the worker; see its log.' } });
        },
      );
    });
    req.on('error', () => res.destroy());
    return true;
  };
}
