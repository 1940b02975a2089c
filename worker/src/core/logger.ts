import pino, { type Logger } from 'pino';

export type { Logger };

// Keys whose values must never reach a log line, at any of the first three levels of nesting.
const SECRET_KEYS = [
  'password',
  'token',
  'accessToken',
  'access_token',
  'access_key',
  'accessKey',
  'apiKey',
  'api_key',
  'secret',
  'webhookSecret',
  'adminToken',
  'authorization',
  'Authorization',
  'cookie',
  'x-wc-webhook-signature',
  'x-synchub-signature',
];

export const REDACTED_PATHS = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'sync-hub-worker' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: { err: pino.stdSerializers.err },
    },
    destination,
  );
}
