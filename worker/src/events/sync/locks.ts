import { createHash } from 'node:crypto';

/**
 * Names of the events run locks, MariaDB named locks (core/db/named-locks.ts) so that a worker
 * killed with -9 releases its execution and its sync slot at once. Scoped by the database, so two
 * installs on one MariaDB server never share them.
 */
const scope = (databaseUrl: string): string => createHash('sha1').update(databaseUrl).digest('hex').slice(0, 12);

/** The execution's own lock: held by the one process running it. */
export const executionLockName = (databaseUrl: string, executionId: number): string => `synchub:${scope(databaseUrl)}:evx:${executionId}`;

/** The `max` sync slots shared by every worker process: a run holds one of them. */
export const syncSlotNames = (databaseUrl: string, max: number): string[] =>
  Array.from({ length: max }, (_, index) => `synchub:${scope(databaseUrl)}:evslot:${index}`);
