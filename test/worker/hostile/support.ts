import { Agent, request, type IncomingHttpHeaders } from 'node:http';

import { sql } from 'kysely';

import { scanTargets } from '../../../worker/src/core/redis';
import { webhookKey } from '../../../worker/src/stock/settings';
import { adminHeaders, startTestRuntime, type TestRuntime } from '../../support/runtime';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 8 });

/**
 * One request with the path sent byte for byte (fetch would resolve `..`, `./` and `\`). With
 * `chunked`, the body goes in 64 KB chunks without a length, so a size limit must hold while reading.
 */
export function send(
  baseUrl: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string | Buffer; chunked?: boolean } = {},
): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const { body, chunked = false } = options;
  // Node frames GET, DELETE and OPTIONS bodies only with an explicit length.
  const framing = body === undefined ? {} : chunked ? { 'Transfer-Encoding': 'chunked' } : { 'Content-Length': String(Buffer.byteLength(body)) };
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, method, path, headers: { ...framing, ...options.headers }, agent: chunked ? false : agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    // A server that refused the body may close before it was all sent: its answer still comes.
    req.on('error', (error: NodeJS.ErrnoException) => (chunked && (error.code === 'EPIPE' || error.code === 'ECONNRESET') ? undefined : reject(error)));
    if (body !== undefined && chunked) {
      const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
      for (let offset = 0; offset < bytes.length; offset += 64 * 1024) req.write(bytes.subarray(offset, offset + 64 * 1024));
      req.end();
    } else {
      req.end(body);
    }
  });
}

/** The `error.code` of a JSON error answer, or what came instead (for failure messages). */
export function errorCode(response: RawResponse): string {
  try {
    const body = JSON.parse(response.text) as { error?: { code?: unknown } };
    return typeof body.error?.code === 'string' ? body.error.code : `not an error body: ${response.text.slice(0, 200)}`;
  } catch {
    return `not JSON: ${response.text.slice(0, 200)}`;
  }
}

export interface Snapshot {
  /** CHECKSUM TABLE of every table of the test database: changes on any insert, update or delete. */
  tables: Record<string, string>;
  /** Jobs per queue (nothing consumes them: the hostile runtimes run no queue workers). */
  jobs: Record<string, number>;
  /** Redis keys under the runtime's prefix (a job, a lock, a rate-limit counter…). */
  redisKeys: number;
}

// The schema is migrated once at start: read the table list once per runtime.
const tableLists = new WeakMap<TestRuntime, Promise<string[]>>();
function tableNames(runtime: TestRuntime): Promise<string[]> {
  let names = tableLists.get(runtime);
  if (!names) {
    names = sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY table_name`
      .execute(runtime.ctx.db)
      .then((result) => result.rows.map((row) => row.name));
    tableLists.set(runtime, names);
  }
  return names;
}

/** Everything a request could have written, to compare before and after. */
export async function snapshot(runtime: TestRuntime): Promise<Snapshot> {
  const names = await tableNames(runtime);
  const tables: Record<string, string> = {};
  if (names.length > 0) {
    const list = sql.join(names.map((name) => sql.id(name)));
    const sums = await sql<{ Table: string; Checksum: string | number | null }>`CHECKSUM TABLE ${list}`.execute(runtime.ctx.db);
    for (const row of sums.rows) tables[row.Table.split('.').pop() ?? row.Table] = String(row.Checksum);
  }
  const counts = await runtime.ctx.queues.counts();
  const jobs: Record<string, number> = {};
  for (const [queue, count] of Object.entries(counts)) jobs[queue] = count.waiting + count.active + count.failed + count.delayed;
  let redisKeys = 0;
  for (const node of scanTargets(runtime.ctx.redis)) {
    for await (const keys of node.scanStream({ match: `${runtime.prefix}:*`, count: 1000 }) as AsyncIterable<string[]>) redisKeys += keys.length;
  }
  return { tables, jobs, redisKeys };
}

/** Row count of one table (for assertions that name the table that must stay untouched). */
export async function rows(runtime: TestRuntime, table: string): Promise<number> {
  const result = await sql<{ n: number | string }>`SELECT COUNT(*) AS n FROM ${sql.table(table)}`.execute(runtime.ctx.db);
  return Number(result.rows[0]?.n ?? 0);
}

export interface HostileWorker {
  runtime: TestRuntime;
  /** A live integration token (no per-minute limit to speak of). */
  integrationToken: string;
  /** The SIIGO callback key of this worker. */
  siigoKey: string;
}

/** Every domain, no queue workers (an enqueued job stays visible), a token and a callback key. */
export async function startHostileWorker(env: Record<string, string> = {}): Promise<HostileWorker> {
  const runtime = await startTestRuntime({ processJobs: false, env });
  const generated = await fetch(`${runtime.url}/api/v1/integrations/tokens/generate/`, {
    method: 'POST',
    headers: adminHeaders(),
    body: JSON.stringify({ name: 'hostile', rate_limit_per_minute: 1_000_000 }),
  });
  if (generated.status !== 201) throw new Error(`token generation failed: ${generated.status} ${await generated.text()}`);
  const { token } = (await generated.json()) as { token: string };
  const siigoKey = await webhookKey(runtime.ctx);
  // Token use is counted in batches: let the generation settle before anything is compared.
  await new Promise((resolve) => setTimeout(resolve, 100));
  return { runtime, integrationToken: token, siigoKey };
}

/** SIIGO deliveries that were not refused (refusals are logged by design, without effect). */
export async function acceptedSiigoLogs(runtime: TestRuntime): Promise<number> {
  const result = await sql<{ n: number | string }>`SELECT COUNT(*) AS n FROM synchub_stock_webhook_logs WHERE status <> 'rejected'`.execute(runtime.ctx.db);
  return Number(result.rows[0]?.n ?? 0);
}

/**
 * Nothing written between `before` and now: every table's checksum and every queue. The SIIGO
 * log may gain refusals when `siigoRefusals` is set (the delivery reached its handler), but no
 * accepted delivery.
 */
export async function expectUnchanged(
  runtime: TestRuntime,
  before: Snapshot,
  acceptedLogsBefore: number,
  options: { siigoRefusals?: boolean } = {},
): Promise<void> {
  const after = await snapshot(runtime);
  const strip = (shot: Snapshot) => {
    const tables = { ...shot.tables };
    if (options.siigoRefusals) delete tables.synchub_stock_webhook_logs;
    return { tables, jobs: shot.jobs };
  };
  if (JSON.stringify(strip(after)) !== JSON.stringify(strip(before))) {
    throw new Error(`something was written:\nbefore ${JSON.stringify(strip(before))}\nafter  ${JSON.stringify(strip(after))}`);
  }
  const accepted = await acceptedSiigoLogs(runtime);
  if (accepted !== acceptedLogsBefore) throw new Error(`SIIGO deliveries accepted: ${acceptedLogsBefore} → ${accepted}`);
}
