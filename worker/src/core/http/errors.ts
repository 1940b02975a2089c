import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError, type ZodType } from 'zod';

import { isStorageUnavailable, STORAGE_RETRY_AFTER_SECONDS, STORAGE_UNAVAILABLE_BODY } from '../db/unavailable';
import type { Logger } from '../logger';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Extra response headers, such as Retry-After on a 429. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (message: string, details?: unknown) => new HttpError(400, 'bad_request', message, details);
export const notFound = (message = 'Not found') => new HttpError(404, 'not_found', message);
export const unauthorized = (message = 'Authentication required') => new HttpError(401, 'unauthorized', message);

/** Field errors as `{ field: [messages] }`, the shape the admin page shows next to each input. */
export function fieldErrors(error: ZodError): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join('.') : '_';
    (fields[key] ??= []).push(issue.message);
  }
  return fields;
}

export function validationError(error: ZodError): HttpError {
  return new HttpError(400, 'validation_error', 'The request is not valid.', { fields: fieldErrors(error) });
}

/** Parses `value` with `schema` or throws a 400 naming each invalid field. */
export function parseOrThrow<T>(schema: ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error);
  return result.data;
}

export const notFoundHandler: RequestHandler = (req, res) => {
  res.status(404).json({ error: { code: 'not_found', message: `No route for ${req.method} ${req.path}` } });
};

interface BodyParserError {
  type?: string;
  status?: number;
  statusCode?: number;
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    if (res.headersSent) return;
    if (error instanceof HttpError) {
      if (error.headers) res.set(error.headers);
      const body: Record<string, unknown> = { code: error.code, message: error.message };
      if (error.details !== undefined) body.details = error.details;
      res.status(error.status).json({ error: body });
      return;
    }
    if (error instanceof ZodError) {
      res.status(400).json({ error: { code: 'validation_error', message: 'The request is not valid.', details: { fields: fieldErrors(error) } } });
      return;
    }
    const parserError = error as BodyParserError;
    if (parserError.type === 'entity.too.large') {
      res.status(413).json({ error: { code: 'payload_too_large', message: 'The request body is larger than 1 MB.' } });
      return;
    }
    if (parserError.type === 'entity.parse.failed') {
      res.status(400).json({ error: { code: 'malformed_json', message: 'The request body is not valid JSON.' } });
      return;
    }
    const status = parserError.status ?? parserError.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res.status(status).json({ error: { code: 'bad_request', message: 'The request could not be read.' } });
      return;
    }
    if (isStorageUnavailable(error)) {
      logger.warn({ err: error, method: req.method, path: req.path }, 'database unavailable; answered 503');
      res.status(503).set('Retry-After', String(STORAGE_RETRY_AFTER_SECONDS)).json(STORAGE_UNAVAILABLE_BODY);
      return;
    }
    logger.error({ err: error, method: req.method, path: req.path }, 'request failed');
    res.status(500).json({ error: { code: 'internal_error', message: 'Something went wrong on the worker; see its log.' } });
  };
}
