// The core's own knobs, and the composer of the slices every connector and domain owns (their
// config.ts): each slice declares its variables and builds its part of Config, so adding a knob
// is an edit to one file. worker/src/config.ts lists the slices. Settings saved from wp-admin
// override the connector slices at run time (see settings.ts).
import os from 'node:os';
import path from 'node:path';

import proxyaddr from 'proxy-addr';
import { z } from 'zod';

import { parseTargetPolicy, type TargetPolicy } from './egress/address';

export const bool = z.union([z.boolean(), z.string()]).transform((value, ctx) => {
  if (typeof value === 'boolean') return value;
  const normalized = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(normalized)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(normalized)) return false;
  ctx.addIssue({ code: 'custom', message: 'expected true or false' });
  return z.NEVER;
});

export const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

export const optionalUrl = optionalText.pipe(z.string().url().optional());

export const port = z.coerce.number().int().min(0).max(65535);

/** Which hops of X-Forwarded-For to believe: the N nearest, or those coming from these addresses. */
export type TrustProxy = { kind: 'hops'; hops: number } | { kind: 'addresses'; addresses: string[] };

// Default: trust no proxy. `true`/`*` (believe every hop, so the leftmost, client-written one) is refused.
const trustProxy = optionalText.transform((value, ctx): TrustProxy => {
  if (value === undefined || ['false', 'none', 'off'].includes(value.toLowerCase())) return { kind: 'hops', hops: 0 };
  if (/^\d+$/.test(value)) return { kind: 'hops', hops: Number(value) };
  const addresses = value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  for (const address of addresses) {
    try {
      proxyaddr.compile(address);
    } catch {
      ctx.addIssue({ code: 'custom', message: `"${address}" is not a hop count, an IP, a CIDR range or loopback, linklocal, uniquelocal` });
      return z.NEVER;
    }
  }
  return { kind: 'addresses', addresses };
});

const emailList = optionalText.transform((value) =>
  value === undefined
    ? []
    : value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
);

const coreEnv = {
  HOST: z.string().default('127.0.0.1'),
  PORT: port.default(8787),
  TRUST_PROXY: trustProxy,
  HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  HTTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(1_000_000).default(1_024),
  NODE_ENV: z.string().default('production'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z
    .string()
    .default('mysql://root@127.0.0.1:3306/synchub')
    .pipe(z.string().regex(/^mysql:\/\/[^/]+\/[A-Za-z0-9_]+$/, 'expected mysql://user[:password]@host[:port]/database')),
  REDIS_URL: z
    .string()
    .default('redis://127.0.0.1:6379')
    .pipe(z.string().regex(/^rediss?:\/\//, 'expected redis://host:port')),
  // Redis Cluster: the seed nodes (any masters); REDIS_URL then only lends its user, password and TLS.
  REDIS_CLUSTER_NODES: optionalText.transform((value, ctx) => {
    if (value === undefined) return [];
    const nodes: Array<{ host: string; port: number }> = [];
    for (const item of value
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean)) {
      const match = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(item);
      const nodePort = match ? Number(match[2]) : 0;
      if (!match || nodePort < 1 || nodePort > 65535) {
        ctx.addIssue({ code: 'custom', message: `"${item}" is not host:port` });
        return z.NEVER;
      }
      nodes.push({ host: (match[1] as string).replace(/^\[|\]$/g, ''), port: nodePort });
    }
    return nodes;
  }),
  // Braces allowed: a hash tag such as {synchub} keeps every key of the worker in one cluster slot.
  BULLMQ_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_:{}-]+$/)
    .optional(),
  SYNCHUB_DATA_DIR: z.string().default(path.join(os.homedir(), '.sync-hub')),
  SYNCHUB_ADMIN_TOKEN: optionalText.pipe(z.string().min(24, 'must be at least 24 characters').optional()),
  SYNCHUB_SECRET_KEY: optionalText.pipe(
    z
      .string()
      .regex(/^([0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$/, 'must be 32 bytes as 64 hex characters or base64')
      .optional(),
  ),
  // Shared with the plugin for both directions (the purpose is inside the signed string).
  WEBHOOK_SECRET: optionalText.pipe(z.string().min(32, 'must be at least 32 characters (the plugin generates 64)').optional()),
  SYNCHUB_ROLE: z.enum(['all', 'http', 'jobs']).default('all'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  INTAKE_SWEEP_AFTER_MS: z.coerce.number().int().min(0).default(30_000),
  INTAKE_SWEEP_EVERY_MS: z.coerce.number().int().min(100).default(30_000),
  /** Scheduled drift report (every domain compared with its peers), a cron pattern in UTC: every 6 hours by default. */
  DRIFT_CHECK_PATTERN: z.string().trim().min(9).default('17 */6 * * *'),
  SYNCHUB_ALLOW_PRIVATE_TARGETS: z
    .string()
    .optional()
    .transform((value, ctx) => {
      try {
        return parseTargetPolicy(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
        return z.NEVER;
      }
    }),

  SMTP_URL: optionalText.pipe(
    z
      .string()
      .regex(/^smtps?:\/\//, 'expected smtp://host:port')
      .optional(),
  ),
  ADMIN_EMAILS: emailList,
};

export type CoreEnv = z.output<z.ZodObject<typeof coreEnv>>;

/** The knobs core itself reads. */
export interface CoreConfig {
  http: {
    host: string;
    port: number;
    trustProxy: TrustProxy;
    /** Slow clients: time to send the headers, then the whole request; idle keep-alive; open sockets. */
    headersTimeoutMs: number;
    requestTimeoutMs: number;
    keepAliveTimeoutMs: number;
    maxConnections: number;
  };
  logLevel: CoreEnv['LOG_LEVEL'];
  databaseUrl: string;
  redisUrl: string;
  /** Redis Cluster seed nodes; empty for a single Redis at `redisUrl`. */
  redisCluster: Array<{ host: string; port: number }>;
  /** Every Redis key of the worker starts with it; in cluster mode it carries a hash tag (`{synchub}`). */
  queuePrefix: string;
  dataDir: string;
  adminToken: string | undefined;
  secretKey: string | undefined;
  webhookSecret: string | undefined;
  /** `http`: serve requests, run no queue workers; `jobs`: run queue workers, answer only /health (scale intake and jobs apart). */
  role: 'all' | 'http' | 'jobs';
  shutdownTimeoutMs: number;
  intakeSweepAfterMs: number;
  /** How often the intake sweeper looks for persisted events without their jobs. */
  intakeSweepEveryMs: number;
  /** When the drift report runs by itself (cron pattern, UTC). */
  driftCheckPattern: string;
  /** Non-public addresses (loopback, private, link-local…) outbound calls may reach: none by default. */
  egress: TargetPolicy;
  mail: { smtpUrl?: string; adminEmails: string[] };
}

/** Each connector and domain adds its part of Config here from its own config.ts (declaration merging). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ConfigSlices {}

export type Config = CoreConfig & ConfigSlices;

/** One connector's or domain's variables and the part of Config it builds from them. */
export interface ConfigSlice<K extends keyof ConfigSlices = keyof ConfigSlices> {
  key: K;
  env: z.ZodRawShape;
  build: (env: Record<string, unknown>) => ConfigSlices[K];
}

export function configSlice<K extends keyof ConfigSlices, S extends z.ZodRawShape>(
  key: K,
  env: S,
  build: (env: z.output<z.ZodObject<S>>) => ConfigSlices[K],
): ConfigSlice<K> {
  return { key, env, build: build as (env: Record<string, unknown>) => ConfigSlices[K] };
}

/** Redis hashes only the part between the first `{` and the next `}` when it is not empty. */
export function hasHashTag(prefix: string): boolean {
  const open = prefix.indexOf('{');
  if (open < 0) return false;
  const close = prefix.indexOf('}', open + 1);
  return close > open + 1;
}

export class ConfigError extends Error {
  constructor(readonly issues: Array<{ variable: string; message: string }>) {
    super(issues.map((issue) => `${issue.variable}: ${issue.message}`).join('; '));
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment once against the core's variables and every slice's; throws ConfigError
 * naming each invalid variable.
 */
export function composeConfig(slices: readonly ConfigSlice[], source: NodeJS.ProcessEnv = process.env): Config {
  const shape: z.ZodRawShape = { ...coreEnv };
  for (const slice of slices) {
    for (const variable of Object.keys(slice.env)) {
      // Two owners of one variable would silently shadow each other.
      if (variable in shape) throw new Error(`config: ${variable} is declared twice (slice ${slice.key})`);
    }
    Object.assign(shape, slice.env);
  }
  const parsed = z
    .object(shape)
    .superRefine((all, ctx) => {
      const env = all as CoreEnv;
      // node:http refuses a header limit above the whole-request limit.
      if (env.HTTP_HEADERS_TIMEOUT_MS > env.HTTP_REQUEST_TIMEOUT_MS) {
        ctx.addIssue({ code: 'custom', path: ['HTTP_HEADERS_TIMEOUT_MS'], message: 'must not exceed HTTP_REQUEST_TIMEOUT_MS' });
      }
      // BullMQ's scripts and the worker's own multi-key calls (locks, breaker, rate limits) touch
      // several keys at once: on a cluster they must all hash to one slot.
      if (env.REDIS_CLUSTER_NODES.length > 0 && env.BULLMQ_PREFIX !== undefined && !hasHashTag(env.BULLMQ_PREFIX)) {
        ctx.addIssue({ code: 'custom', path: ['BULLMQ_PREFIX'], message: 'with REDIS_CLUSTER_NODES it must hold a hash tag, such as {synchub}' });
      }
    })
    .safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? '?'), message: issue.message })));
  }
  const env = parsed.data as CoreEnv;
  const core: CoreConfig = {
    http: {
      host: env.HOST,
      port: env.PORT,
      trustProxy: env.TRUST_PROXY,
      headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: env.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      maxConnections: env.HTTP_MAX_CONNECTIONS,
    },
    logLevel: env.LOG_LEVEL,
    databaseUrl: env.DATABASE_URL,
    redisUrl: env.REDIS_URL,
    redisCluster: env.REDIS_CLUSTER_NODES,
    queuePrefix: env.BULLMQ_PREFIX ?? (env.REDIS_CLUSTER_NODES.length > 0 ? '{synchub}' : 'synchub'),
    dataDir: env.SYNCHUB_DATA_DIR,
    adminToken: env.SYNCHUB_ADMIN_TOKEN,
    secretKey: env.SYNCHUB_SECRET_KEY,
    webhookSecret: env.WEBHOOK_SECRET,
    role: env.SYNCHUB_ROLE,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    intakeSweepAfterMs: env.INTAKE_SWEEP_AFTER_MS,
    intakeSweepEveryMs: env.INTAKE_SWEEP_EVERY_MS,
    driftCheckPattern: env.DRIFT_CHECK_PATTERN,
    egress: env.SYNCHUB_ALLOW_PRIVATE_TARGETS,
    mail: { smtpUrl: env.SMTP_URL, adminEmails: env.ADMIN_EMAILS },
  };
  const built = Object.fromEntries(slices.map((slice) => [slice.key, slice.build(parsed.data)]));
  return { ...core, ...built } as Config;
}
