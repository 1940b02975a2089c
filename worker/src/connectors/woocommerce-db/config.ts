import { readFile } from 'node:fs/promises';

import { z } from 'zod';

import type { Config } from '../../core/config';
import type { SettingsStore } from '../../core/settings';
import { WooDbConfigError } from './errors';
import { bool, configSlice, optionalText, optionalUrl, port } from '../../core/config';

/** The SSH hop in front of the store's MySQL. `password`, `privateKey`, `passphrase` are secrets. */
export const wooDbSshSchema = z.object({
  host: z.string().trim().min(1, 'the SSH host is required'),
  port: z.coerce.number().int().min(1).max(65535).default(22),
  username: z.string().trim().min(1, 'the SSH user is required'),
  password: z.string().min(1).optional(),
  /** The private key itself (PEM / OpenSSH); from the environment it is read from WOOCOMMERCE_SSH_PRIVATE_KEY_PATH. */
  privateKey: z.string().min(1).optional(),
  passphrase: z.string().min(1).optional(),
  /** Pinned host key fingerprint as `ssh-keygen -lf` prints it: `SHA256:…`. */
  hostKey: z
    .string()
    .trim()
    .regex(/^SHA256:[A-Za-z0-9+/]{43}=?$/, 'expected a fingerprint such as SHA256:… (ssh-keygen -lf)')
    .optional(),
  readyTimeoutMs: z.coerce.number().int().min(500).max(120_000).default(10_000),
});
export type WooDbSshConfig = z.infer<typeof wooDbSshSchema>;

/**
 * A read replica of the store database: the order scans and loads go there, the schema probe and
 * the sync cursor's clock stay on the primary. User and password default to the primary's.
 * Reached directly (not through the SSH hop).
 */
export const wooDbReplicaSchema = z.object({
  host: z.string().trim().min(1, 'the replica host is required'),
  port: z.coerce.number().int().min(1).max(65535).default(3306),
  user: z.string().min(1).optional(),
  password: z.string().optional(),
});
export type WooDbReplicaConfig = z.infer<typeof wooDbReplicaSchema>;

/** Connection to the store's MySQL database. `password` is a secret (stored sealed when saved from wp-admin). */
export const wooDbConfigSchema = z.object({
  host: z.string().min(1, 'the WooCommerce database host is required'),
  port: z.coerce.number().int().min(1).max(65535).default(3306),
  user: z.string().min(1, 'the WooCommerce database user is required'),
  password: z.string().optional(),
  database: z.string().regex(/^[A-Za-z0-9_$-]+$/, 'expected a database name'),
  tablePrefix: z
    .string()
    .regex(/^[A-Za-z0-9_]*$/, 'letters, digits and underscores only')
    .default('wp_'),
  /** Statement timeout guard for one query, milliseconds. */
  queryTimeoutMs: z.coerce.number().int().min(100).default(60_000),
  /** When set, MySQL is reached through this SSH server (`host` is then as that server sees it). */
  ssh: wooDbSshSchema.optional(),
  /** Reads of orders and products go to this replica when set. */
  replica: wooDbReplicaSchema.optional(),
});

export type WooDbConfig = z.infer<typeof wooDbConfigSchema>;
export type WooDbConfigInput = z.input<typeof wooDbConfigSchema>;

/** Settings key under which wp-admin saves the store connection (JSON, sealed). */
export const WOO_DB_SETTINGS_KEY = 'woocommerce_db';

/** The environment's store connection (the SSH key read from its file). */
export async function wooDbConfigFromEnv(config: Config): Promise<Record<string, unknown>> {
  const { mysql, ssh, replica } = config.woocommerce;
  let privateKey: string | undefined;
  if (ssh.privateKeyPath) {
    try {
      privateKey = await readFile(ssh.privateKeyPath, 'utf8');
    } catch (error) {
      throw new WooDbConfigError(
        `WOOCOMMERCE_SSH_PRIVATE_KEY_PATH: cannot read ${ssh.privateKeyPath}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return {
    host: mysql.host,
    port: mysql.port,
    user: mysql.user,
    password: mysql.password,
    database: mysql.database,
    tablePrefix: config.woocommerce.tablePrefix,
    ssh: ssh.host
      ? { host: ssh.host, port: ssh.port, username: ssh.username, password: ssh.password, privateKey, passphrase: ssh.passphrase, hostKey: ssh.hostKey }
      : undefined,
    replica: replica.host ? { host: replica.host, port: replica.port, user: replica.user, password: replica.password } : undefined,
  };
}

/**
 * The store connection in force: the one saved from wp-admin when there is one, as a whole (its
 * secrets belong to the host and users it was saved with, never mixed with the environment's),
 * else the environment.
 */
export async function resolveWooDbConfig(config: Config, settings?: SettingsStore): Promise<z.ZodSafeParseResult<WooDbConfig>> {
  const saved = await settings?.saved(WOO_DB_SETTINGS_KEY, z.looseObject({ host: z.string().min(1) }));
  if (saved) return wooDbConfigSchema.safeParse(saved);
  return wooDbConfigSchema.safeParse(await wooDbConfigFromEnv(config));
}

declare module '../../core/config' {
  interface ConfigSlices {
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
  }
}

/** WOOCOMMERCE_*, STORE_URL: the store's database (and SSH hop) when wp-admin has none saved, and how syncs page through it. */
export const woocommerceConfig = configSlice(
  'woocommerce',
  {
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
    STORE_URL: optionalUrl,
  },
  (env) => ({
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
  }),
);
