// A separate load process: sends pre-built requests over keep-alive connections at a fixed
// concurrency and prints one JSON line of results. Run: node --import tsx bench/load/http-load.ts <spec.json>
// autocannon writes raw HTTP/1.1 on its own sockets: about half the CPU per request of node's
// http client, which matters when the load process shares the machine's two cores with the worker.
import { readFileSync } from 'node:fs';

import autocannon from 'autocannon';

interface LoadSpec {
  url: string;
  concurrency: number;
  /** Each request: headers and body; sent once each, in order, by whichever connection is free. */
  requests: Array<{ headers: Record<string, string>; body: string }>;
  warmup?: number;
}

const spec = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as LoadSpec;

interface Run {
  seconds: number;
  errors: number;
  latencies: number[];
  statuses: Record<string, number>;
}

/** Sends requests[from, to) with `connections` connections; each request once, in order. */
async function send(from: number, to: number, connections: number): Promise<Run> {
  let next = from;
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const started = process.hrtime.bigint();
  let lastAnswer = started;
  let errors = 0;
  // autocannon calls back on its 1-second tick, up to a second after the last answer: the run ends
  // at the last answer instead, so a warm-up does not leave the worker idle before the measured
  // run (an end-to-end figure that starts at the first event would count that second).
  await new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (): void => {
      if (settled) return;
      settled = true;
      instance.stop();
      resolve();
    };
    const instance = autocannon(
      {
        url: spec.url,
        connections,
        amount: to - from,
        timeout: 30,
        requests: [
          {
            method: 'POST',
            setupRequest: (request) => {
              const { headers, body } = spec.requests[next++] as LoadSpec['requests'][number];
              return { ...request, method: 'POST', headers, body };
            },
          },
        ],
      },
      (error: unknown) => (error ? reject(error) : finish()),
    );
    const answered = (): void => {
      lastAnswer = process.hrtime.bigint();
      if (latencies.length + errors >= to - from) finish();
    };
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
      answered();
    });
    instance.on('reqError', () => {
      errors += 1;
      answered();
    });
  });
  return { seconds: Number(lastAnswer - started) / 1e9, errors, latencies, statuses };
}

async function run(): Promise<void> {
  const warmup = Math.min(spec.warmup ?? 0, spec.requests.length);
  if (warmup > 0) await send(0, warmup, 1);
  const cpuBefore = process.cpuUsage();
  const { seconds, errors, latencies, statuses } = await send(warmup, spec.requests.length, spec.concurrency);
  const cpu = process.cpuUsage(cpuBefore);
  latencies.sort((a, b) => a - b);
  const pick = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  process.stdout.write(
    `${JSON.stringify({
      sent: latencies.length + errors,
      errors,
      seconds,
      perSecond: latencies.length / seconds,
      p50: pick(0.5),
      p95: pick(0.95),
      p99: pick(0.99),
      max: latencies.at(-1) ?? 0,
      statuses,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
    })}\n`,
  );
}

run().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
