import { createHash, randomInt } from 'node:crypto';
import { BlockList, isIP } from 'node:net';

export const TOKEN_PREFIX = 'wc_sk_live_';
export const TOKEN_RANDOM_LENGTH = 40;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const TOKEN_PATTERN = new RegExp(`^${TOKEN_PREFIX}[A-Za-z0-9]{${TOKEN_RANDOM_LENGTH}}$`);

/** `wc_sk_live_` + 40 characters drawn uniformly (crypto.randomInt is a CSPRNG without modulo bias). */
export function generateIntegrationToken(): string {
  let random = '';
  for (let i = 0; i < TOKEN_RANDOM_LENGTH; i += 1) random += ALPHABET[randomInt(ALPHABET.length)];
  return `${TOKEN_PREFIX}${random}`;
}

/** Tokens carry 238 bits of entropy, so a plain SHA-256 is a safe verifier (no slow KDF needed). */
export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** `wc_sk_live_AbCd…wXyZ`: enough to recognise a token in a list, useless to an attacker. */
export const tokenPreview = (token: string): string => `${token.slice(0, TOKEN_PREFIX.length + 4)}…${token.slice(-4)}`;

/** `::ffff:127.0.0.1` → `127.0.0.1`, so IPv4 rules match IPv4 clients on dual-stack sockets. */
export function normalizeIp(ip: string | undefined): string | undefined {
  if (!ip) return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return mapped?.[1] ?? ip;
}

/** An IP (`203.0.113.7`, `2001:db8::1`) or a CIDR range (`203.0.113.0/24`). */
export function isIpRule(rule: string): boolean {
  const [address, bits, extra] = rule.split('/');
  if (extra !== undefined || !address) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

export function ipAllowed(ip: string | undefined, allowlist: string[] | null): boolean {
  if (!allowlist || allowlist.length === 0) return true;
  const client = normalizeIp(ip);
  if (!client) return false;
  const family = isIP(client);
  if (family === 0) return false;
  const list = new BlockList();
  for (const rule of allowlist) {
    const [address, bits] = rule.split('/') as [string, string | undefined];
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  return list.check(client, family === 6 ? 'ipv6' : 'ipv4');
}

export interface TokenState {
  is_active: number | boolean;
  expires_at: Date | null;
  ip_allowlist: string[] | null;
}

export type TokenRejection = 'invalid_token' | 'token_inactive' | 'token_expired' | 'ip_not_allowed';

export const REJECTION_MESSAGES: Record<TokenRejection | 'missing_token', string> = {
  missing_token: 'An integration token is required: Authorization: Bearer wc_sk_live_…',
  invalid_token: 'The integration token is not valid.',
  token_inactive: 'The integration token has been revoked.',
  token_expired: 'The integration token has expired.',
  ip_not_allowed: 'The integration token may not be used from this IP address.',
};

/** Why a token may not be used now, or null when it may. */
export function tokenRejection(token: TokenState | undefined, ip: string | undefined, now: Date): TokenRejection | null {
  if (!token) return 'invalid_token';
  if (!token.is_active) return 'token_inactive';
  if (token.expires_at && token.expires_at.getTime() <= now.getTime()) return 'token_expired';
  if (!ipAllowed(ip, token.ip_allowlist)) return 'ip_not_allowed';
  return null;
}
