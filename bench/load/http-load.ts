// A separate load process: sends pre-built requests over keep-alive connections at a fixed
// concurrency and prints one JSON line of results. Run: node --import tsx bench/load/http-load.ts <spec.json>
import { readFileSync } from 'node:fs';
import http from 'node:http';

interface LoadSpec {
  url: string;
  concurrency: number;
  /** Each request: headers and body; sent once each, in order, by whichever connection is free. */
  requests: Array<{ headers: Record<string, string>; body: string }>;
  warmup?: number;
}

const spec = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as LoadSpec;
const target = new URL(spec.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: spec.concurrency });

function send(request: LoadSpec['requests'][number]): Promise<{ status: number; ms: number }> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: { ...request.headers, 'Content-Length': Buffer.byteLength(request.body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
      },
    );
    req.on('error', reject);
    req.end(request.body);
  });
}

async function run(): Promise<void> {
  const warmup = spec.warmup ?? 0;
  for (let i = 0; i < warmup; i++) await send(spec.requests[i] as LoadSpec['requests'][number]);
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let next = warmup;
  let errors = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: spec.concurrency }, async () => {
      for (;;) {
        const index = next++;
        if (index >= spec.requests.length) return;
        try {
          const result = await send(spec.requests[index] as LoadSpec['requests'][number]);
          latencies.push(result.ms);
          statuses[result.status] = (statuses[result.status] ?? 0) + 1;
        } catch {
          errors += 1;
        }
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  const pick = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  process.stdout.write(
    `${JSON.stringify({ sent: latencies.length + errors, errors, seconds, perSecond: latencies.length / seconds, p50: pick(0.5), p95: pick(0.95), p99: pick(0.99), max: latencies.at(-1) ?? 0, statuses })}\n`,
  );
  agent.destroy();
}

run().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
