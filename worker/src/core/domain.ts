import type { Router } from 'express';
import type { Migration } from 'kysely';

import type { Config } from './config';
import type { SecretBox } from './crypto';
import type { Db } from './db';
import type { ActivitySource } from './activity/types';
import type { DriftCheck } from './drift/types';
import type { Egress } from './egress';
import type { RawHttp, RawListener } from './http/raw';
import type { Logger } from './logger';
import type { JobProcessor, QueueName, QueueRegistry, ScheduleSpec } from './queues';
import type { InboundEvent, InboundHandler } from './intake/types';
import type { SettingsStore } from './settings';
import type { RedisClient } from './redis';

export type { InboundEvent, InboundHandler };

/** What every part of the worker is handed: built once in main.ts, no module-level singletons. */
export interface AppContext {
  config: Config;
  logger: Logger;
  db: Db;
  redis: RedisClient;
  queues: QueueRegistry;
  settings: SettingsStore;
  secretBox: SecretBox;
  adminToken: string;
  webhookSecret: string | undefined;
  /** Whether this process runs queue workers (role `all` or `jobs`), not only HTTP. */
  processesJobs: boolean;
  /** Outbound HTTP for every connector: refuses targets SYNCHUB_ALLOW_PRIVATE_TARGETS does not allow. */
  egress: Egress;
}

export type HealthFields = Partial<Record<'store_connection' | 'odoo_connection' | 'siigo_connection', boolean | null>>;

/**
 * One domain (events, bookings, stock, products) built for one runtime by its factory: every
 * part below is already bound to the context it was built with, so a domain keeps its clients
 * and caches as plain fields and nothing is looked up per context.
 */
export interface Domain {
  name: Exclude<QueueName, 'maintenance'>;
  migrations?: Record<string, Migration>;
  /** Concurrency of this domain's queue worker in one process. */
  concurrency?: number;
  /**
   * Routes anyone may call; each authenticates its caller itself (signature, callback key,
   * integration token). Keep this list short: the hostile-input suite names every one.
   */
  publicRouter?(): Router;
  /** Routes mounted behind the admin bearer check (core/http/app.ts): they never see an unauthenticated request. */
  adminRouter?(): Router;
  /** Hot public POST routes served before express (core/http/raw.ts). */
  rawRoutes?(http: RawHttp): RawListener[];
  processors?(): Record<string, JobProcessor>;
  schedules?(): ScheduleSpec[] | Promise<ScheduleSpec[]>;
  /** Intake events this domain handles (topics such as `order.paid` or `order.*`). */
  inbound?: { topics: string[]; handler: InboundHandler };
  health?(): Promise<HealthFields>;
  /** This domain's reconciliation for the drift report (core/drift): source vs target, and re-sync by id. */
  drift?(): DriftCheck;
  /** Counts per day or hour for the admin page's charts (core/activity). */
  activity?(): ActivitySource;
  /** Called once the queues and schedules are ready, in every process; failures are logged, never fatal. */
  start?(): Promise<void>;
  /** Called on shutdown after the queue workers stopped. */
  close?(): Promise<void>;
}

/** How the runtime builds a domain: called once per runtime, before migrations; no I/O here. */
export type CreateDomain = (ctx: AppContext) => Domain;
