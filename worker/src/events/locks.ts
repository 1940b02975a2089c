import { createHash } from 'node:crypto';

import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';

import { parseMysqlUrl } from '../core/db';

/**
 * MariaDB named locks on a connection of their own. The server frees them when the connection
 * ends, so a worker killed with -9 releases its execution and its sync slot at once.
 */
export class RunLocks {
  private readonly scope: string;

  private constructor(
    private readonly connection: Connection,
    databaseUrl: string,
  ) {
    this.scope = createHash('sha1').update(databaseUrl).digest('hex').slice(0, 12);
  }

  static async open(databaseUrl: string): Promise<RunLocks> {
    const parts = parseMysqlUrl(databaseUrl);
    const connection = await createConnection({
      host: parts.host,
      port: parts.port,
      user: parts.user,
      password: parts.password || undefined,
      database: parts.database,
    });
    return new RunLocks(connection, databaseUrl);
  }

  static executionLockName(databaseUrl: string, executionId: number): string {
    return `synchub:${createHash('sha1').update(databaseUrl).digest('hex').slice(0, 12)}:evx:${executionId}`;
  }

  private async get(name: string): Promise<boolean> {
    const [rows] = await this.connection.query<RowDataPacket[]>('SELECT GET_LOCK(?, 0) AS got', [name]);
    return Number(rows[0]?.got) === 1;
  }

  /** The execution's own lock: false when another process is running it. */
  execution(executionId: number): Promise<boolean> {
    return this.get(`synchub:${this.scope}:evx:${executionId}`);
  }

  /** One of `max` sync slots shared by every worker process; false when all are taken. */
  async slot(max: number): Promise<boolean> {
    for (let index = 0; index < max; index += 1) if (await this.get(`synchub:${this.scope}:evslot:${index}`)) return true;
    return false;
  }

  async close(): Promise<void> {
    await this.connection.end().catch(() => this.connection.destroy());
  }
}
