import { Queue, QueueEvents, Worker, type Job } from 'bullmq';

import type { Logger } from '../../core/logger';
import { RedisLocks } from '../../core/locks';
import { CircuitBreaker, type BreakerState } from './breaker';
import { companyIdFor, limiterFor, type SiigoConfig } from './config';
import { fromErrorData, SiigoAuthError, SiigoError, SiigoRateLimitError, toErrorData, type SiigoErrorData } from './errors';
import { TokenCache, type Sealer } from './token-cache';
import { SiigoTransport, type FetchLike, type SiigoRequest, type SiigoResponse } from './transport';
import { duplicateClient, type RedisClient } from '../../core/redis';

type CallResult = ({ ok: true } & SiigoResponse) | { ok: false; error: SiigoErrorData };

/** A queued SIIGO call: one request, or the token request alone. */
interface CallJobData {
  request?: SiigoRequest;
  auth?: boolean;
}

export interface GatewayOptions {
  config: SiigoConfig;
  /** Redis for the queue, token cache and breaker; the worker and events get duplicates. */
  redis: RedisClient;
  prefix: string;
  sealer: Sealer;
  logger: Logger;
  fetchImpl?: FetchLike;
  /** Calls served at once by this process (the shared limiter still caps the rate). */
  concurrency?: number;
  /** Times one call is put back after a 429 before it fails. */
  maxRateLimitRetries?: number;
}

/**
 * Every SIIGO request of one company runs as a job of one BullMQ queue (`siigo-<company>`) with a
 * global rate limit in Redis, so all worker processes together stay under SIIGO's limit. A 429
 * pauses the whole queue (`rateLimit`, honouring Retry-After, else exponential) and puts the call
 * back. The token and the circuit breaker live in Redis too.
 */
export class SiigoGateway {
  readonly companyId: string;
  readonly queueName: string;
  readonly breaker: CircuitBreaker;
  private readonly queue: Queue;
  private readonly events: QueueEvents;
  private readonly worker: Worker;
  private readonly tokens: TokenCache;
  private readonly locks: RedisLocks;
  private readonly transport: SiigoTransport;
  private refreshing: Promise<string> | null = null;
  private authenticating: Promise<SiigoResponse> | null = null;
  private readonly ready: Promise<unknown>;
  private readonly keyPrefix: string;
  private readonly redis: RedisClient;

  constructor(private readonly options: GatewayOptions) {
    const { config, redis, prefix } = options;
    this.companyId = companyIdFor(config);
    this.queueName = `siigo-${this.companyId}`;
    const limiter = limiterFor(config.ratePerMinute, config.rateWindowMs);
    this.queue = new Queue(this.queueName, { connection: redis, prefix, defaultJobOptions: { attempts: 1, removeOnComplete: true, removeOnFail: true } });
    this.ready = this.queue.setGlobalRateLimit(limiter.max, limiter.duration);
    this.events = new QueueEvents(this.queueName, { connection: duplicateClient(redis), prefix });
    this.worker = new Worker(this.queueName, (job, token) => this.process(job, token), {
      connection: duplicateClient(redis),
      prefix,
      concurrency: options.concurrency ?? 4,
      limiter,
    });
    this.worker.on('error', (error) => options.logger.warn({ err: error, queue: this.queueName }, 'SIIGO call worker error'));
    const keyPrefix = `${prefix}:siigo:${this.companyId}`;
    this.keyPrefix = keyPrefix;
    this.redis = redis;
    this.breaker = new CircuitBreaker(redis, `${keyPrefix}:breaker`, {
      threshold: config.breakerThreshold,
      cooldownMs: config.breakerCooldownMs,
      probeTimeoutMs: config.timeoutMs + 5_000,
    });
    this.tokens = new TokenCache(redis, `${keyPrefix}:token`, options.sealer);
    this.locks = new RedisLocks(redis);
    this.transport = new SiigoTransport(config, options.fetchImpl);
  }

  /** Sends one request through the shared limiter; resolves with SIIGO's answer or throws a SiigoError. */
  async call(request: SiigoRequest): Promise<SiigoResponse> {
    await this.ready;
    // Fail fast without queueing while the circuit is open. Only process() admits (and so may take
    // the half-open probe), because only process() records the outcome that releases it.
    await this.breaker.rejectWhileOpen();
    // The token request takes its own slot of the limiter (SIIGO counts it too).
    if (!(await this.tokens.get())) {
      this.authenticating ??= this.run({ auth: true }).finally(() => {
        this.authenticating = null;
      });
      await this.authenticating;
    }
    return this.run({ request });
  }

  private async run(data: CallJobData): Promise<SiigoResponse> {
    const job = await this.queue.add(data.auth ? 'auth' : 'call', data);
    const result = (await job.waitUntilFinished(this.events)) as CallResult;
    if (!result.ok) throw fromErrorData(result.error);
    return { status: result.status, body: result.body };
  }

  breakerState(): Promise<BreakerState> {
    return this.breaker.state();
  }

  /** Forgets the cached token (credentials changed). */
  clearToken(): Promise<void> {
    return this.tokens.clear();
  }

  async close(): Promise<void> {
    await this.worker.close();
    await this.events.close();
    await this.queue.close();
    await Promise.all([this.worker.disconnect().catch(() => undefined)]);
  }

  private async process(job: Job, token: string | undefined): Promise<CallResult> {
    const { request, auth } = job.data as CallJobData;
    try {
      await this.breaker.admit();
    } catch (error) {
      if (error instanceof SiigoError) return { ok: false, error: toErrorData(error) };
      throw error;
    }
    try {
      const response = auth || !request ? await this.ensureToken() : await this.sendAuthorized(request);
      await this.breaker.recordSuccess();
      return { ok: true, ...response };
    } catch (error) {
      if (!(error instanceof SiigoError)) {
        // Not an answer from SIIGO: a probe taken by admit() goes back instead of blocking calls.
        await this.breaker.releaseProbe().catch(() => undefined);
        throw error;
      }
      if (error.countsAsFailure) await this.breaker.recordFailure();
      else await this.breaker.recordSuccess();
      const retries = this.options.maxRateLimitRetries ?? 5;
      if (error instanceof SiigoRateLimitError && job.attemptsStarted <= retries && token) {
        const delay = error.retryAfterMs ?? Math.min(this.options.config.rateWindowMs, 1_000 * 2 ** Math.max(0, job.attemptsStarted - 1));
        this.options.logger.warn({ queue: this.queueName, delayMs: delay }, 'SIIGO answered 429; pausing SIIGO calls');
        await this.worker.rateLimit(Math.max(1, delay));
        throw Worker.RateLimitError();
      }
      return { ok: false, error: toErrorData(error) };
    }
  }

  private async sendAuthorized(request: SiigoRequest): Promise<SiigoResponse> {
    const token = (await this.tokens.get()) ?? (await this.refreshToken());
    try {
      return await this.transport.send(request, token);
    } catch (error) {
      // Expired or revoked token: authenticate once more and repeat the request once.
      if (!(error instanceof SiigoAuthError) || error.status !== 401) throw error;
      await this.tokens.clear();
      return this.transport.send(request, await this.refreshToken());
    }
  }

  private async ensureToken(): Promise<SiigoResponse> {
    if (!(await this.tokens.get())) await this.refreshToken();
    return { status: 201, body: null };
  }

  /**
   * One token request per company at a time across processes (an owner-checked Redis lock); the
   * others wait for the token to appear in the cache. A waiter that gives up after the lock's time
   * asks for a token itself, and never removes the lock another process holds.
   */
  private refreshToken(): Promise<string> {
    this.refreshing ??= (async () => {
      const lockMs = this.options.config.timeoutMs + 1_000;
      let shared: string | undefined;
      const lock = await this.locks.acquire(`${this.keyPrefix}:auth-lock`, lockMs, {
        waitMs: lockMs,
        giveUp: async () => Boolean((shared = (await this.tokens.get()) ?? undefined)),
      });
      try {
        if (!lock && shared) return shared;
        const { token, expiresInMs } = await this.transport.authenticate();
        await this.tokens.set(token, expiresInMs);
        return token;
      } finally {
        await lock?.release().catch(() => undefined);
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }
}
