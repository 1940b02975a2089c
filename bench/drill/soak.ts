// The soak: intake's capacity measured (closed loop), then intake at 70 % of it for the given
// time (open loop, a fixed arrival rate): p99 per minute against the first minute, and the
// worker's RSS sampled throughout (flat = no leak).
import { readFileSync } from 'node:fs';
import os from 'node:os';

import { pluginHeaders } from '../../test/support/signing';
import { wcOrder } from '../../test/worker/bookings/fixtures';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
};

function rssMb(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number((Number(match[1]) / 1024).toFixed(1)) : null;
  } catch {
    return null;
  }
}

let nextId = 9_000_000;
async function postOne(url: string): Promise<{ ok: boolean; ms: number }> {
  const id = nextId++;
  // A paid order without booking items: intake persists and dispatches it, the domains ignore it.
  const body = JSON.stringify(wcOrder(id, { plainItems: true }));
  const start = performance.now();
  try {
    const response = await fetch(`${url}/webhook/order`, {
      method: 'POST',
      headers: pluginHeaders(body, `soak-${id}`),
      body,
      signal: AbortSignal.timeout(10_000),
    });
    await response.arrayBuffer();
    return { ok: response.status === 202, ms: performance.now() - start };
  } catch {
    return { ok: false, ms: performance.now() - start };
  }
}

export async function runSoak(options: { url: string; pid: () => number | undefined; durationMs: number }): Promise<Record<string, unknown>> {
  // 1. Capacity: 16 senders back to back for 15 s.
  const capacityMs = 15_000;
  let accepted = 0;
  const capacityEnd = Date.now() + capacityMs;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (Date.now() < capacityEnd) if ((await postOne(options.url)).ok) accepted += 1;
    }),
  );
  const capacity = accepted / (capacityMs / 1000);
  const rate = Math.max(1, capacity * 0.7);
  process.stdout.write(`[soak] capacity ${capacity.toFixed(0)} accepted/s; soaking at ${rate.toFixed(0)}/s for ${options.durationMs / 1000} s\n`);
  await sleep(5_000);

  // 2. Open loop at 70 %.
  const minutes: Array<{ latencies: number[]; failed: number }> = [];
  const rss: Array<{ second: number; mb: number | null }> = [];
  const started = Date.now();
  const pending = new Set<Promise<void>>();
  const sampler = setInterval(() => rss.push({ second: Math.round((Date.now() - started) / 1000), mb: rssMb(options.pid()) }), 10_000);
  rss.push({ second: 0, mb: rssMb(options.pid()) });
  const interval = 1000 / rate;
  let sent = 0;
  while (Date.now() - started < options.durationMs) {
    const due = started + sent * interval;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait);
    sent += 1;
    // Requests sent in the last instant count in the last whole minute (no one-request bucket).
    const minute = Math.min(Math.floor((Date.now() - started) / 60_000), Math.max(0, Math.ceil(options.durationMs / 60_000) - 1));
    const promise = postOne(options.url).then((result) => {
      const bucket = (minutes[minute] ??= { latencies: [], failed: 0 });
      if (result.ok) bucket.latencies.push(result.ms);
      else bucket.failed += 1;
    });
    pending.add(promise);
    void promise.finally(() => pending.delete(promise));
  }
  await Promise.all([...pending]);
  clearInterval(sampler);
  rss.push({ second: Math.round((Date.now() - started) / 1000), mb: rssMb(options.pid()) });

  const perMinute = minutes.map((bucket, index) => ({
    minute: index + 1,
    accepted: bucket?.latencies.length ?? 0,
    failed: bucket?.failed ?? 0,
    p50_ms: Number(percentile(bucket?.latencies ?? [], 50).toFixed(1)),
    p99_ms: Number(percentile(bucket?.latencies ?? [], 99).toFixed(1)),
  }));
  const first = perMinute[0]?.p99_ms ?? Number.NaN;
  const worst = Math.max(...perMinute.map((entry) => entry.p99_ms));
  const samples = rss.map((entry) => entry.mb).filter((mb): mb is number => mb !== null);
  // Flat RSS: the last third's median against the first third's (after warm-up), within 10 %.
  const third = Math.max(1, Math.floor(samples.length / 3));
  const head = percentile(samples.slice(1, 1 + third), 50);
  const tail = percentile(samples.slice(-third), 50);
  return {
    capacity_accepted_per_second: Number(capacity.toFixed(1)),
    rate_per_second: Number(rate.toFixed(1)),
    duration_seconds: Math.round((Date.now() - started) / 1000),
    requests: sent,
    per_minute: perMinute,
    p99_first_minute_ms: first,
    p99_worst_minute_ms: worst,
    p99_within_20_percent_of_first_minute: perMinute.every((entry) => entry.p99_ms <= first * 1.2),
    rss_mb_samples: rss,
    rss_mb_first_third_median: head,
    rss_mb_last_third_median: tail,
    rss_flat_within_10_percent: tail <= head * 1.1,
    load_average_at_end: os.loadavg().map((value) => Number(value.toFixed(2))),
  };
}
