import { describe, expect, it } from 'vitest';

import {
  generateIntegrationToken,
  hashToken,
  ipAllowed,
  isIpRule,
  normalizeIp,
  tokenPreview,
  tokenRejection,
  TOKEN_PATTERN,
} from '../../../worker/src/products/tokens/token';

describe('integration tokens', () => {
  it('are wc_sk_live_ + 40 alphanumerics and never repeat', () => {
    const tokens = Array.from({ length: 200 }, generateIntegrationToken);
    for (const token of tokens) expect(token).toMatch(/^wc_sk_live_[A-Za-z0-9]{40}$/);
    expect(new Set(tokens).size).toBe(tokens.length);
    // Every alphabet position is reachable: 8,000 draws cover far more than 62 symbols.
    expect(new Set(tokens.join('').replace(/wc_sk_live_/g, '')).size).toBeGreaterThan(55);
  });

  it('hash to 64 hex characters and preview without revealing the secret part', () => {
    const token = 'wc_sk_live_' + 'A'.repeat(36) + 'wxyz';
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(token)).not.toBe(hashToken(token + 'x'));
    expect(tokenPreview(token)).toBe('wc_sk_live_AAAA…wxyz');
    expect(TOKEN_PATTERN.test(token)).toBe(true);
    expect(TOKEN_PATTERN.test(token + 'a')).toBe(false);
  });
});

describe('IP rules', () => {
  it.each([
    ['203.0.113.7', true],
    ['203.0.113.0/24', true],
    ['2001:db8::1', true],
    ['2001:db8::/32', true],
    ['203.0.113.0/33', false],
    ['2001:db8::/129', false],
    ['localhost', false],
    ['1.2.3.4/24/1', false],
    ['', false],
    ["1.2.3.4'; DROP TABLE x", false],
  ])('isIpRule(%j) = %s', (rule, expected) => {
    expect(isIpRule(rule)).toBe(expected);
  });

  it.each([
    ['any address when the list is empty', '198.51.100.1', [], true],
    ['any address when there is no list', '198.51.100.1', null, true],
    ['an exact address', '203.0.113.7', ['203.0.113.7'], true],
    ['a different address', '203.0.113.8', ['203.0.113.7'], false],
    ['an address in a range', '203.0.113.200', ['10.0.0.0/8', '203.0.113.0/24'], true],
    ['an address outside the ranges', '203.0.114.1', ['203.0.113.0/24'], false],
    ['an IPv4-mapped IPv6 client', '::ffff:127.0.0.1', ['127.0.0.1'], true],
    ['an IPv6 client in an IPv6 range', '2001:db8::5', ['2001:db8::/32'], true],
    ['no client address at all', undefined, ['127.0.0.1'], false],
  ] as Array<[string, string | undefined, string[] | null, boolean]>)('allows %s', (_label, ip, list, expected) => {
    expect(ipAllowed(ip, list)).toBe(expected);
  });

  it('normalizes mapped IPv4 only', () => {
    expect(normalizeIp('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(normalizeIp('::1')).toBe('::1');
    expect(normalizeIp(undefined)).toBeUndefined();
  });
});

describe('tokenRejection', () => {
  const now = new Date('2026-11-23T12:00:00Z');
  const ok = { is_active: 1, expires_at: null, ip_allowlist: null };
  it.each([
    ['unknown token', undefined, '127.0.0.1', 'invalid_token'],
    ['revoked token', { ...ok, is_active: 0 }, '127.0.0.1', 'token_inactive'],
    ['expired token', { ...ok, expires_at: new Date('2026-11-23T11:59:59Z') }, '127.0.0.1', 'token_expired'],
    ['token expiring exactly now', { ...ok, expires_at: now }, '127.0.0.1', 'token_expired'],
    ['token from a foreign IP', { ...ok, ip_allowlist: ['10.0.0.0/8'] }, '127.0.0.1', 'ip_not_allowed'],
    ['valid token', { ...ok, expires_at: new Date('2027-01-01T00:00:00Z') }, '127.0.0.1', null],
    ['revoked beats expired', { ...ok, is_active: 0, expires_at: new Date('2020-01-01T00:00:00Z') }, '127.0.0.1', 'token_inactive'],
  ] as const)('%s → %s', (_label, token, ip, expected) => {
    expect(tokenRejection(token === undefined ? undefined : { ...token, ip_allowlist: token.ip_allowlist ? [...token.ip_allowlist] : null }, ip, now)).toBe(
      expected,
    );
  });
});
