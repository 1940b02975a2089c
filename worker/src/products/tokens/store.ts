import { sql, type Selectable } from 'kysely';

import { Batcher } from '../../core/batcher';
import type { Db } from '../../core/db';
import type { IntegrationTokensTable } from '../schema';
import { generateIntegrationToken, hashToken, tokenPreview } from './token';

export interface NewToken {
  name: string;
  token_type: string;
  owner: string;
  expires_at: Date | null;
  ip_allowlist: string[] | null;
  rate_limit_per_minute: number | null;
}

export interface TokenRecord {
  id: number;
  name: string;
  token_type: string;
  owner: string;
  preview: string;
  /** The original backend's names for `preview`, `token_type` and `ip_allowlist`. */
  token_preview: string;
  integration_type: string;
  is_active: boolean;
  expires_at: string | null;
  ip_allowlist: string[] | null;
  allowed_ips: string[];
  rate_limit_per_minute: number | null;
  last_used_at: string | null;
  last_used_ip: string | null;
  usage_count: number;
  created_at: string;
  revoked_at: string | null;
}

/** What the ingestion route needs to authorise a request. */
export interface ActiveTokenView {
  id: number;
  owner: string;
  name: string;
  is_active: number;
  expires_at: Date | null;
  ip_allowlist: string[] | null;
  rate_limit_per_minute: number | null;
}

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);
const parseList = (text: string | null): string[] | null => (text ? (JSON.parse(text) as string[]) : null);

export function toRecord(row: Selectable<IntegrationTokensTable>): TokenRecord {
  return {
    id: Number(row.id),
    name: row.name,
    token_type: row.token_type,
    owner: row.owner,
    preview: row.preview,
    token_preview: row.preview,
    integration_type: row.token_type,
    is_active: Boolean(row.is_active),
    expires_at: iso(row.expires_at),
    ip_allowlist: parseList(row.ip_allowlist),
    allowed_ips: parseList(row.ip_allowlist) ?? [],
    rate_limit_per_minute: row.rate_limit_per_minute,
    last_used_at: iso(row.last_used_at),
    last_used_ip: row.last_used_ip,
    usage_count: Number(row.usage_count),
    created_at: row.created_at.toISOString(),
    revoked_at: iso(row.revoked_at),
  };
}

/**
 * Integration tokens: stored as SHA-256 hashes, looked up in batches (one query for all the
 * requests in flight) and remembered for `cacheMs` (a revocation made through another worker
 * process takes effect here within that time; through this one, at once). Usage is counted in
 * memory and written once a second.
 */
export class TokenStore {
  private readonly lookups: Batcher<string, ActiveTokenView | undefined>;
  private usage = new Map<number, { count: number; at: Date; ip: string | null }>();
  private readonly timer: NodeJS.Timeout;
  private readonly cache = new Map<string, { view: ActiveTokenView; until: number }>();

  constructor(
    private readonly db: Db,
    usageFlushMs = 1_000,
    private readonly cacheMs = 2_000,
  ) {
    this.lookups = new Batcher((hashes) => this.lookupBatch(hashes), 500, 2);
    this.timer = setInterval(() => void this.flushUsage().catch(() => undefined), usageFlushMs);
    this.timer.unref();
  }

  async create(input: NewToken): Promise<{ token: string; record: TokenRecord }> {
    const token = generateIntegrationToken();
    const result = await this.db
      .insertInto('synchub_integration_tokens')
      .values({
        name: input.name,
        token_type: input.token_type,
        owner: input.owner,
        token_hash: hashToken(token),
        preview: tokenPreview(token),
        is_active: 1,
        expires_at: input.expires_at,
        ip_allowlist: input.ip_allowlist && input.ip_allowlist.length > 0 ? JSON.stringify(input.ip_allowlist) : null,
        rate_limit_per_minute: input.rate_limit_per_minute,
      })
      .executeTakeFirstOrThrow();
    const record = await this.get(Number(result.insertId));
    if (!record) throw new Error('the new token was not stored');
    return { token, record };
  }

  async get(id: number): Promise<TokenRecord | undefined> {
    const row = await this.db.selectFrom('synchub_integration_tokens').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  async list(): Promise<TokenRecord[]> {
    await this.flushUsage();
    const rows = await this.db.selectFrom('synchub_integration_tokens').selectAll().orderBy('id', 'desc').execute();
    return rows.map(toRecord);
  }

  /** Revoked tokens stay listed (audit) but can no longer be used. */
  async revoke(id: number): Promise<TokenRecord | undefined> {
    await this.db
      .updateTable('synchub_integration_tokens')
      .set({ is_active: 0, revoked_at: sql<Date>`COALESCE(revoked_at, CURRENT_TIMESTAMP(3))` })
      .where('id', '=', id)
      .execute();
    for (const [hash, entry] of this.cache) if (entry.view.id === id) this.cache.delete(hash);
    return this.get(id);
  }

  async findByToken(token: string): Promise<ActiveTokenView | undefined> {
    const hash = hashToken(token);
    const cached = this.cache.get(hash);
    if (cached && cached.until > Date.now()) return cached.view;
    const view = await this.lookups.push(hash);
    if (view) {
      if (this.cache.size > 1_000) this.cache.clear();
      this.cache.set(hash, { view, until: Date.now() + this.cacheMs });
    }
    return view;
  }

  recordUse(tokenId: number, ip: string | undefined): void {
    const entry = this.usage.get(tokenId);
    if (entry) {
      entry.count += 1;
      entry.at = new Date();
      entry.ip = ip ?? entry.ip;
    } else this.usage.set(tokenId, { count: 1, at: new Date(), ip: ip ?? null });
  }

  async flushUsage(): Promise<void> {
    if (this.usage.size === 0) return;
    const pending = this.usage;
    this.usage = new Map();
    for (const [id, entry] of pending) {
      await this.db
        .updateTable('synchub_integration_tokens')
        .set({ usage_count: sql<number>`usage_count + ${entry.count}`, last_used_at: entry.at, last_used_ip: entry.ip })
        .where('id', '=', id)
        .execute();
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.lookups.flush();
    await this.flushUsage();
  }

  private async lookupBatch(hashes: string[]): Promise<Array<ActiveTokenView | undefined>> {
    const rows = await this.db
      .selectFrom('synchub_integration_tokens')
      .select(['id', 'owner', 'name', 'token_hash', 'is_active', 'expires_at', 'ip_allowlist', 'rate_limit_per_minute'])
      .where('token_hash', 'in', [...new Set(hashes)])
      .execute();
    const byHash = new Map(
      rows.map((row) => [
        row.token_hash,
        {
          id: Number(row.id),
          owner: row.owner,
          name: row.name,
          is_active: Number(row.is_active),
          expires_at: row.expires_at,
          ip_allowlist: parseList(row.ip_allowlist),
          rate_limit_per_minute: row.rate_limit_per_minute,
        } satisfies ActiveTokenView,
      ]),
    );
    return hashes.map((hash) => byHash.get(hash));
  }
}
