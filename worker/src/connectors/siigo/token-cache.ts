import type { RedisClient } from '../../core/redis';

export interface Sealer {
  encrypt(plaintext: string): string;
  decrypt(sealed: string): string;
}

/**
 * The SIIGO access token of one company, shared by every worker process through Redis (sealed
 * with the worker's key) and dropped `marginMs` before SIIGO's expiry.
 */
export class TokenCache {
  constructor(
    private readonly redis: RedisClient,
    private readonly key: string,
    private readonly sealer: Sealer,
  ) {}

  async get(): Promise<string | null> {
    const sealed = await this.redis.get(this.key);
    if (!sealed) return null;
    try {
      return this.sealer.decrypt(sealed);
    } catch {
      await this.redis.del(this.key);
      return null;
    }
  }

  async set(token: string, expiresInMs: number): Promise<void> {
    // Renew a little before SIIGO's expiry: 5 % of the lifetime, at least a minute when it allows.
    const margin = Math.min(Math.max(60_000, expiresInMs * 0.05), expiresInMs / 2);
    const ttl = Math.max(1, Math.floor(expiresInMs - margin));
    await this.redis.set(this.key, this.sealer.encrypt(token), 'PX', ttl);
  }

  async clear(): Promise<void> {
    await this.redis.del(this.key);
  }
}
