import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { generateKeyHex, loadOrCreateSecretFile, parseKey, safeEqual, SecretBox, signBody, verifySignature } from '../../../worker/src/core/crypto';

describe('SecretBox', () => {
  const box = new SecretBox(parseKey(generateKeyHex()));

  it('round-trips and never stores the plaintext', () => {
    const sealed = box.encrypt('odoo-api-key-ñ-کلید');
    expect(sealed).not.toContain('odoo');
    expect(box.decrypt(sealed)).toBe('odoo-api-key-ñ-کلید');
  });

  it('uses a fresh IV each time', () => {
    expect(box.encrypt('same')).not.toBe(box.encrypt('same'));
  });

  it('rejects tampered ciphertext and other keys', () => {
    const sealed = box.encrypt('secret');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3] as string, 'base64url');
    body[0] = (body[0] as number) ^ 1;
    expect(() => box.decrypt([parts[0], parts[1], parts[2], body.toString('base64url')].join('.'))).toThrow();
    expect(() => new SecretBox(parseKey(generateKeyHex())).decrypt(sealed)).toThrow();
  });
});

describe('webhook signature', () => {
  const body = Buffer.from('{"id":1}');

  it('matches the WooCommerce format (base64 of raw HMAC-SHA256)', () => {
    // Value computed independently: printf '{"id":1}' | openssl dgst -sha256 -hmac secret -binary | base64
    expect(signBody(body, 'secret')).toBe('A971iWIMgT8Zj9A9eWfikrFj7wQ16/Qwcc4OlRl2PLc=');
  });

  it('verifies only the exact body and secret', () => {
    const signature = signBody(body, 'secret');
    expect(verifySignature(body, 'secret', signature)).toBe(true);
    expect(verifySignature(Buffer.from('{"id":2}'), 'secret', signature)).toBe(false);
    expect(verifySignature(body, 'other', signature)).toBe(false);
    expect(verifySignature(body, 'secret', undefined)).toBe(false);
    expect(verifySignature(body, 'secret', 'short')).toBe(false);
  });

  it('compares tokens of any length', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });
});

describe('loadOrCreateSecretFile', () => {
  it('generates once, with mode 0600, and reads it back', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'synchub-key-'));
    const file = path.join(dir, 'nested', 'secret.key');
    const first = loadOrCreateSecretFile(file, undefined, generateKeyHex);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.value);
    const second = loadOrCreateSecretFile(file, undefined, generateKeyHex);
    expect(second.value).toBe(first.value);
  });

  it('prefers the configured value and writes nothing', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'synchub-key-'));
    const result = loadOrCreateSecretFile(path.join(dir, 'k'), 'configured', generateKeyHex);
    expect(result).toEqual({ value: 'configured', file: null });
  });
});
