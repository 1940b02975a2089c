import { sql } from 'kysely';

import type { Db } from '../db';
import { countPerBucket } from './query';
import type { ActivitySource } from './types';

/** Outbox deliveries the worker received from the plugin, and those its jobs failed on, per bucket. */
export const intakeActivity =
  (db: Db): ActivitySource =>
  async (window) => {
    const [received, failed] = await Promise.all([
      countPerBucket(db, window, { table: 'synchub_inbound_events', column: 'received_at' }),
      countPerBucket(db, window, { table: 'synchub_inbound_events', column: 'received_at', where: sql`status = 'failed'` }),
    ]);
    const zero = window.keys.map(() => 0);
    return [
      { chart: 'deliveries', key: 'received', values: received.get('all') ?? zero },
      { chart: 'deliveries', key: 'failed', values: failed.get('all') ?? zero },
    ];
  };
