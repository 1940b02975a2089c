import { performance, type EventLoopUtilization } from 'node:perf_hooks';

import type { Logger } from './logger';

/**
 * V8 keeps the heap a busy spell grew to (the young generation stays at its high-water size) until
 * a full collection, which an idle process never triggers: a worker that synced once idles at
 * ~130 MB of which ~30 MB is empty young generation. When the event loop has been idle for a whole
 * window, one full collection hands that memory back; it runs again only after the next busy spell.
 * Needs `node --expose-gc` (scripts/start.sh, the systemd units); without it this does nothing.
 */

/** Busier than this share of a window (the 1 % of polling and health checks) is not idle. */
export const IDLE_UTILIZATION = 0.02;
export const IDLE_WINDOW_MS = 30_000;

export interface IdleState {
  /** Compacted since the last busy window: nothing new to give back. */
  compacted: boolean;
}

/** Whether to collect now, and the state for the next window. */
export function idleDecision(utilization: number, state: IdleState): { collect: boolean; next: IdleState } {
  if (utilization > IDLE_UTILIZATION) return { collect: false, next: { compacted: false } };
  if (state.compacted) return { collect: false, next: state };
  return { collect: true, next: { compacted: true } };
}

export interface IdleCompactionOptions {
  logger: Logger;
  windowMs?: number;
  /** The full collection (node --expose-gc puts it on globalThis). */
  gc?: (() => void) | undefined;
  /** Event-loop utilization since `previous` (perf_hooks). */
  utilization?: (previous?: EventLoopUtilization) => EventLoopUtilization;
}

/** Starts the idle check; returns its stop function. */
export function startIdleCompaction(options: IdleCompactionOptions): () => void {
  const gc = options.gc ?? (globalThis as { gc?: () => void }).gc;
  if (!gc) {
    options.logger.debug('node runs without --expose-gc: idle memory is not compacted');
    return () => undefined;
  }
  const measure = options.utilization ?? ((previous) => performance.eventLoopUtilization(previous));
  let mark = measure();
  let state: IdleState = { compacted: false };
  const timer = setInterval(() => {
    const decision = idleDecision(measure(mark).utilization, state);
    state = decision.next;
    if (decision.collect) {
      const before = process.memoryUsage().rss;
      gc();
      options.logger.debug(
        { rssBeforeMb: Math.round(before / 1_048_576), rssAfterMb: Math.round(process.memoryUsage().rss / 1_048_576) },
        'idle: heap compacted',
      );
    }
    // Marked after the collection: its own time does not make the next window look busy.
    mark = measure();
  }, options.windowMs ?? IDLE_WINDOW_MS);
  timer.unref();
  return () => clearInterval(timer);
}
