import { sql } from 'kysely';
import type { z } from 'zod';

import type { SecretBox } from './crypto';
import type { Db } from './db';

/**
 * The one rule by which settings saved from wp-admin override the environment: each field saved
 * wins over the environment's, a field not saved keeps the environment's. (A connection whose
 * secret must stay with the host it was saved for is replaced whole instead: see secret-binding.)
 */
export function overEnvironment<T extends object>(saved: Partial<T> | undefined, env: T): T {
  if (!saved) return env;
  const fields = Object.entries(saved).filter(([, value]) => value !== undefined);
  return { ...env, ...Object.fromEntries(fields) } as T;
}

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

  /**
   * A saved JSON setting as `schema` reads it; undefined when nothing is saved, or when what is
   * saved cannot be read (not JSON, sealed under another key, not the expected shape): the
   * environment then applies, everywhere alike. Database errors are not swallowed.
   */
  async saved<S extends z.ZodType>(name: string, schema: S): Promise<z.output<S> | undefined> {
    const row = await this.db.selectFrom('synchub_settings').select(['value', 'is_secret']).where('name', '=', name).executeTakeFirst();
    if (!row) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(row.is_secret ? this.box.decrypt(row.value) : row.value);
    } catch {
      return undefined;
    }
    const parsed = schema.safeParse(value);
    return parsed.success ? parsed.data : undefined;
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
