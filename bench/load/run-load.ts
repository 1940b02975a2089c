import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface LoadResult {
  sent: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  statuses: Record<string, number>;
  /** CPU the load process itself used (user + system), to see what the generator takes from the machine. */
  cpuSeconds: number;
}

/** Runs bench/load/http-load.ts in its own process so the load does not share the worker's event loop. */
export async function runLoad(spec: {
  url: string;
  concurrency: number;
  requests: Array<{ headers: Record<string, string>; body: string }>;
  warmup?: number;
}): Promise<LoadResult> {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'synchub-load-')), 'spec.json');
  writeFileSync(file, JSON.stringify(spec));
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'http-load.ts'), file], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`load process exited with ${code}`);
  return JSON.parse(output.trim().split('\n').at(-1) as string) as LoadResult;
}
