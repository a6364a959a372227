import { resolve } from 'node:path';
import type { MilvusGrpcServer } from '../api/grpc/grpc-server.js';
import type { OpsServer } from '../api/ops/ops-server.js';
import type { QuiverConfig } from '../config/quiver-config.js';
import { installMemoryAdvisor } from '../kernels/huge-pages.js';
import type { Logger } from '../observability/logger.js';
import { nativeMemoryAdvice } from '../platform/native-memory-advisor.js';
import { QuiverService } from '../service/quiver-service.js';
import { LocalMetaStore } from '../storage/local/local-meta-store.js';
import { lockDataDir } from './data-dir-lock.js';

/**
 * The wire adapters and metrics: gRPC, protobuf descriptors, fastify and prom-client take about a
 * second to load and compile. They are imported while the storage engine reads its segment files
 * (which mostly waits on I/O threads), not before, so a restart pays for the two side by side.
 */
function importWireModules() {
  return Promise.all([
    import('../api/grpc/grpc-server.js'),
    import('../api/ops/ops-server.js'),
    import('../observability/metrics.js'),
    import('./search-runtime-metrics.js'),
  ]);
}

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
  // Before any kernel memory or table exists, so all of it is advised.
  const memoryAdvice = nativeMemoryAdvice();
  installMemoryAdvisor(memoryAdvice.advisor);
  const unlock = await lockDataDir(dataDir);
  const wireModules = importWireModules();
  // Awaited below; a failure before then must not surface as an unhandled rejection.
  wireModules.catch(() => undefined);
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
    const [{ MilvusGrpcServer }, { createOpsServer }, { Metrics }, { registerSearchRuntimeMetrics }] =
      await wireModules;
    logger.info(
      { hugePages: memoryAdvice.advisor !== undefined, transparentHugePages: memoryAdvice.kernelMode },
      `huge pages: ${memoryAdvice.advisor ? 'on' : 'off'} (${memoryAdvice.reason})`,
    );
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
