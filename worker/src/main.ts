import { ConfigError, loadConfig } from './config';
import { createLogger } from './core/logger';
import { startRuntime } from './runtime';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const issue of error.issues) process.stderr.write(`sync-hub worker: invalid configuration: ${issue.variable} ${issue.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const runtime = await startRuntime(config, logger);
  logger.info({ url: runtime.url, adminTokenFile: runtime.adminTokenFile ?? '(from SYNCHUB_ADMIN_TOKEN)' }, 'sync hub worker listening');
  process.stdout.write(`Sync Hub worker listening on ${runtime.url}\n`);
  process.stdout.write(`Admin token: ${runtime.adminTokenFile ?? 'taken from SYNCHUB_ADMIN_TOKEN'}\n`);

  let signals = 0;
  const shutdown = (signal: string) => {
    signals += 1;
    if (signals > 1) process.exit(1);
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown took longer than allowed; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    force.unref();
    runtime.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`sync-hub worker failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
