import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { securePrivateDir, securePrivateFile } from './data-dir';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const VERSION = 'v1';

export class SecretBox {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('the secret key must be 32 bytes');
    this.key = key;
  }

  /** `v1.<iv>.<tag>.<ciphertext>`, all base64url. */
  encrypt(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), body].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
  }

  decrypt(sealed: string): string {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('not a sealed value');
    const decipher = createDecipheriv(ALGORITHM, this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }
}

export function parseKey(text: string): Buffer {
  const trimmed = text.trim();
  return /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
}

/**
 * Returns the configured value, or the one stored in `file`, or a new random one written there
 * with mode 0600 so that only the worker's user can read it. The directory (0700) and an existing
 * file (0600) are narrowed when they were looser; `tightened` names what was changed.
 */
export function loadOrCreateSecretFile(
  file: string,
  configured: string | undefined,
  generate: () => string,
): { value: string; file: string | null; tightened?: string[] } {
  if (configured) return { value: configured, file: null };
  const tightened = securePrivateDir(path.dirname(file));
  if (existsSync(file)) {
    tightened.push(...securePrivateFile(file));
    return { value: readFileSync(file, 'utf8').trim(), file, tightened };
  }
  const value = generate();
  writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return { value, file, tightened };
}

export const generateKeyHex = (): string => randomBytes(32).toString('hex');
export const generateToken = (prefix = ''): string => `${prefix}${randomBytes(30).toString('base64url')}`;

/**
 * `count` distinct 22-character intake tokens for the rows of one batched INSERT: one random draw
 * per batch (108 bits), each row told apart by its index.
 */
export function intakeTokens(count: number): string[] {
  const nonce = randomBytes(14).toString('base64url').slice(0, 18);
  return Array.from({ length: count }, (_, index) => nonce + index.toString(36).padStart(4, '0'));
}

/** WooCommerce's webhook signature: base64 of the raw HMAC-SHA256 of the exact body bytes. */
export function signBody(body: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

export function verifySignature(body: Buffer, secret: string, signature: string | undefined): boolean {
  if (!signature) return false;
  const expected = Buffer.from(signBody(body, secret), 'utf8');
  const given = Buffer.from(signature.trim(), 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Constant-time equality for bearer tokens of any length. */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHmac('sha256', 'compare').update(a).digest();
  const hb = createHmac('sha256', 'compare').update(b).digest();
  return timingSafeEqual(ha, hb);
}
