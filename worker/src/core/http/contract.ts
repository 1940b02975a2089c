import type { Request, RequestHandler, Response, Router } from 'express';
import { z, type ZodType } from 'zod';

import { parseOrThrow } from './errors';

/**
 * Who may call a route: the admin bearer token (by being mounted behind the admin check), a
 * signed webhook (HMAC over the body), an integration token, SIIGO's callback key, or anyone.
 */
export const AUTH_KINDS = ['admin', 'signature', 'integration_token', 'callback_key', 'none'] as const;
export type AuthKind = (typeof AUTH_KINDS)[number];

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface ResponseContract {
  description: string;
  /** The body's shape; loose where the handler builds it by hand. Error statuses default to the error body. */
  schema?: ZodType;
}

/**
 * One route's public contract: what the OpenAPI document (`GET /api/openapi.json`, docs/api.md)
 * says about it. The request schemas are the ones the handler validates with (see `route()`).
 */
export interface RouteContract {
  method: HttpMethod;
  /** The express path pattern as mounted: `:name` parameters, `{/}` for an optional trailing slash. */
  path: string;
  summary: string;
  description?: string;
  /** The part of the worker it belongs to (a domain name, or `core`). */
  tag: string;
  /** Alternatives: any one of them lets the caller in. */
  auth: AuthKind | readonly AuthKind[];
  params?: ZodType;
  query?: ZodType;
  body?: ZodType;
  /** The body's media type when it is not JSON. */
  bodyType?: string;
  responses: Record<number, ResponseContract | string>;
}

/** The error body every route answers with (core/http/errors.ts, core/http/raw.ts). */
export const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

type Parsed<C, Part extends 'params' | 'query' | 'body'> = C extends { [K in Part]: infer S extends ZodType } ? z.output<S> : never;

/** The request's parts, each parsed (400 `validation_error` when invalid) with the contract's schema, when the handler asks. */
export interface RequestInput<C extends RouteContract> {
  params(): Parsed<C, 'params'>;
  query(): Parsed<C, 'query'>;
  /** `value` defaults to `req.body`; a handler passes what it validates (e.g. `req.body ?? {}`). */
  body(value?: unknown): Parsed<C, 'body'>;
}

export type ContractHandler<C extends RouteContract> = (req: Request, res: Response, input: RequestInput<C>) => unknown;

/** The contract each express route was registered with (by route object: nothing global to keep in step). */
const registered = new WeakMap<object, RouteContract>();

export function contractOf(expressRoute: object, method: string): RouteContract | undefined {
  const contract = registered.get(expressRoute);
  return contract?.method === method ? contract : undefined;
}

export const authKinds = (contract: RouteContract): readonly AuthKind[] => (typeof contract.auth === 'string' ? [contract.auth] : contract.auth);

function parser<T>(contract: RouteContract, part: 'params' | 'query' | 'body', schema: ZodType | undefined): (value: unknown) => T {
  return (value) => {
    if (!schema) throw new Error(`${contract.method} ${contract.path} declares no ${part} schema; add it to its contract.`);
    return parseOrThrow(schema, value) as T;
  };
}

function inputOf<C extends RouteContract>(contract: C, req: Request): RequestInput<C> {
  const params = parser<Parsed<C, 'params'>>(contract, 'params', contract.params);
  const query = parser<Parsed<C, 'query'>>(contract, 'query', contract.query);
  const body = parser<Parsed<C, 'body'>>(contract, 'body', contract.body);
  return {
    params: () => params(req.params),
    query: () => query(req.query),
    body: (...value: [unknown?]) => body(value.length > 0 ? value[0] : req.body),
  };
}

/**
 * Registers `contract.method contract.path` on `router` with its contract: the path and method
 * come from the contract, and the handler validates with the contract's schemas (through `input`,
 * in the order it chooses, so a 404 can still come before a 400). Middleware before the handler
 * (e.g. a key check, a raw body parser) goes between the contract and the handler.
 */
export function route<const C extends RouteContract>(router: Router, contract: C, ...chain: [...before: RequestHandler[], handler: ContractHandler<C>]): void {
  const before = chain.slice(0, -1) as RequestHandler[];
  const handler = chain[chain.length - 1] as ContractHandler<C>;
  const expressRoute = router.route(contract.path);
  const last: RequestHandler = (req, res) => handler(req, res, inputOf(contract, req));
  const chainOut = [...before, last];
  if (contract.method === 'GET') expressRoute.get(chainOut);
  else if (contract.method === 'POST') expressRoute.post(chainOut);
  else if (contract.method === 'PUT') expressRoute.put(chainOut);
  else if (contract.method === 'PATCH') expressRoute.patch(chainOut);
  else expressRoute.delete(chainOut);
  registered.set(expressRoute, contract);
}

/** The concrete paths of a contract path: `/a{/}` is `/a` and `/a/`. */
export function concretePaths(path: string): string[] {
  return path.endsWith('{/}') ? [path.slice(0, -3), `${path.slice(0, -3)}/`] : [path];
}
