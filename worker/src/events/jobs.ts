import { DelayedError, type Job } from 'bullmq';
import { z } from 'zod';

import { NamedLocks, namedLockFree } from '../core/db/named-locks';
import type { AppContext, InboundHandler } from '../core/domain';
import { isConnectorError, isFinalAttempt, PermanentFailure } from '../core/failures';
import type { JobProcessor } from '../core/queues';
import { ExecutionStore } from './sync/store';
import { executionLockName, syncSlotNames } from './sync/locks';
import type { EventsMailer } from './notify/mailer';
import { NOTICE_CLAIM_STALE_MS, notifyPendingTickets, releaseStaleClaims } from './notify/send';
import { dueSlot } from './sync/schedule';
import type { ExecutionMode, ExecutionTrigger } from './schema';
import { finish, runExecution, syncSingleOrder, type Configuration, type SyncDeps } from './sync/run';

export const JOBS = { run: 'sync.run', tick: 'schedule.tick', cleanup: 'executions.cleanup', notify: 'tickets.notify' } as const;
const runData = z.object({ executionId: z.number().int().positive() });
const notifyData = z.object({ eventId: z.number().int().positive() });

/** Retry policy as data: 3 retries, 60/120/240 s by default (EVENTS_RETRY_DELAY_MS). */
export const runJobOptions = (ctx: AppContext) => ({ attempts: 4, backoff: { type: 'exponential' as const, delay: ctx.config.events.retryDelayMs } });

export async function enqueueRun(ctx: AppContext, executionId: number, suffix = ''): Promise<void> {
  await ctx.queues.get('events').add(JOBS.run, { executionId }, { ...runJobOptions(ctx), jobId: `exec-${executionId}${suffix}` });
}

/** Creates a running execution and queues it; null when the configuration already has one running. */
export async function startExecution(
  ctx: AppContext,
  configuration: Configuration,
  trigger: ExecutionTrigger,
  options: { full?: boolean; slot?: string } = {},
): Promise<number | null> {
  const mode: ExecutionMode = options.full || !configuration.last_cursor ? 'full' : 'incremental';
  // A run stopped by WOOCOMMERCE_SYNC_TIMEOUT continues from its checkpoint instead of starting
  // over, whoever starts the next run (tick, scheduled slot or trigger); only `full` starts anew.
  const started = await new ExecutionStore(ctx.db).open(configuration.id, { trigger, mode, full: Boolean(options.full), slot: options.slot ?? null });
  if (started === null) return null;
  await enqueueRun(ctx, started.id, started.continued ? `-continue-${Date.now()}` : '');
  return started.id;
}

/** Source outages, and store races (a live order written while a run reached it: the retry sees it). */
function isRetryable(error: unknown): boolean {
  if (isConnectorError(error)) return error.retryable;
  const code = (error as { code?: unknown })?.code;
  return (
    typeof code === 'string' &&
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'PROTOCOL_CONNECTION_LOST', 'ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'ER_DUP_ENTRY'].includes(code)
  );
}

export function eventsProcessors(ctx: AppContext, deps: SyncDeps, mailer: EventsMailer): Record<string, JobProcessor> {
  const run: JobProcessor = async (job: Job, signal) => {
    const { executionId } = runData.parse(job.data);
    const locks = await NamedLocks.open(ctx.config.databaseUrl);
    try {
      if (!(await locks.tryAcquire(executionLockName(ctx.config.databaseUrl, executionId)))) return { skipped: 'running in another process' };
      if (!(await locks.trySlot(syncSlotNames(ctx.config.databaseUrl, ctx.config.events.maxConcurrentSyncs)))) {
        await job.moveToDelayed(Date.now() + 2_000, job.token);
        throw new DelayedError();
      }
      try {
        // A timed-out run is continued by the next tick: no alert, it finishes by itself.
        return { outcome: await runExecution(deps, executionId, signal) };
      } catch (error) {
        if (signal.aborted || error instanceof DelayedError) throw error;
        const message = error instanceof Error ? error.message : String(error);
        const final = !isRetryable(error) || isFinalAttempt(job);
        if (!final) {
          await ctx.db
            .updateTable('synchub_event_executions')
            .set({ error_message: `Attempt ${job.attemptsMade + 1} failed, will retry: ${message}` })
            .where('id', '=', executionId)
            .execute();
          throw error;
        }
        await finish(deps, executionId, 'failed', message);
        await mailer.alert(`Events sync ${executionId} failed`, `Execution ${executionId} failed after ${job.attemptsMade + 1} attempt(s): ${message}`);
        throw new PermanentFailure(message);
      }
    } finally {
      await locks.close();
    }
  };

  const tick: JobProcessor = async (job) => {
    const runs = new ExecutionStore(ctx.db);
    await runs.recordScheduleRun(String(job.id), 'tick');
    const recovered = await recoverStale(ctx);
    const renotified = await releaseStaleClaims(ctx, NOTICE_CLAIM_STALE_MS);
    for (const eventId of renotified) await deps.enqueueNotify(eventId, `released-${Date.now()}`);
    const continued = await continueStopped(ctx);
    const now = new Date();
    const configurations = await runs.activeConfigurations(true);
    const started: number[] = [];
    for (const configuration of configurations) {
      const slot = dueSlot(configuration.sync_frequency, now, ctx.config.events.timezone, configuration.last_scheduled_slot, configuration.created_at);
      if (!slot) continue;
      await runs.setLastScheduledSlot(configuration.id, slot);
      const id = await startExecution(ctx, configuration, 'scheduled', { slot: slot.toISOString() });
      if (id !== null) started.push(id);
    }
    return { recovered, renotified, continued, started };
  };

  const cleanup: JobProcessor = async (job) => {
    const runs = new ExecutionStore(ctx.db);
    await runs.recordScheduleRun(String(job.id), 'cleanup');
    return { deleted: await runs.deleteOld() };
  };

  const notify: JobProcessor = async (job) => {
    const { eventId } = notifyData.parse(job.data);
    return { sent: await notifyPendingTickets(ctx, mailer, eventId) };
  };

  return { [JOBS.run]: run, [JOBS.tick]: tick, [JOBS.cleanup]: cleanup, [JOBS.notify]: notify };
}

/**
 * Long migrations finish by themselves: each tick continues, from its checkpoint, every run the
 * time limit stopped whose configuration is still active and not paused (manual ones included).
 */
export async function continueStopped(ctx: AppContext): Promise<number[]> {
  // Only the latest run of a configuration is continued.
  const stopped = await new ExecutionStore(ctx.db).timedOutConfigurations();
  const continued: number[] = [];
  for (const configuration of stopped) {
    const id = await startExecution(ctx, configuration, 'scheduled');
    if (id !== null) continued.push(id);
  }
  return continued;
}

/** Running executions whose process died (lock free, no heartbeat for EVENTS_STALE_AFTER_MS) go back on the queue. */
export async function recoverStale(ctx: AppContext): Promise<number[]> {
  const runs = new ExecutionStore(ctx.db);
  const recovered: number[] = [];
  for (const id of await runs.silentRuns(ctx.config.events.staleAfterMs)) {
    if (!(await namedLockFree(ctx.db, executionLockName(ctx.config.databaseUrl, id)))) continue;
    await runs.heartbeat(id);
    await enqueueRun(ctx, id, `-recover-${Date.now()}`);
    recovered.push(id);
  }
  return recovered;
}

const orderPayload = z.object({
  id: z.coerce.number().int().positive(),
  status: z.string().optional(),
  line_items: z
    .array(z.object({ product_id: z.coerce.number().int().nonnegative(), variation_id: z.coerce.number().int().nonnegative().optional() }).passthrough())
    .default([]),
});

/** `order.paid`: sync that order now for each active configuration whose product it contains. */
export function inboundHandler(ctx: AppContext, deps: SyncDeps): InboundHandler {
  return async (event) => {
    const parsed = orderPayload.safeParse(event.payload);
    if (!parsed.success) return 'ignored';
    const productIds = new Set(parsed.data.line_items.flatMap((item) => [item.product_id, item.variation_id ?? 0]).filter((id) => id > 0));
    if (productIds.size === 0) return 'ignored';
    const configurations = await new ExecutionStore(ctx.db).activeConfigurations();
    // A variation id in the order matches a configuration of its parent through the item's product_id.
    const matching = configurations.filter((configuration) => productIds.has(configuration.woocommerce_product_id));
    if (matching.length === 0) return 'ignored';
    for (const configuration of matching) await syncSingleOrder(deps, configuration, parsed.data.id);
    return 'processed';
  };
}
