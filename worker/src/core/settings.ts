import { sql } from 'kysely';

import type { SecretBox } from './crypto';
import type { Db } from './db';

/**
 * Settings saved from wp-admin. Secret values are sealed with AES-256-GCM before they are stored;
 * they override the environment for the connector they belong to.
 */
export class SettingsStore {
  constructor(
    private readonly db: Db,
    private readonly box: SecretBox,
  ) {}

  async get(name: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('synchub_settings').select(['value', 'is_secret']).where('name', '=', name).executeTakeFirst();
    if (!row) return undefined;
    return row.is_secret ? this.box.decrypt(row.value) : row.value;
  }

  async getJson<T>(name: string): Promise<T | undefined> {
    const text = await this.get(name);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }

  async set(name: string, value: string, options: { secret?: boolean } = {}): Promise<void> {
    const secret = options.secret ?? false;
    const stored = secret ? this.box.encrypt(value) : value;
    await this.db
      .insertInto('synchub_settings')
      .values({ name, value: stored, is_secret: secret ? 1 : 0, updated_at: new Date() })
      .onDuplicateKeyUpdate({ value: stored, is_secret: secret ? 1 : 0, updated_at: sql`CURRENT_TIMESTAMP(3)` })
      .execute();
  }

  async setJson(name: string, value: unknown, options: { secret?: boolean } = {}): Promise<void> {
    await this.set(name, JSON.stringify(value), options);
  }

  async delete(name: string): Promise<void> {
    await this.db.deleteFrom('synchub_settings').where('name', '=', name).execute();
  }
}
