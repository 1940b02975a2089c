/** The one polling loop of the tests: reads until `accept` says yes or the deadline passes. */
async function poll<T>(what: string, read: () => T | Promise<T>, accept: (value: T) => boolean, timeoutMs: number, everyMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/**
 * Polls `read` until `done` accepts its value, and resolves with that value; past the deadline it
 * rejects with the last value seen, so a failure says what was there instead.
 */
export function until<T>(what: string, read: () => T | Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000, everyMs = 200): Promise<T> {
  return poll(what, read, done, timeoutMs, everyMs);
}

type Found<T> = T | undefined | null | false;

/**
 * Polls `probe` until it returns something (not undefined, null or false) and resolves with it. A
 * probe that throws counts as "not yet" (a server still starting); its last error is in the failure.
 */
export async function untilFound<T>(what: string, probe: () => Found<T> | Promise<Found<T>>, timeoutMs = 10_000, everyMs = 50): Promise<T> {
  let lastError: unknown;
  const read = async (): Promise<Found<T>> => {
    try {
      return await probe();
    } catch (error) {
      lastError = error;
      return undefined;
    }
  };
  try {
    return (await poll(what, read, (value) => value !== undefined && value !== null && value !== false, timeoutMs, everyMs)) as T;
  } catch (error) {
    throw lastError instanceof Error ? new Error(`${(error as Error).message}; last error: ${lastError.message}`) : error;
  }
}
