// Which database failures mean "the worker cannot store anything right now" (the server is down,
// restarting, read-only, out of disk or connections) rather than a bug: a request that hit one was
// not persisted and must be retried by its sender, so it is answered 503, never 2xx or a bare 500.

/** mysql2 connection-level error codes: the server cannot be reached or went away. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'PROTOCOL_ENQUEUE_AFTER_QUIT',
]);

/** Server errors (errno) that refuse writes or connections for a while. */
const REFUSAL_ERRNOS = new Set([
  1021, // ER_DISK_FULL
  1037, // ER_OUTOFMEMORY
  1040, // ER_CON_COUNT_ERROR (too many connections)
  1041, // ER_OUT_OF_RESOURCES
  1053, // ER_SERVER_SHUTDOWN
  1114, // ER_RECORD_FILE_FULL (table or tablespace full)
  1142, // ER_TABLEACCESS_DENIED_ERROR (the user lost INSERT, e.g. made read-only)
  1205, // ER_LOCK_WAIT_TIMEOUT
  1213, // ER_LOCK_DEADLOCK
  1290, // ER_OPTION_PREVENTS_STATEMENT (--read-only)
  1836, // ER_READ_ONLY_MODE
  1927, // ER_CONNECTION_KILLED
  4031, // ER_CLIENT_INTERACTION_TIMEOUT (disconnected by the server)
]);

export function isStorageUnavailable(error: unknown): boolean {
  for (
    let current: unknown = error, depth = 0;
    current && typeof current === 'object' && depth < 5;
    current = (current as { cause?: unknown }).cause, depth += 1
  ) {
    const { code, errno } = current as { code?: unknown; errno?: unknown };
    if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
    if (typeof errno === 'number' && REFUSAL_ERRNOS.has(errno)) return true;
    // A pool whose connection died mid-query reports it in the message only.
    if (current instanceof Error && /^(Pool is closed|Can't add new command when connection is in closed state)/.test(current.message)) return true;
  }
  return false;
}

export const STORAGE_RETRY_AFTER_SECONDS = 5;

export const STORAGE_UNAVAILABLE_BODY = {
  error: {
    code: 'storage_unavailable',
    message: 'The worker cannot store requests right now (its database refuses writes or is unreachable); nothing was stored, retry shortly.',
  },
};
