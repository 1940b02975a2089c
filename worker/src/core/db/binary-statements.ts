import type { MysqlPool, MysqlPoolConnection, MysqlQueryResult } from 'kysely';
import type { ExecuteValues, Pool, PoolConnection } from 'mysql2';

/**
 * Statements sent as server-side prepared statements (the binary protocol) rather than as text
 * with every value escaped in. For the bulk INSERTs of a sync, escaping millions of values into
 * text was the worker's largest allocation, and parsing that text a quarter of MariaDB's write
 * cost. The comment marks them on their way through Kysely, which sends every query as text.
 */
const BINARY_MARK = '/* binary */ ';

const marked = new Map<string, string>();

/** The statement marked; the few texts a process marks are kept, so a chunk reuses one string (mysql2 looks prepared statements up by it). */
export function binaryStatement(sql: string): string {
  let text = marked.get(sql);
  if (text === undefined) {
    text = BINARY_MARK + sql;
    if (marked.size < 64) marked.set(sql, text);
  }
  return text;
}

type QueryCallback = (error: unknown, result: MysqlQueryResult) => void;

/**
 * The pool as Kysely's MysqlDialect sees it: marked statements go to `execute` (prepared once per
 * connection, then reused), everything else to `query` as before.
 */
export function binaryAwarePool(pool: Pool): MysqlPool {
  const wrapped = new WeakMap<PoolConnection, MysqlPoolConnection>();
  const wrap = (connection: PoolConnection): MysqlPoolConnection => {
    let aware = wrapped.get(connection);
    if (!aware) {
      const query = (sql: string, parameters: unknown[], callback?: QueryCallback) => {
        if (!callback) return connection.query(sql, parameters);
        if (sql.startsWith(BINARY_MARK)) connection.execute(sql, parameters as ExecuteValues, (error, result) => callback(error, result as MysqlQueryResult));
        else connection.query(sql, parameters, (error, result) => callback(error, result as MysqlQueryResult));
        return undefined;
      };
      aware = { query: query as MysqlPoolConnection['query'], release: () => connection.release() };
      wrapped.set(connection, aware);
    }
    return aware;
  };
  return {
    getConnection(callback) {
      pool.getConnection((error, connection) => callback(error, error ? (undefined as never) : wrap(connection)));
    },
    end(callback) {
      pool.end(callback);
    },
  };
}
