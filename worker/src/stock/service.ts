import { DelayedError, type Job } from 'bullmq';

import { SiigoCircuitOpenError } from '../connectors/siigo/errors';
import { CircuitBreaker } from '../connectors/siigo/breaker';
import { companyIdFor, type SiigoConfig } from '../connectors/siigo/config';
import type { AppContext } from '../core/domain';
import { isFinalAttempt } from '../core/failures';
import type { JobProcessor } from '../core/queues';
import { CHANGE_SOURCES, type ChangeSource } from './schema';
import { StockServices } from './clients';
import { PRUNE_JOB, pruneStockLogs } from './sync/retention';
import { resolveSiigoConfig, resolveStoreConfig, siigoEnabled } from './settings';
import { setupSubscriptions, webhooksConfigured } from './webhooks/subscriptions';
import { runSweep, withSweepLock } from './sync/sweep';
import { finishLog, processWebhook, WEBHOOK_JOB } from './webhooks/receive';
import { RESYNC_JOB } from './drift';
import { StockWriter } from './sync/writer';

export const SWEEP_JOB = 'sweep';
export const WEBHOOKS_SETUP_JOB = 'webhooks.setup';
/**
 * The sweep lock's time to live, renewed every third of it while the sweep runs: short, so a lock
 * left by a process killed mid-sweep (kill -9, OOM) stops blocking sweeps within seconds.
 */
export const SWEEP_LOCK_MS = 30_000;

interface SweepJobData {
  full: boolean;
  source: ChangeSource;
}

/** The stock domain of one runtime: services, job processors and enqueue helpers. */
export class StockDomain {
  readonly services: StockServices;
  readonly writer: StockWriter;

  constructor(readonly ctx: AppContext) {
    this.services = new StockServices(ctx);
    this.writer = new StockWriter(ctx.db, () => this.services.store(), this.services.live);
  }

  siigoConfig(): Promise<SiigoConfig> {
    return resolveSiigoConfig(this.ctx);
  }

  private jobOptions() {
    return { backoff: { type: 'exponential' as const, delay: this.ctx.config.stock.retryDelayMs } };
  }

  async enqueueWebhook(logId: number): Promise<void> {
    try {
      await this.ctx.queues.get('stock').add(WEBHOOK_JOB, { logId }, { ...this.jobOptions(), jobId: `stock-webhook-${logId}` });
    } catch (error) {
      // The delivery is logged; the next sweep brings the stock right anyway.
      this.ctx.logger.warn({ err: error, logId }, 'could not enqueue a SIIGO webhook; the sweep will cover it');
    }
  }

  /**
   * Subscribes SIIGO's product webhooks once SIIGO is configured and WEBHOOK_BASE_URL is known,
   * unless our subscriptions are already recorded. One job id: N processes starting together
   * queue it once.
   */
  async enqueueWebhooksSetup(): Promise<boolean> {
    if (!this.ctx.config.siigo.webhookBaseUrl || !(await siigoEnabled(this.ctx)) || (await webhooksConfigured(this.ctx.db))) return false;
    await this.ctx.queues
      .get('stock')
      .add(WEBHOOKS_SETUP_JOB, {}, { ...this.jobOptions(), attempts: 3, jobId: 'stock-webhooks-setup', removeOnComplete: true, removeOnFail: true });
    return true;
  }

  async enqueueSweep(full: boolean, source: ChangeSource): Promise<string> {
    const job = await this.ctx.queues.get('stock').add(SWEEP_JOB, { full, source } satisfies SweepJobData, { ...this.jobOptions(), attempts: 3 });
    return String(job.id);
  }

  processors(): Record<string, JobProcessor> {
    return {
      [SWEEP_JOB]: (job) => this.sweep(job),
      [WEBHOOK_JOB]: (job) => this.webhook(job),
      [PRUNE_JOB]: () => pruneStockLogs(this.ctx.db, this.ctx.config.stock.logRetentionDays),
      [WEBHOOKS_SETUP_JOB]: () => this.setupWebhooks(),
      [RESYNC_JOB]: (job) => this.resync(job),
    };
  }

  /** `siigo_connection` for /health without calling SIIGO: the shared breaker's state. */
  async health(): Promise<boolean | null> {
    if (!(await siigoEnabled(this.ctx))) return null;
    let config: SiigoConfig;
    try {
      config = await this.siigoConfig();
    } catch {
      return false;
    }
    const gateway = this.services.activeGateway();
    const breaker =
      gateway?.companyId === companyIdFor(config)
        ? gateway.breaker
        : new CircuitBreaker(this.ctx.redis, `${this.ctx.queues.prefix}:siigo:${companyIdFor(config)}:breaker`, {
            threshold: 1,
            cooldownMs: 1,
            probeTimeoutMs: 1,
          });
    return (await breaker.state()) === 'closed';
  }

  close(): Promise<void> {
    return this.services.close();
  }

  private async setupWebhooks(): Promise<unknown> {
    const baseUrl = this.ctx.config.siigo.webhookBaseUrl;
    if (!baseUrl || (await webhooksConfigured(this.ctx.db))) return { skipped: 'already subscribed or no WEBHOOK_BASE_URL' };
    try {
      const siigo = await this.services.siigo();
      const result = await setupSubscriptions(this.ctx, siigo, { baseUrl, applicationId: (await this.siigoConfig()).partnerId });
      this.ctx.logger.info({ created: result.created.length, kept: result.kept.length, removed: result.removed.length }, 'SIIGO webhooks subscribed at start');
      return { created: result.created.length, kept: result.kept.length, removed: result.removed };
    } catch (error) {
      throw error;
    }
  }

  private async sweep(job: Job): Promise<unknown> {
    const data = job.data as Partial<SweepJobData>;
    const full = data.full === true;
    const source: ChangeSource = data.source && (CHANGE_SOURCES as readonly string[]).includes(data.source) ? data.source : 'scheduled_sync';
    if (!(await siigoEnabled(this.ctx))) return { skipped: 'SIIGO is not enabled' };
    try {
      const batchSize = resolveStoreConfig(this.ctx).batchSize;
      const siigo = await this.services.siigo();
      const result = await withSweepLock(this.ctx, SWEEP_LOCK_MS, () => runSweep({ ctx: this.ctx, siigo, writer: this.writer, batchSize }, { full, source }));
      if ('skipped' in result && source !== 'scheduled_sync' && job.token) {
        // A sweep asked for by a person waits for the running one instead of being dropped.
        await job.moveToDelayed(Date.now() + Math.min(5_000, this.ctx.config.stock.retryDelayMs), job.token);
        throw new DelayedError();
      }
      this.ctx.logger.info({ jobId: job.id, full, source, result }, 'stock sweep finished');
      return result;
    } catch (error) {
      // While SIIGO is down the breaker answers; the next scheduled sweep tries again.
      if (error instanceof DelayedError) throw error;
      if (error instanceof SiigoCircuitOpenError && source === 'scheduled_sync') return { skipped: error.message };
      throw error;
    }
  }

  /** The drift report's "re-sync these": the ledger's quantities written again for the codes. */
  private async resync(job: Job): Promise<unknown> {
    const { codes } = job.data as { codes: string[] };
    return this.writer.rewrite(codes, 'manual');
  }

  private async webhook(job: Job): Promise<unknown> {
    const { logId } = job.data as { logId: number };
    try {
      return await processWebhook({ ctx: this.ctx, siigo: () => this.services.siigo(), writer: this.writer }, logId);
    } catch (error) {
      if (isFinalAttempt(job, error)) await finishLog(this.ctx.db, logId, 'error', error instanceof Error ? error.message : String(error));
      throw error;
    }
  }
}
