import { buildApp, loggerOptions } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/client.js';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Collaro cannot start: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }

  const database = await openDatabase(
    config.databaseUrl ? { kind: 'postgres', url: config.databaseUrl, timeoutMs: config.databaseTimeoutMs } : { kind: 'embedded', dataDir: config.dataDir },
  );
  await database.migrate();
  // A person at a terminal reads lines ("INFO: Collaro is running at …"); a log collector gets JSON.
  const logger = process.stdout.isTTY
    ? {
        ...(loggerOptions(config.logLevel) as object),
        stream: (await import('pino-pretty')).default({ colorize: true, translateTime: 'HH:MM:ss', ignore: 'pid,hostname' }),
      }
    : undefined;
  const app = await buildApp({ config, database, logger });

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const forceExit = setTimeout(() => process.exit(1), 10_000);
    forceExit.unref();
    try {
      await app.close();
      await database.close();
      process.exit(0);
    } catch (error) {
      app.log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen({ host: config.host, port: config.port });
  app.log.info({ url: config.publicUrl, dataDir: config.dataDir, database: database.location }, `Collaro is running at ${config.publicUrl}`);
}

main().catch((error: unknown) => {
  console.error('Collaro failed to start:', error);
  process.exit(1);
});
