import type { RowDataPacket } from 'mysql2/promise';

import type { OrderSource, SqlReader } from './client';
import type { OrderScanOptions } from './types';

/**
 * The id reads of a storage mode, from its query of matching order ids (column `id`) after
 * `afterId` in id order: one page of it (keyset) or all of it as a stream.
 */
export function orderIdReads(
  reader: SqlReader,
  table: string,
  idsAfter: (options: Omit<OrderScanOptions, 'limit'>, params: unknown[]) => string,
): Pick<OrderSource, 'scanOrderIds' | 'streamOrderIds'> {
  return {
    async scanOrderIds(options) {
      const params: unknown[] = [];
      const rows = await reader.rows<RowDataPacket>(`${idsAfter(options, params)} LIMIT ${Math.max(1, Math.floor(options.limit))}`, params, table);
      return rows.map((row) => Number(row.id));
    },
    async streamOrderIds(options, onIds, stream) {
      const params: unknown[] = [];
      let count = 0;
      const onRows = (rows: RowDataPacket[]) => {
        count += rows.length;
        onIds(rows.map((row) => Number(row.id)));
      };
      await reader.streamRows<RowDataPacket>(idsAfter(options, params), params, table, onRows, stream);
      return count;
    },
  };
}
