import { sql } from 'kysely';
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';

import { type Db, parseMysqlUrl } from './index';
import { firstFree, type HeldLock } from '../locks';

/**
 * MariaDB named locks (GET_LOCK) on a connection of their own, with the shape of RedisLocks.
 * Why a second backend: the server frees them the instant their connection ends, so a worker
 * killed with -9 releases them at once (events recover in ~2 s), where a Redis lock would block
 * until its TTL ran out (~30 s). No TTL, so nothing to renew; close() frees every lock held.
 */
export class NamedLocks {
  private constructor(private readonly connection: Connection) {}

  static async open(databaseUrl: string): Promise<NamedLocks> {
    const parts = parseMysqlUrl(databaseUrl);
    const connection = await createConnection({
      host: parts.host,
      port: parts.port,
      user: parts.user,
      password: parts.password || undefined,
      database: parts.database,
    });
    return new NamedLocks(connection);
  }

  private async scalar(query: string, name: string): Promise<number | null> {
    const [rows] = await this.connection.query<RowDataPacket[]>(query, [name]);
    const value = rows[0]?.value;
    return value === null || value === undefined ? null : Number(value);
  }

  /** The lock `name` on this connection, without waiting; undefined when another connection holds it. */
  async tryAcquire(name: string): Promise<HeldLock | undefined> {
    if ((await this.scalar('SELECT GET_LOCK(?, 0) AS value', name)) !== 1) return undefined;
    return {
      key: name,
      // RELEASE_LOCK frees only a lock of this connection: 0 or NULL when it is not ours (any more).
      release: async () => (await this.scalar('SELECT RELEASE_LOCK(?) AS value', name)) === 1,
      // Nothing expires while the connection lives: renewing is checking it is still ours.
      renew: async () => (await this.scalar('SELECT IS_USED_LOCK(?) = CONNECTION_ID() AS value', name)) === 1,
    };
  }

  /** One of N (a slot): the first free of `names`; undefined when all are taken. */
  trySlot(names: readonly string[]): Promise<HeldLock | undefined> {
    return firstFree(names, (name) => this.tryAcquire(name));
  }

  /** Ends the connection, and with it every lock it holds. */
  async close(): Promise<void> {
    await this.connection.end().catch(() => this.connection.destroy());
  }
}

/** Whether no connection, of any process, holds the named lock `name`. */
export async function namedLockFree(db: Db, name: string): Promise<boolean> {
  const { rows } = await sql<{ free: number }>`SELECT IS_FREE_LOCK(${name}) AS free`.execute(db);
  return Number(rows[0]?.free) === 1;
}
