import { afterAll } from 'vitest';

import { dropRedisPrefix, prefixesMade } from './db';

// Suites start runtimes and worker processes, each on its own BullMQ prefix, and stop them in their
// own afterAll; this one runs after those (after-hooks run in reverse order) and drops the keys
// they left in Redis, e.g. those of worker processes a test started and killed.
afterAll(async () => {
  for (const prefix of prefixesMade) await dropRedisPrefix(prefix);
  prefixesMade.clear();
});
