// The one configuration module: every environment variable the worker reads is parsed here.
// Settings saved from wp-admin override the connector slices at run time (see settings.ts).
import os from 'node:os';
import path from 'node:path';

import proxyaddr from 'proxy-addr';
import { z } from 'zod';

import { parseTargetPolicy, type TargetPolicy } from './egress/address';

const bool = z.union([z.boolean(), z.string()]).transform((value, ctx) => {
  if (typeof value === 'boolean') return value;
  const normalized = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(normalized)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(normalized)) return false;
  ctx.addIssue({ code: 'custom', message: 'expected true or false' });
  return z.NEVER;
});

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

const optionalUrl = optionalText.pipe(z.string().url().optional());

const isTimeZone = (value: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
};

const port = z.coerce.number().int().min(0).max(65535);

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

const envSchema = z.object({
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

  WOOCOMMERCE_MYSQL_HOST: optionalText,
  WOOCOMMERCE_MYSQL_PORT: port.default(3306),
  WOOCOMMERCE_MYSQL_USERNAME: optionalText,
  WOOCOMMERCE_MYSQL_PASSWORD: optionalText,
  WOOCOMMERCE_MYSQL_DATABASE: optionalText,
  WOOCOMMERCE_MYSQL_READ_HOST: optionalText,
  WOOCOMMERCE_MYSQL_READ_PORT: port.default(3306),
  WOOCOMMERCE_MYSQL_READ_USERNAME: optionalText,
  WOOCOMMERCE_MYSQL_READ_PASSWORD: optionalText,
  WOOCOMMERCE_SSH_HOST: optionalText,
  WOOCOMMERCE_SSH_PORT: port.default(22),
  WOOCOMMERCE_SSH_USERNAME: optionalText,
  WOOCOMMERCE_SSH_PASSWORD: optionalText,
  WOOCOMMERCE_SSH_PRIVATE_KEY_PATH: optionalText,
  WOOCOMMERCE_SSH_PASSPHRASE: optionalText,
  WOOCOMMERCE_SSH_HOST_KEY: optionalText.pipe(
    z
      .string()
      .regex(/^SHA256:[A-Za-z0-9+/]{43}=?$/, 'expected a fingerprint such as SHA256:… (ssh-keygen -lf)')
      .optional(),
  ),
  WOOCOMMERCE_TABLE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_]*$/)
    .default('wp_'),
  WOOCOMMERCE_SYNC_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(100),
  WOOCOMMERCE_SYNC_TIMEOUT: z.coerce.number().int().min(1).default(300),
  MIGRATION_MODE: bool.default(false),
  EVENTS_RETRY_DELAY_MS: z.coerce.number().int().min(0).default(60_000),
  EVENTS_TICK_EVERY_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(15 * 60_000),
  EVENTS_TIMEZONE: z.string().default('UTC').refine(isTimeZone, 'expected an IANA time zone such as UTC or America/Bogota'),
  EVENTS_EMAIL_LOCALE: z.enum(['en', 'es', 'fa']).default('en'),
  EVENTS_STALE_AFTER_MS: z.coerce.number().int().min(100).default(120_000),
  EVENTS_MAX_CONCURRENT_SYNCS: z.coerce.number().int().min(1).max(50).default(5),

  STORE_URL: optionalUrl,
  ODOO_URL: optionalUrl,
  ODOO_DB: optionalText,
  ODOO_USERNAME: optionalText,
  ODOO_API_KEY: optionalText,
  ODOO_TIMEOUT_MS: z.coerce.number().int().min(50).default(30_000),
  ODOO_MAX_RESPONSE_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(20 * 1024 * 1024),
  BOOKINGS_CONFIRM_ORDERS: bool.default(true),
  BOOKINGS_CREATE_INVOICES: bool.default(false),
  BOOKINGS_SWEEP_INTERVAL_MS: z.coerce.number().int().min(1_000).default(300_000),
  BOOKINGS_SWEEP_DAYS: z.coerce.number().int().min(1).max(365).default(7),
  BOOKINGS_BATCH_SIZE: z.coerce.number().int().min(1).max(1_000).default(200),
  BOOKINGS_BACKLOG_THRESHOLD: z.coerce.number().int().min(1).default(20),
  BOOKINGS_RETRY_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(5),
  BOOKINGS_RETRY_DELAY_MS: z.coerce.number().int().min(10).default(2_000),
  /** Transient Odoo failures (down, timeouts, 5xx) back off up to this delay between tries… */
  BOOKINGS_RETRY_MAX_DELAY_MS: z.coerce.number().int().min(10).default(3_600_000),
  /** …and keep trying for this long before the order is a dead letter (the sweep still retries it). */
  BOOKINGS_OUTAGE_MAX_HOURS: z.coerce.number().min(0.001).default(72),
  BOOKINGS_LOCALE: z.enum(['en', 'es', 'fa']).default('en'),

  SIIGO_ENABLED: bool.default(false),
  SIIGO_USERNAME: optionalText,
  SIIGO_ACCESS_KEY: optionalText,
  SIIGO_PARTNER_ID: optionalText,
  SIIGO_API_URL: z.string().url().default('https://api.siigo.com'),
  WEBHOOK_BASE_URL: optionalUrl,
  SIIGO_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(100),
  SIIGO_RATE_WINDOW_MS: z.coerce.number().int().min(100).default(60_000),
  SIIGO_TIMEOUT_MS: z.coerce.number().int().min(100).default(120_000),
  SIIGO_BREAKER_THRESHOLD: z.coerce.number().int().min(1).default(5),
  SIIGO_BREAKER_COOLDOWN_MS: z.coerce.number().int().min(10).default(60_000),
  SIIGO_WAREHOUSES: optionalText,
  STOCK_SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).default(300_000),
  STOCK_FULL_SWEEP_PATTERN: z.string().default('0 3 * * *'),
  STOCK_RETRY_DELAY_MS: z.coerce.number().int().min(1).default(2_000),
  STOCK_SSE_HEARTBEAT_MS: z.coerce.number().int().min(100).default(15_000),
  STOCK_LOG_RETENTION_DAYS: z.coerce.number().int().min(0).default(90),
  SIIGO_WEBHOOK_UNAUTH_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(10),
  STORE_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),

  SMTP_URL: optionalText.pipe(
    z
      .string()
      .regex(/^smtps?:\/\//, 'expected smtp://host:port')
      .optional(),
  ),
  ADMIN_EMAILS: emailList,

  EMBEDDINGS_URL: optionalUrl,
  EMBEDDINGS_MODEL: optionalText,
  EMBEDDINGS_API_KEY: optionalText,
  EMBEDDINGS_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),

  PRODUCTS_RETRY_DELAY_MS: z.coerce.number().int().min(0).default(30_000),
  PRODUCTS_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  PRODUCTS_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(20),
  PRODUCTS_SWEEP_AFTER_MS: z.coerce.number().int().min(0).default(30_000),
  PRODUCTS_EMBED_PENDING_EVERY_MS: z.coerce.number().int().min(1_000).default(300_000),
  PRODUCTS_CONTENT_HASH: z.enum(['synchub', 'original']).default('synchub'),
  PRODUCTS_SEARCH_REFRESH_MS: z.coerce.number().int().min(100).default(30_000),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
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
  logLevel: Env['LOG_LEVEL'];
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
  woocommerce: {
    mysql: { host?: string; port: number; user?: string; password?: string; database?: string };
    /** A read replica for the order scans (user and password default to the primary's). */
    replica: { host?: string; port: number; user?: string; password?: string };
    /** SSH hop to the store's MySQL (most hosted stores only expose it that way). */
    ssh: { host?: string; port: number; username?: string; password?: string; privateKeyPath?: string; passphrase?: string; hostKey?: string };
    tablePrefix: string;
    batchSize: number;
    timeoutSeconds: number;
    migrationMode: boolean;
    storeUrl?: string;
  };
  /** `maxResponseBytes`: a larger XML-RPC answer is cut off and refused. */
  odoo: { url?: string; db?: string; username?: string; apiKey?: string; timeoutMs: number; maxResponseBytes: number };
  bookings: {
    confirmOrders: boolean;
    createInvoices: boolean;
    sweepIntervalMs: number;
    sweepDays: number;
    batchSize: number;
    backlogThreshold: number;
    retryAttempts: number;
    retryDelayMs: number;
    retryMaxDelayMs: number;
    outageMaxHours: number;
    locale: 'en' | 'es' | 'fa';
  };
  siigo: {
    enabled: boolean;
    username?: string;
    accessKey?: string;
    partnerId?: string;
    apiUrl: string;
    webhookBaseUrl?: string;
    ratePerMinute: number;
    rateWindowMs: number;
    timeoutMs: number;
    breakerThreshold: number;
    breakerCooldownMs: number;
    warehouses: string[];
  };
  stock: {
    sweepIntervalMs: number;
    fullSweepPattern: string;
    retryDelayMs: number;
    sseHeartbeatMs: number;
    storeTimeoutMs: number;
    logRetentionDays: number;
    /** Calls to the SIIGO callback with a missing or wrong key one IP may make per minute before 429. */
    unauthenticatedPerMinute: number;
  };
  mail: { smtpUrl?: string; adminEmails: string[] };
  /** Events sync: retry backoff base (60/120/240 s), schedule tick, store time zone, crash recovery, parallel runs. */
  events: { retryDelayMs: number; tickEveryMs: number; timezone: string; staleAfterMs: number; maxConcurrentSyncs: number; emailLocale: 'en' | 'es' | 'fa' };
  embeddings: { url?: string; model?: string; apiKey?: string; timeoutMs: number };
  /** `contentHash`: which formula decides re-embedding (docs/products-content-hash.md). */
  products: {
    retryDelayMs: number;
    rateLimitPerMinute: number;
    concurrency: number;
    sweepAfterMs: number;
    embedPendingEveryMs: number;
    contentHash: 'synchub' | 'original';
    searchRefreshMs: number;
  };
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

/** Parses the environment; throws ConfigError naming each invalid variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema
    .superRefine((env, ctx) => {
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
  const env = parsed.data;
  return {
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
    woocommerce: {
      mysql: {
        host: env.WOOCOMMERCE_MYSQL_HOST,
        port: env.WOOCOMMERCE_MYSQL_PORT,
        user: env.WOOCOMMERCE_MYSQL_USERNAME,
        password: env.WOOCOMMERCE_MYSQL_PASSWORD,
        database: env.WOOCOMMERCE_MYSQL_DATABASE,
      },
      replica: {
        host: env.WOOCOMMERCE_MYSQL_READ_HOST,
        port: env.WOOCOMMERCE_MYSQL_READ_PORT,
        user: env.WOOCOMMERCE_MYSQL_READ_USERNAME,
        password: env.WOOCOMMERCE_MYSQL_READ_PASSWORD,
      },
      ssh: {
        host: env.WOOCOMMERCE_SSH_HOST,
        port: env.WOOCOMMERCE_SSH_PORT,
        username: env.WOOCOMMERCE_SSH_USERNAME,
        password: env.WOOCOMMERCE_SSH_PASSWORD,
        privateKeyPath: env.WOOCOMMERCE_SSH_PRIVATE_KEY_PATH,
        passphrase: env.WOOCOMMERCE_SSH_PASSPHRASE,
        hostKey: env.WOOCOMMERCE_SSH_HOST_KEY,
      },
      tablePrefix: env.WOOCOMMERCE_TABLE_PREFIX,
      batchSize: env.WOOCOMMERCE_SYNC_BATCH_SIZE,
      timeoutSeconds: env.WOOCOMMERCE_SYNC_TIMEOUT,
      migrationMode: env.MIGRATION_MODE,
      storeUrl: env.STORE_URL,
    },
    odoo: {
      url: env.ODOO_URL,
      db: env.ODOO_DB,
      username: env.ODOO_USERNAME,
      apiKey: env.ODOO_API_KEY,
      timeoutMs: env.ODOO_TIMEOUT_MS,
      maxResponseBytes: env.ODOO_MAX_RESPONSE_BYTES,
    },
    bookings: {
      confirmOrders: env.BOOKINGS_CONFIRM_ORDERS,
      createInvoices: env.BOOKINGS_CREATE_INVOICES,
      sweepIntervalMs: env.BOOKINGS_SWEEP_INTERVAL_MS,
      sweepDays: env.BOOKINGS_SWEEP_DAYS,
      batchSize: env.BOOKINGS_BATCH_SIZE,
      backlogThreshold: env.BOOKINGS_BACKLOG_THRESHOLD,
      retryAttempts: env.BOOKINGS_RETRY_ATTEMPTS,
      retryDelayMs: env.BOOKINGS_RETRY_DELAY_MS,
      retryMaxDelayMs: env.BOOKINGS_RETRY_MAX_DELAY_MS,
      outageMaxHours: env.BOOKINGS_OUTAGE_MAX_HOURS,
      locale: env.BOOKINGS_LOCALE,
    },
    siigo: {
      enabled: env.SIIGO_ENABLED,
      username: env.SIIGO_USERNAME,
      accessKey: env.SIIGO_ACCESS_KEY,
      partnerId: env.SIIGO_PARTNER_ID,
      apiUrl: env.SIIGO_API_URL,
      webhookBaseUrl: env.WEBHOOK_BASE_URL,
      ratePerMinute: env.SIIGO_RATE_LIMIT_PER_MINUTE,
      rateWindowMs: env.SIIGO_RATE_WINDOW_MS,
      timeoutMs: env.SIIGO_TIMEOUT_MS,
      breakerThreshold: env.SIIGO_BREAKER_THRESHOLD,
      breakerCooldownMs: env.SIIGO_BREAKER_COOLDOWN_MS,
      warehouses:
        env.SIIGO_WAREHOUSES === undefined
          ? []
          : env.SIIGO_WAREHOUSES.split(',')
              .map((item) => item.trim())
              .filter(Boolean),
    },
    stock: {
      sweepIntervalMs: env.STOCK_SWEEP_INTERVAL_MS,
      fullSweepPattern: env.STOCK_FULL_SWEEP_PATTERN,
      retryDelayMs: env.STOCK_RETRY_DELAY_MS,
      sseHeartbeatMs: env.STOCK_SSE_HEARTBEAT_MS,
      logRetentionDays: env.STOCK_LOG_RETENTION_DAYS,
      storeTimeoutMs: env.STORE_TIMEOUT_MS,
      unauthenticatedPerMinute: env.SIIGO_WEBHOOK_UNAUTH_PER_MINUTE,
    },
    mail: { smtpUrl: env.SMTP_URL, adminEmails: env.ADMIN_EMAILS },
    events: {
      retryDelayMs: env.EVENTS_RETRY_DELAY_MS,
      tickEveryMs: env.EVENTS_TICK_EVERY_MS,
      timezone: env.EVENTS_TIMEZONE,
      staleAfterMs: env.EVENTS_STALE_AFTER_MS,
      maxConcurrentSyncs: env.EVENTS_MAX_CONCURRENT_SYNCS,
      emailLocale: env.EVENTS_EMAIL_LOCALE,
    },
    embeddings: { url: env.EMBEDDINGS_URL, model: env.EMBEDDINGS_MODEL, apiKey: env.EMBEDDINGS_API_KEY, timeoutMs: env.EMBEDDINGS_TIMEOUT_MS },
    products: {
      retryDelayMs: env.PRODUCTS_RETRY_DELAY_MS,
      rateLimitPerMinute: env.PRODUCTS_RATE_LIMIT_PER_MINUTE,
      concurrency: env.PRODUCTS_CONCURRENCY,
      sweepAfterMs: env.PRODUCTS_SWEEP_AFTER_MS,
      embedPendingEveryMs: env.PRODUCTS_EMBED_PENDING_EVERY_MS,
      contentHash: env.PRODUCTS_CONTENT_HASH,
      searchRefreshMs: env.PRODUCTS_SEARCH_REFRESH_MS,
    },
  };
}
