import type { RedisClient } from '../../core/redis';
import { SiigoCircuitOpenError } from './errors';

export interface BreakerOptions {
  /** Consecutive counted failures that open the circuit. */
  threshold: number;
  /** How long the circuit stays open before one probe is let through. */
  cooldownMs: number;
  /** How long a probe may take before another caller may probe. */
  probeTimeoutMs: number;
}

export type BreakerState = 'closed' | 'open' | 'half_open';

/**
 * A circuit breaker kept in Redis, so every worker process of one SIIGO company sees the same
 * state: after `threshold` failures in a row no call is made for `cooldownMs`; then one probe goes
 * through — success closes the circuit, failure opens it again. This keeps the error ratio far
 * from SIIGO's blocking threshold when SIIGO is down.
 */
export class CircuitBreaker {
  private readonly keys: { failures: string; open: string; tripped: string; probe: string };

  constructor(
    private readonly redis: RedisClient,
    keyPrefix: string,
    private readonly options: BreakerOptions,
  ) {
    this.keys = { failures: `${keyPrefix}:failures`, open: `${keyPrefix}:open`, tripped: `${keyPrefix}:tripped`, probe: `${keyPrefix}:probe` };
  }

  async state(): Promise<BreakerState> {
    const [open, tripped] = await this.redis.mget(this.keys.open, this.keys.tripped);
    if (open) return 'open';
    return tripped ? 'half_open' : 'closed';
  }

  /**
   * Throws SiigoCircuitOpenError while the cooldown runs; never takes the half-open probe, so a
   * caller may check this before queueing a call whose admit() then takes the probe.
   */
  async rejectWhileOpen(): Promise<void> {
    const openFor = await this.redis.pttl(this.keys.open);
    if (openFor > 0) throw new SiigoCircuitOpenError(openFor);
  }

  /**
   * Throws SiigoCircuitOpenError unless a call may go out now. Once half-open it takes the one
   * probe: the caller must then record the call's outcome (recordSuccess / recordFailure) or give
   * the probe back (releaseProbe); otherwise every call is refused until the probe key expires.
   */
  async admit(): Promise<void> {
    await this.rejectWhileOpen();
    if (!(await this.redis.exists(this.keys.tripped))) return;
    const probe = await this.redis.set(this.keys.probe, '1', 'PX', this.options.probeTimeoutMs, 'NX');
    if (probe !== 'OK') throw new SiigoCircuitOpenError(Math.max(1, await this.redis.pttl(this.keys.probe)));
  }

  /** The probe's call ended without an answer from SIIGO: the next caller may probe at once. */
  async releaseProbe(): Promise<void> {
    await this.redis.del(this.keys.probe);
  }

  async recordSuccess(): Promise<void> {
    await this.redis.del(this.keys.failures, this.keys.tripped, this.keys.probe);
  }

  async recordFailure(): Promise<void> {
    if (await this.redis.exists(this.keys.tripped)) {
      await this.open();
      return;
    }
    const failures = await this.redis.incr(this.keys.failures);
    if (failures === 1) await this.redis.pexpire(this.keys.failures, Math.max(this.options.cooldownMs * 10, 60_000));
    if (failures >= this.options.threshold) await this.open();
  }

  async reset(): Promise<void> {
    await this.redis.del(this.keys.failures, this.keys.tripped, this.keys.probe, this.keys.open);
  }

  private async open(): Promise<void> {
    await this.redis
      .multi()
      .set(this.keys.open, '1', 'PX', this.options.cooldownMs)
      .set(this.keys.tripped, '1')
      .del(this.keys.probe, this.keys.failures)
      .exec();
  }
}
