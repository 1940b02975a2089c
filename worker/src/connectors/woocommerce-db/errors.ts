/**
 * Errors of the WooCommerce database connector. Each class says whether a retry can help:
 * network trouble and timeouts can; a wrong schema, a missing product or bad credentials cannot.
 */
export abstract class WooDbError extends Error {
  abstract readonly retryable: boolean;
  abstract readonly code: string;
}

/** The database could not be reached (refused, reset, timed out, too many connections). */
export class WooDbUnavailableError extends WooDbError {
  readonly retryable = true;
  readonly code = 'source_unreachable';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WooDbUnavailableError';
  }
}

/** Reachable, but not a WooCommerce database we can read (tables missing, HPPS products). */
export class WooDbSchemaError extends WooDbError {
  readonly retryable = false;
  readonly code = 'not_woocommerce';
  constructor(message: string) {
    super(message);
    this.name = 'WooDbSchemaError';
  }
}

/** Connection settings missing or refused by the server (wrong user, password or database). */
export class WooDbConfigError extends WooDbError {
  readonly retryable = false;
  readonly code = 'source_not_configured';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WooDbConfigError';
  }
}

/** The store session could not be confirmed READ ONLY; the connection is not used. */
export class WooDbNotReadOnlyError extends WooDbError {
  readonly retryable = false;
  readonly code = 'source_not_read_only';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WooDbNotReadOnlyError';
  }
}

/** A PHP-serialized value in the store that is not well-formed or exceeds the reader's bounds. */
export class PhpUnserializeError extends WooDbError {
  readonly retryable = false;
  readonly code = 'malformed_serialized_value';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'PhpUnserializeError';
  }
}

const RETRYABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_LOCK_DEADLOCK',
  'ER_SERVER_SHUTDOWN',
  'ER_QUERY_INTERRUPTED',
]);
const CONFIG_CODES = new Set(['ER_ACCESS_DENIED_ERROR', 'ER_DBACCESS_DENIED_ERROR', 'ER_BAD_DB_ERROR']);

interface DriverError {
  code?: string;
  message?: string;
}

/** Maps a mysql2 error onto the connector's classes; anything else passes through untouched. */
export function classifyDriverError(error: unknown, table?: string): unknown {
  if (error instanceof WooDbError) return error;
  const driver = error as DriverError;
  const code = typeof driver?.code === 'string' ? driver.code : '';
  const message = typeof driver?.message === 'string' ? driver.message : String(error);
  if (RETRYABLE_CODES.has(code) || /timeout|timed out/i.test(message)) {
    return new WooDbUnavailableError(`WooCommerce database unreachable: ${message}`, { cause: error });
  }
  if (CONFIG_CODES.has(code)) return new WooDbConfigError(`WooCommerce database refused the connection: ${message}`, { cause: error });
  if (code === 'ER_NO_SUCH_TABLE' || code === 'ER_BAD_FIELD_ERROR') {
    return new WooDbSchemaError(`Not a WooCommerce database${table ? ` (${table})` : ''}: ${message}`);
  }
  return error;
}

export type SshFailure = 'ssh_host_key_mismatch' | 'ssh_auth_failed' | 'ssh_unreachable';

/** The SSH hop to the store's database failed: a refused host key or login cannot heal by retrying. */
export class WooDbSshError extends WooDbError {
  readonly retryable: boolean;
  constructor(
    readonly code: SshFailure,
    message: string,
    readonly hostKey: string | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'WooDbSshError';
    this.retryable = code === 'ssh_unreachable';
  }

  static from(
    error: Error & { level?: string },
    context: { keyRefused: boolean; seenKey: string; expected?: string; host: string; port: number; username: string },
  ): WooDbSshError {
    const where = `${context.username}@${context.host}:${context.port}`;
    if (context.keyRefused) {
      return new WooDbSshError(
        'ssh_host_key_mismatch',
        `The SSH server ${where} presented host key ${context.seenKey}, not the pinned ${context.expected ?? ''} (WOOCOMMERCE_SSH_HOST_KEY): connection refused.`,
        context.seenKey,
        { cause: error },
      );
    }
    if (/private ?key|passphrase/i.test(error.message)) {
      return new WooDbSshError(
        'ssh_auth_failed',
        `The SSH private key for ${where} could not be used (wrong passphrase, or not a private key): ${error.message}`,
        null,
        { cause: error },
      );
    }
    if (error.level === 'client-authentication') {
      return new WooDbSshError('ssh_auth_failed', `The SSH server ${where} refused the login (wrong user, password or key).`, context.seenKey || null, {
        cause: error,
      });
    }
    return new WooDbSshError('ssh_unreachable', `The SSH server ${where} could not be reached: ${error.message}`, context.seenKey || null, { cause: error });
  }
}
