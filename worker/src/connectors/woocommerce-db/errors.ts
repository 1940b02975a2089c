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

