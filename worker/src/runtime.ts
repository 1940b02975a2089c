import { createServer, type Server, type ServerResponse } from 'node:http';
import path from 'node:path';

import type { Worker } from 'bullmq';
import type { Config } from './core/config';
import { generateKeyHex, generateToken, loadOrCreateSecretFile, parseKey, SecretBox } from './core/crypto';
import { ensureDatabaseExists, openDatabase } from './core/db';
import { Egress } from './core/egress';
import { warnRefusedTargets } from './core/egress/startup';
import { migrateToLatest } from './core/db/migrate';
import type { AppContext, CreateDomain, Domain } from './core/domain';
import { DRIFT_JOB, DRIFT_SCHEDULE_ID, DriftService } from './core/drift/service';
import { createApp } from './core/http/app';
import { clientIp, compileTrust } from './core/http/client-ip';
import type { RawHttp } from './core/http/raw';
import type { RouteInfo } from './core/http/routes';
import { INBOUND_JOB, InboundDispatcher, inboundProcessor, INTAKE_DISPATCH_JOB, type IntakeDispatchJobData } from './core/intake/dispatcher';
import { queuesForTopic } from './core/intake/routing';
import { orderWebhookListener } from './core/intake/routes';
import { InboundEventStore } from './core/intake/store';
import type { Logger } from './core/logger';
import { connectRedis, type RedisClient } from './core/redis';
import { QueueRegistry, SHUTDOWN_REASON, startQueueWorker, type JobProcessor, type QueueName } from './core/queues';
import { SettingsStore } from './core/settings';
import { startIdleCompaction } from './core/idle-memory';
import { DOMAINS } from './domains';

export interface Runtime {
  ctx: AppContext;
  server: Server;
  url: string;
  adminTokenFile: string | null;
  /** Every route as mounted: behind the admin check, public express routes, and the raw listeners. */
  routes: { admin: RouteInfo[]; public: RouteInfo[]; raw: RouteInfo[] };
  stop(): Promise<void>;
}

export interface RuntimeOptions {
  domains?: CreateDomain[];
  /** Start queue workers (false for a process that only serves HTTP). */
  processJobs?: boolean;
}

function jobsOnly(res: ServerResponse): void {
  const body = JSON.stringify({
    error: { code: 'jobs_only', message: 'This worker process runs jobs only (SYNCHUB_ROLE=jobs); send requests to a process with the http or all role.' },
  });
  res.writeHead(404, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

export async function startRuntime(config: Config, logger: Logger, options: RuntimeOptions = {}): Promise<Runtime> {
  const secretKey = loadOrCreateSecretFile(path.join(config.dataDir, 'secret.key'), config.secretKey, generateKeyHex);
  const adminToken = loadOrCreateSecretFile(path.join(config.dataDir, 'admin-token'), config.adminToken, () => generateToken('shat_'));
  for (const changed of [...(secretKey.tightened ?? []), ...(adminToken.tightened ?? [])])
    logger.warn({ path: changed }, 'data directory was readable by others; narrowed');
  const secretBox = new SecretBox(parseKey(secretKey.value));

  await ensureDatabaseExists(config.databaseUrl);
  const database = openDatabase(config.databaseUrl);
  const redis = connectRedis(config, 'main');
  const queues = new QueueRegistry(redis, config.queuePrefix);
  const settings = new SettingsStore(database.db, secretBox);
  const ctx: AppContext = {
    config,
    logger,
    db: database.db,
    redis,
    queues,
    settings,
    secretBox,
    adminToken: adminToken.value,
    webhookSecret: config.webhookSecret,
    egress: new Egress(config.egress),
    processesJobs: options.processJobs ?? config.role !== 'http',
  };
  const domains: Domain[] = (options.domains ?? DOMAINS).map((create) => create(ctx));

  const applied = await migrateToLatest(
    database.db,
    domains.map((domain) => domain.migrations ?? {}),
  );
  if (applied.length > 0) logger.info({ migrations: applied }, 'schema migrated');

  void warnRefusedTargets(config, ctx.egress, logger);

  const store = new InboundEventStore(database.db);
  const subscriptions = domains.flatMap((domain) => (domain.inbound ? [{ queue: domain.name, topics: domain.inbound.topics }] : []));
  const dispatcher = new InboundDispatcher(store, queues, subscriptions, logger);
  const expectedQueues = (topic: string) => queuesForTopic(topic, subscriptions);

  const drift = new DriftService(ctx, new Map(domains.flatMap((domain) => (domain.drift ? [[domain.name, domain.drift()] as const] : []))));

  const processors = new Map<QueueName, Record<string, JobProcessor>>();
  processors.set('maintenance', {
    [INBOUND_JOB]: inboundProcessor(store, async () => 'processed', expectedQueues),
    [INTAKE_DISPATCH_JOB]: async (job) => {
      const { items } = job.data as IntakeDispatchJobData;
      await dispatcher.fanOut(items);
      return { dispatched: items.length };
    },
    'intake.sweep': async () => ({ reEnqueued: await dispatcher.sweep(config.intakeSweepAfterMs) }),
    [DRIFT_JOB]: drift.processor(),
  });
  for (const domain of domains) {
    const own = { ...(domain.processors?.() ?? {}) };
    if (domain.inbound) own[INBOUND_JOB] = inboundProcessor(store, domain.inbound.handler, expectedQueues);
    processors.set(domain.name, own);
  }

  const installSchedules = async (): Promise<void> => {
    await queues.upsertSchedule('maintenance', { id: 'intake-sweep', repeat: { every: config.intakeSweepEveryMs }, jobName: 'intake.sweep' });
    // The drift report on its own schedule (a job scheduler: one per Redis, whatever the number of processes).
    await queues.upsertSchedule('maintenance', {
      id: DRIFT_SCHEDULE_ID,
      repeat: { pattern: config.driftCheckPattern, tz: 'UTC' },
      jobName: DRIFT_JOB,
      data: { trigger: 'scheduled' },
      opts: { attempts: 1, removeOnComplete: { count: 20 }, removeOnFail: { count: 20 } },
    });
    for (const domain of domains) {
      for (const spec of (await domain.schedules?.()) ?? []) await queues.upsertSchedule(domain.name, spec);
    }
  };
  await installSchedules();
  // A Redis restarted without persistence comes back empty: the schedules (and with them every
  // sweeper that rebuilds the queues from MySQL) would be gone until the next worker restart.
  // Upserting is idempotent, so they are put back on every reconnect.
  redis.on('ready', () => {
    installSchedules().then(
      () => logger.info('Redis reconnected; schedules ensured'),
      (error: unknown) => logger.warn({ err: error }, 'could not re-install schedules after a Redis reconnect'),
    );
  });

  for (const domain of domains) {
    await domain.start?.().catch((error: unknown) => logger.warn({ err: error, domain: domain.name }, 'domain start-up step failed'));
  }

  const workers: Worker[] = [];
  // One connection per queue worker: Worker.close() closes the client it was given, so a shared
  // one would be pulled from under the other workers still shutting down.
  const workerConnections: RedisClient[] = [];
  if (ctx.processesJobs) {
    for (const [queue, table] of processors) {
      const domain = domains.find((entry) => entry.name === queue);
      const connection = connectRedis(config, `worker:${queue}`);
      workerConnections.push(connection);
      workers.push(startQueueWorker({ queue, connection, prefix: config.queuePrefix, concurrency: domain?.concurrency ?? 10, processors: table, logger }));
    }
  }

  let draining = false;
  const isDraining = () => draining;
  const trust = compileTrust(config.http.trustProxy);
  const { app, routes } = createApp({ ctx, domains, isDraining, trust, drift });
  const rawHttp: RawHttp = { isDraining, clientIp: (req) => clientIp(req, trust), logger };
  const rawListeners = [
    orderWebhookListener({ store, dispatcher, webhookSecret: () => ctx.webhookSecret, logger }, rawHttp),
    ...domains.flatMap((domain) => domain.rawRoutes?.(rawHttp) ?? []),
  ];
  const limits = config.http;
  const server = createServer(
    {
      // Node's defaults let a slow client hold a socket for minutes (60 s for headers, 300 s per request).
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // Both limits are enforced by a periodic sweep (30 s by default): run it often enough to keep them.
      connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 4))),
    },
    config.role === 'jobs'
      ? (req, res) => {
          // A jobs process takes no traffic: only the health check, for its supervisor.
          if (req.url === '/health' || req.url?.startsWith('/health?')) app(req, res);
          else jobsOnly(res);
        }
      : (req, res) => {
          if (!rawListeners.some((listener) => listener(req, res))) app(req, res);
        },
  );
  server.maxConnections = limits.maxConnections;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.http.port, config.http.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  const url = `http://${config.http.host}:${port}`;
  const stopIdleCompaction = startIdleCompaction({ logger });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      draining = true;
      stopIdleCompaction();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = Date.now() + config.shutdownTimeoutMs - 1_000;
      // Active jobs get until the deadline to finish; after that they are handed back to the queue.
      const graceful = Promise.all(workers.map((worker) => worker.close()));
      const timedOut = await Promise.race([
        graceful.then(() => false),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(true), Math.max(0, deadline - Date.now())).unref()),
      ]);
      if (timedOut) {
        logger.warn('active jobs did not finish in time; returning them to the queue');
        for (const worker of workers) worker.cancelAllJobs(SHUTDOWN_REASON);
        await Promise.race([graceful, new Promise((resolve) => setTimeout(resolve, 800).unref())]);
        await Promise.all(workers.map((worker) => worker.close(true)));
      }
      await Promise.all(domains.map((domain) => domain.close?.()));
      await store.flush();
      await dispatcher.flush().catch(() => undefined);
      server.closeAllConnections();
      await closed;
      await queues.close();
      await Promise.all(workers.map((worker) => worker.disconnect().catch(() => undefined)));
      // quit (not disconnect) lets replies still in flight arrive instead of rejecting.
      await Promise.all([redis, ...workerConnections].map((connection) => connection.quit().catch(() => undefined)));
      await database.close();
      await ctx.egress.close();
    })();
    return stopping;
  };

  return { ctx, server, url, adminTokenFile: adminToken.file, routes, stop };
}
