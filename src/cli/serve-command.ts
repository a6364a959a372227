import type { Command } from 'commander';
import { ConfigError, envNames, loadConfig } from '../config/load-config.js';
import type { QuiverConfig } from '../config/quiver-config.js';
import { createLogger } from '../observability/logger.js';
import { startNode } from './quiver-node.js';

interface ServeOptions {
  config?: string;
  dataDir?: string;
  port?: string;
  metricsPort?: string;
  host?: string;
  logLevel?: string;
  walSync?: string;
  autoLoad?: boolean;
  searchThreads?: string;
}

export function registerServeCommand(program: Command, version: string): void {
  program
    .command('serve')
    .description('Run a Quiver server: Milvus gRPC API, plus health and Prometheus metrics')
    .option('-c, --config <file>', `YAML or JSON settings file (or ${'QUIVER_CONFIG'})`)
    .option('-d, --data-dir <dir>', `where data and metadata are kept (${envNames.dataDir}; default ./data)`)
    .option('-p, --port <port>', `Milvus gRPC port (${envNames.port}; default 19530)`)
    .option('--metrics-port <port>', `health and /metrics HTTP port (${envNames.metricsPort}; default 9091)`)
    .option('--host <address>', `address to listen on (${envNames.host}; default 127.0.0.1)`)
    .option(
      '--log-level <level>',
      `trace|debug|info|warn|error|fatal|silent (${envNames.logLevel}; default info)`,
    )
    .option(
      '--wal-sync <policy>',
      `always: fsync before each acknowledgement | batch: group a few ms | none: unsafe, benchmarks (${envNames.walSync}; default always)`,
    )
    .option(
      '--auto-load',
      `keep every collection loaded: search and query work without load() (${envNames.autoLoad}; default off, as Milvus)`,
    )
    .option(
      '--search-threads <n>',
      `worker threads for vector search, 0 = on the main thread (${envNames.searchThreads}; default: one per CPU)`,
    )
    .addHelpText(
      'after',
      `
Settings are read from defaults, then the config file, then QUIVER_* environment variables, then
these options; later sources win. Point any Milvus SDK at the gRPC address, e.g.
  new MilvusClient({ address: '127.0.0.1:19530' })      (Node)
  MilvusClient(uri='http://127.0.0.1:19530')            (Python)
Health: curl http://127.0.0.1:9091/healthz   Metrics: curl http://127.0.0.1:9091/metrics`,
    )
    .action(async (options: ServeOptions) => {
      let config: QuiverConfig;
      try {
        config = loadConfig({
          configFile: options.config,
          env: process.env,
          flags: {
            dataDir: options.dataDir,
            port: options.port,
            metricsPort: options.metricsPort,
            host: options.host,
            logLevel: options.logLevel,
            walSync: options.walSync,
            autoLoad: options.autoLoad,
            searchThreads: options.searchThreads,
          },
        });
      } catch (error) {
        if (error instanceof ConfigError) {
          process.stderr.write(`quiver: ${error.message}\n`);
          process.exit(2);
        }
        throw error;
      }
      const logger = createLogger({ level: config.logLevel });
      let node: Awaited<ReturnType<typeof startNode>>;
      try {
        node = await startNode(config, logger, version);
      } catch (error) {
        logger.fatal({ err: error }, `Quiver failed to start: ${(error as Error).message}`);
        logger.flush?.();
        process.exitCode = 1;
        return;
      }
      let signalled = false;
      const shutdown = (signal: NodeJS.Signals) => {
        if (signalled) {
          logger.warn(`${signal} again: exiting without waiting`);
          process.exit(1);
        }
        signalled = true;
        logger.info(`${signal} received: shutting down`);
        node.stop().then(
          () => {
            logger.info('Quiver stopped cleanly');
            logger.flush?.();
            process.exit(0);
          },
          (error: unknown) => {
            logger.error({ err: error }, 'error during shutdown');
            logger.flush?.();
            process.exit(1);
          },
        );
      };
      process.on('SIGINT', shutdown);
      process.on('SIGTERM', shutdown);
    });
}
