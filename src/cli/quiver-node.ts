import { resolve } from 'node:path';
import { MilvusGrpcServer } from '../api/grpc/grpc-server.js';
import { createOpsServer, type OpsServer } from '../api/ops/ops-server.js';
import type { QuiverConfig } from '../config/quiver-config.js';
import type { Logger } from '../observability/logger.js';
import { Metrics } from '../observability/metrics.js';
import { QuiverService } from '../service/quiver-service.js';
import { LocalMetaStore } from '../storage/local/local-meta-store.js';
import { lockDataDir } from './data-dir-lock.js';
import { registerSearchRuntimeMetrics } from './search-runtime-metrics.js';

export interface RunningNode {
  grpcPort: number;
  metricsPort: number;
  dataDir: string;
  service: QuiverService;
  /** Stops listeners, lets in-flight requests finish, flushes and closes storage. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Composes one Quiver node: storage → service → wire adapters, in that order, and tears it down
 * in reverse. Nothing below the CLI knows how the node is assembled.
 */
export async function startNode(config: QuiverConfig, logger: Logger, version: string): Promise<RunningNode> {
  const dataDir = resolve(config.dataDir);
  const unlock = await lockDataDir(dataDir);
  const metaStore = new LocalMetaStore(resolve(dataDir, 'meta'));
  let grpc: MilvusGrpcServer | undefined;
  let ops: OpsServer | undefined;
  let service: QuiverService | undefined;
  const cleanup = async () => {
    await grpc?.stop();
    await ops?.close();
    await service?.close();
    await metaStore.close();
    await unlock();
  };
  try {
    await metaStore.open();
    service = await QuiverService.open({
      metaStore,
      dataDir,
      logger,
      engine: { walSync: config.walSync },
      maxQueryResultWindow: config.maxQueryResultWindow,
      autoLoad: config.autoLoad,
      searchThreads: config.searchThreads,
    });
    const metrics = new Metrics();
    registerSearchRuntimeMetrics(metrics, service.runtime);
    grpc = new MilvusGrpcServer({
      host: config.host,
      port: config.port,
      service,
      metrics,
      logger: logger.child({ component: 'grpc' }),
      maxMessageBytes: config.grpcMaxMessageBytes,
    });
    const grpcPort = await grpc.start();
    let serving = true;
    ops = createOpsServer({
      host: config.host,
      port: config.metricsPort,
      metrics,
      logger,
      health: () => ({
        healthy: serving,
        components: [
          { name: 'catalog', healthy: true },
          { name: 'grpc', healthy: serving, reason: serving ? undefined : 'shutting down' },
        ],
      }),
    });
    const { port: metricsPort } = await ops.listen();
    logger.info(
      { version, grpc: `${config.host}:${grpcPort}`, metrics: `${config.host}:${metricsPort}`, dataDir },
      `Quiver ${version} serving Milvus gRPC on ${config.host}:${grpcPort}, health and metrics on http://${config.host}:${metricsPort}, data dir ${dataDir}`,
    );
    let stopping: Promise<void> | undefined;
    return {
      grpcPort,
      metricsPort,
      dataDir,
      service: service,
      stop: () => {
        serving = false;
        stopping ??= cleanup();
        return stopping;
      },
    };
  } catch (error) {
    await cleanup().catch(() => undefined);
    throw error;
  }
}
