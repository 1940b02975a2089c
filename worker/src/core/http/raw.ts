import type { IncomingMessage, ServerResponse } from 'node:http';

import type { Logger } from '../logger';
import { HttpError } from './errors';

/**
 * The hottest public POST routes (order intake, product ingestion) are served on the bare
 * node:http request before express sees them: no router walk, no body parser. Same JSON error
 * shape, same 1 MB limit, same 503 while draining.
 */
export const RAW_BODY_LIMIT_BYTES = 1024 * 1024;
/** The same limit for express's body parser. */
export const BODY_LIMIT = RAW_BODY_LIMIT_BYTES;

export interface RawRequest {
  header(name: string): string | undefined;
  body: Buffer;
  /** Client address; X-Forwarded-For is believed only from loopback (as express's `trust proxy`). */
  ip: string | undefined;
}

export interface RawReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type RawListener = (req: IncomingMessage, res: ServerResponse) => boolean;

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)) });
  res.end(text);
}

function clientIp(req: IncomingMessage): string | undefined {
  const remote = req.socket.remoteAddress;
  const forwarded = req.headers['x-forwarded-for'];
  const loopback = remote === '127.0.0.1' || remote === '::1' || remote === '::ffff:127.0.0.1';
  if (loopback && typeof forwarded === 'string' && forwarded.trim()) return forwarded.split(',')[0]?.trim();
  return remote;
}

export function rawPost(options: {
  paths: string[];
  handle: (request: RawRequest) => Promise<RawReply>;
  isDraining: () => boolean;
  logger: Logger;
}): RawListener {
  const paths = new Set(options.paths);
  return (req, res) => {
    if (req.method !== 'POST' || !paths.has(req.url?.split('?')[0] ?? '')) return false;
    if (options.isDraining()) {
      sendJson(res, 503, { error: { code: 'shutting_down', message: 'The worker is shutting down; retry shortly.' } }, { Connection: 'close' });
      req.resume();
      return true;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    const refuse = () => {
      refused = true;
      sendJson(res, 413, { error: { code: 'payload_too_large', message: 'The request body is larger than 1 MB.' } }, { Connection: 'close' });
      req.resume();
    };
    if (Number(req.headers['content-length'] ?? 0) > RAW_BODY_LIMIT_BYTES) {
      refuse();
      return true;
    }
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > RAW_BODY_LIMIT_BYTES) refuse();
      else chunks.push(chunk);
    });
    req.on('error', () => res.destroy());
    req.on('end', () => {
      if (refused) return;
      const header = (name: string): string | undefined => {
        const value = req.headers[name.toLowerCase()];
        return Array.isArray(value) ? value[0] : value;
      };
      options.handle({ header, body: Buffer.concat(chunks, size), ip: clientIp(req) }).then(
        (reply) => sendJson(res, reply.status, reply.body, reply.headers),
        (error: unknown) => {
          if (error instanceof HttpError) {
            const body: Record<string, unknown> = { code: error.code, message: error.message };
            if (error.details !== undefined) body.details = error.details;
            sendJson(res, error.status, { error: body }, error.headers);
            return;
          }
          options.logger.error({ err: error, path: req.url }, 'request failed');
          sendJson(res, 500, { error: { code: 'internal_error', message: 'Something went wrong on the worker; see its log.' } });
        },
      );
    });
    return true;
  };
}
