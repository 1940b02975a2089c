import type { Job } from 'bullmq';
import { z } from 'zod';

import type { AppContext } from '../domain';
import type { JobProcessor } from '../queues';
import { overallProgress, toReport } from './rules';
import { DriftStore } from './store';
import { DriftNotConfiguredError, type DriftCheck, type DriftReport } from './types';

export const DRIFT_JOB = 'drift.check';
export const DRIFT_SCHEDULE_ID = 'drift-check';
/** One check at a time: a "check now" while one waits or runs joins it. */
const DEDUPLICATION_ID = 'drift-check';

const jobData = z.object({ domains: z.array(z.string()).optional(), trigger: z.enum(['scheduled', 'manual']).default('scheduled') });

export interface RunningCheck {
  jobId: string;
  state: string;
  progress: number;
  domains: string[];
  startedAt: string | null;
}

/**
 * The drift report: each domain's check (Domain.drift) run in a background job on the
 * maintenance queue, with progress, and its last result kept per domain.
 */
export class DriftService {
  readonly store: DriftStore;

  constructor(
    private readonly ctx: AppContext,
    readonly checks: ReadonlyMap<string, DriftCheck>,
  ) {
    this.store = new DriftStore(ctx.db);
  }

  domains(): string[] {
    return [...this.checks.keys()];
  }

  async enqueue(domains: string[] | undefined, trigger: 'scheduled' | 'manual'): Promise<string> {
    const job = await this.ctx.queues
      .get('maintenance')
      .add(
        DRIFT_JOB,
        { domains, trigger },
        { attempts: 1, deduplication: { id: DEDUPLICATION_ID }, removeOnComplete: { count: 20 }, removeOnFail: { count: 20 } },
      );
    return String(job.id);
  }

  async running(): Promise<RunningCheck | null> {
    const jobs = await this.ctx.queues.get('maintenance').getJobs(['active', 'waiting', 'prioritized'], 0, 200);
    const job = jobs.find((entry) => entry.name === DRIFT_JOB);
    if (!job) return null;
    const data = jobData.safeParse(job.data);
    return {
      jobId: String(job.id),
      state: await job.getState(),
      progress: typeof job.progress === 'number' ? job.progress : 0,
      domains: (data.success ? data.data.domains : undefined) ?? this.domains(),
      startedAt: job.processedOn ? new Date(job.processedOn).toISOString() : null,
    };
  }

  /** When the scheduled check runs next (null when no schedule is registered). */
  async nextCheckAt(): Promise<string | null> {
    const scheduler = await this.ctx.queues.get('maintenance').getJobScheduler(DRIFT_SCHEDULE_ID);
    return scheduler?.next ? new Date(scheduler.next).toISOString() : null;
  }

  /** Checks the domains one after the other; each result is saved as soon as it is known. */
  async run(domains: string[], progress: (percent: number) => Promise<void>): Promise<DriftReport[]> {
    const reports: DriftReport[] = [];
    for (const [index, domain] of domains.entries()) {
      const check = this.checks.get(domain);
      if (!check) continue;
      const started = Date.now();
      let report: DriftReport;
      try {
        const findings = await check.check((fraction) => progress(overallProgress(index, domains.length, fraction)));
        report = toReport(domain, { findings }, new Date(), Date.now() - started);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const status = error instanceof DriftNotConfiguredError ? 'not_configured' : 'error';
        if (status === 'error') this.ctx.logger.warn({ err: error, domain }, 'drift check failed');
        report = toReport(domain, { status, message }, new Date(), Date.now() - started);
      }
      await this.store.save(report);
      reports.push(report);
      await progress(overallProgress(index + 1, domains.length, 0));
    }
    return reports;
  }

  processor(): JobProcessor {
    return async (job: Job) => {
      const data = jobData.parse(job.data ?? {});
      const domains = (data.domains ?? this.domains()).filter((domain) => this.checks.has(domain));
      await job.updateProgress(0);
      const reports = await this.run(domains, (percent) => job.updateProgress(percent));
      return Object.fromEntries(reports.map((report) => [report.domain, { status: report.status, differing: report.differing }]));
    };
  }
}
