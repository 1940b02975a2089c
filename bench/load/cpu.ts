// CPU taken by each process during a run, read from /proc (Linux): on a two-core machine the
// worker, MariaDB, Redis and the load process share the same cores, so this shows where they go.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = 100;

function cpuSeconds(pid: number): number | null {
  try {
    // Fields after the ")" of the command name: utime and stime are the 12th and 13th.
    const fields = (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

function oldestPid(name: string): number | null {
  try {
    return Number(execFileSync('pgrep', ['-o', name]).toString().trim()) || null;
  } catch {
    return null;
  }
}

/** Starts counting; `stop(seconds)` gives cores used per process (1.0 = one core busy), `seconds()` the CPU seconds spent. */
export function watchCpu(processes: Record<string, number | undefined>) {
  const pids: Record<string, number | null> = { mariadb: oldestPid('mariadbd'), redis: oldestPid('redis-server') };
  for (const [name, pid] of Object.entries(processes)) pids[name] = pid ?? null;
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, pid ? cpuSeconds(pid) : null]));
  const spent = (): Record<string, number | null> =>
    Object.fromEntries(
      Object.entries(pids).map(([name, pid]) => {
        const start = before[name];
        const end = pid ? cpuSeconds(pid) : null;
        return [name, start === null || start === undefined || end === null ? null : end - start];
      }),
    );
  return {
    seconds: spent,
    stop(seconds: number): Record<string, number | null> {
      return Object.fromEntries(Object.entries(spent()).map(([name, value]) => [name, value === null ? null : +(value / seconds).toFixed(2)]));
    },
  };
}

/** CPU milliseconds per 1,000 units of work, per process: steadier than rates on a shared machine. */
export const perThousand = (seconds: Record<string, number | null>, units: number): Record<string, number | null> =>
  Object.fromEntries(Object.entries(seconds).map(([name, value]) => [name, value === null ? null : Math.round((value * 1_000_000) / units)]));
