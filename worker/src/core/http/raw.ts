import type { IncomingMessage, ServerResponse } from 'node:http';

import type { Logger } from '../logger';
import { isStorageUnavailable, STORAGE_RETRY_AFTER_SECONDS, STORAGE_UNAVAILABLE_BODY } from '../db/unavailable';
import { concretePaths, type RouteContract } from './contract';
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
  /** Client address: the right-most X-Forwarded-For hop not trusted by TRUST_PROXY (as express's `req.ip`). */
  ip: string | undefined;
}

/** What every raw listener shares with the rest of the server (built once in runtime.ts). */
export interface RawHttp {
  isDraining(): boolean;
  clientIp(req: IncomingMessage): string | undefined;
  logger: Logger;
}

export interface RawReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** Answers (true) or passes (false) a request; carries its route's contract for the API document. */
export type RawListener = ((req: IncomingMessage, res: ServerResponse) => boolean) & { readonly contract: RouteContract };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The body as text, refused (400) when it is not UTF-8: JSON must be, and a lossy decode would store other bytes than were signed. */
export function utf8Text(body: Buffer): string {
  try {
    return strictUtf8.decode(body);
  } catch {
    throw new HttpError(400, 'malformed_json', 'The request body is not valid UTF-8.');
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)) });
  res.end(text);
}

/**
 * Serves POST on exactly the contract's paths (byte for byte, query string aside; `{/}` = with and
 * without the trailing slash): another spelling falls through to express, where it is not a public
 * route and so meets the admin check. Other methods on these paths get 405.
 */
export function rawPost(options: { contract: RouteContract; handle: (request: RawRequest) => Promise<RawReply>; http: RawHttp }): RawListener {
  const { contract, http } = options;
  if (contract.method !== 'POST') throw new Error(`raw listeners serve POST only, not ${contract.method} ${contract.path}.`);
  const paths = new Set(concretePaths(contract.path));
  const listener = (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = req.url ?? '';
    const query = url.indexOf('?');
    if (!paths.has(query === -1 ? url : url.slice(0, query))) return false;
    if (req.method !== 'POST') {
      sendJson(res, 405, { error: { code: 'method_not_allowed', message: `${req.method ?? '?'} is not allowed here; use POST.` } }, { Allow: 'POST' });
      req.resume();
      return true;
    }
    if (http.isDraining()) {
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
      options.handle({ header, body: Buffer.concat(chunks, size), ip: http.clientIp(req) }).then(
        (reply) => sendJson(res, reply.status, reply.body, reply.headers),
        (error: unknown) => {
          if (error instanceof HttpError) {
            const body: Record<string, unknown> = { code: error.code, message: error.message };
            if (error.details !== undefined) body.details = error.details;
            sendJson(res, error.status, { error: body }, error.headers);
            return;
          }
          if (isStorageUnavailable(error)) {
            http.logger.warn({ err: error, path: req.url }, 'database unavailable; answered 503');
            sendJson(res, 503, STORAGE_UNAVAILABLE_BODY, { 'Retry-After': String(STORAGE_RETRY_AFTER_SECONDS) });
            return;
          }
          http.logger.error({ err: error, path: req.url }, 'request failed');
          sendJson(res, 500, { error: { code: 'internal_error', message: 'Something went wrong on the worker; see its log.' } });
        },
      );
    });
    return true;
  };
  return Object.assign(listener, { contract });
}
