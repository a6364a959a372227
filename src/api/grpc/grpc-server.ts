import * as grpc from '@grpc/grpc-js';
import { isQuiverError, toStatus } from '../../errors/index.js';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import { rpcStatusLabel } from '../../observability/rpc-status-label.js';
import type { QuiverService } from '../../service/quiver-service.js';
import {
  fastRequestDeserializer,
  packageDefinition,
  respondsWithBareStatus,
  rpcNames,
  SERVICE_NAME,
} from './codec/milvus-proto.js';
import { aliasHandlers } from './handlers/alias-handlers.js';
import { analyzerHandlers } from './handlers/analyzer-handlers.js';
import { collectionHandlers } from './handlers/collection-handlers.js';
import { connectionHandlers } from './handlers/connection-handlers.js';
import { dataHandlers } from './handlers/data-handlers.js';
import { databaseHandlers } from './handlers/database-handlers.js';
import { indexHandlers } from './handlers/index-handlers.js';
import { loadHandlers } from './handlers/load-handlers.js';
import { partitionHandlers } from './handlers/partition-handlers.js';
import { queryHandlers } from './handlers/query-handlers.js';
import type { HandlerFamily, HandlerTable, RpcHandler } from './handlers/rpc-handler.js';
import { searchHandlers } from './handlers/search-handlers.js';
import { requestContextFromCall } from './request-context-from-call.js';

export interface GrpcServerOptions {
  host: string;
  port: number;
  service: QuiverService;
  metrics: Metrics;
  logger: Logger;
  maxMessageBytes: number;
}

const families: readonly HandlerFamily[] = [
  connectionHandlers,
  databaseHandlers,
  collectionHandlers,
  partitionHandlers,
  aliasHandlers,
  dataHandlers,
  queryHandlers,
  indexHandlers,
  searchHandlers,
  loadHandlers,
  analyzerHandlers,
];

/** The RPCs Quiver answers; every other RPC of the service answers UNIMPLEMENTED. */
export function implementedRpcs(service: QuiverService): HandlerTable {
  const table: HandlerTable = {};
  for (const family of families) Object.assign(table, family(service));
  return table;
}

type UnaryCall = grpc.ServerUnaryCall<unknown, unknown>;

/**
 * Milvus's MilvusService on @grpc/grpc-js. Failures are reported in-band in common.Status with
 * gRPC OK, because clients retry transport errors for minutes; only unimplemented RPCs use a
 * gRPC status code.
 */
export class MilvusGrpcServer {
  private readonly server: grpc.Server;
  private boundPort = 0;

  constructor(private readonly options: GrpcServerOptions) {
    this.server = new grpc.Server({
      'grpc.max_receive_message_length': options.maxMessageBytes,
      'grpc.max_send_message_length': options.maxMessageBytes,
    });
    const definition = { ...((packageDefinition[SERVICE_NAME] ?? {}) as grpc.ServiceDefinition) };
    for (const rpc of Object.keys(definition)) {
      const deserialize = fastRequestDeserializer(rpc);
      if (deserialize) definition[rpc] = { ...definition[rpc]!, requestDeserialize: deserialize };
    }
    const handlers = implementedRpcs(options.service);
    const implementation: grpc.UntypedServiceImplementation = {};
    for (const rpc of rpcNames) {
      const method = definition[rpc];
      if (!method || method.requestStream || method.responseStream) continue; // grpc-js answers UNIMPLEMENTED
      const handler = handlers[rpc];
      implementation[rpc] = handler ? this.unary(rpc, handler) : this.unimplemented(rpc);
    }
    this.server.addService(definition, implementation);
  }

  get port(): number {
    return this.boundPort;
  }

  start(): Promise<number> {
    const { host, port } = this.options;
    return new Promise((resolve, reject) => {
      this.server.bindAsync(`${host}:${port}`, grpc.ServerCredentials.createInsecure(), (error, bound) => {
        if (error) {
          reject(new Error(`cannot listen for gRPC on ${host}:${port}: ${error.message}`));
          return;
        }
        this.boundPort = bound;
        resolve(bound);
      });
    });
  }

  /** Lets in-flight calls finish for up to `graceMs`, then cuts the rest. */
  stop(graceMs = 5000): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, graceMs);
      timer.unref();
      this.server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private unary(rpc: string, handler: RpcHandler): grpc.handleUnaryCall<unknown, unknown> {
    const bareStatus = respondsWithBareStatus(rpc);
    const { metrics, logger } = this.options;
    return (call: UnaryCall, callback) => {
      const startedAt = process.hrtime.bigint();
      const finish = (error: unknown | undefined, response: unknown) => {
        const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
        metrics.observeRpc(rpc, rpcStatusLabel(error), seconds);
        callback(null, response);
      };
      let context: ReturnType<typeof requestContextFromCall>;
      try {
        context = requestContextFromCall(call.metadata, call.request);
      } catch (error) {
        const status = toStatus(error);
        finish(error, bareStatus ? status : { status });
        return;
      }
      Promise.resolve()
        .then(() =>
          (handler as (request: unknown, ctx: typeof context) => Promise<object> | object)(
            call.request,
            context,
          ),
        )
        .then(
          (response) => finish(undefined, response),
          (error: unknown) => {
            if (isQuiverError(error)) {
              logger.debug({ rpc, code: error.code, reason: error.reason }, 'request refused');
            } else {
              // Not a user error: a bug or an environment failure. Still answered in-band.
              logger.error({ rpc, err: error }, 'request failed unexpectedly');
            }
            const status = toStatus(error);
            finish(error, bareStatus ? status : { status });
          },
        );
    };
  }

  private unimplemented(rpc: string): grpc.handleUnaryCall<unknown, unknown> {
    const { metrics } = this.options;
    return (_call, callback) => {
      metrics.observeRpc(rpc, 'ServiceUnimplemented', 0);
      callback({
        code: grpc.status.UNIMPLEMENTED,
        details: `Quiver does not implement MilvusService/${rpc} yet (see docs/COMPATIBILITY.md)`,
      });
    };
  }
}
