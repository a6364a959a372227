import { okStatus } from '../../../errors/index.js';
import type { HandlerFamily } from './rpc-handler.js';

interface LoadRequest {
  collection_name: string;
  partition_names?: string[];
}

/**
 * Milvus's load life cycle. Loading is instant in Quiver (data is always resident), so
 * GetLoadingProgress is 100 as soon as LoadCollection returns, and clients that poll it stop at once.
 */
export const loadHandlers: HandlerFamily = (service) => ({
  LoadCollection: async (request: LoadRequest, context) => {
    await service.loads.loadCollection(context, request.collection_name);
    return okStatus;
  },

  ReleaseCollection: async (request: LoadRequest, context) => {
    await service.loads.releaseCollection(context, request.collection_name);
    return okStatus;
  },

  LoadPartitions: async (request: LoadRequest, context) => {
    await service.loads.loadPartitions(context, request.collection_name, request.partition_names ?? []);
    return okStatus;
  },

  ReleasePartitions: async (request: LoadRequest, context) => {
    await service.loads.releasePartitions(context, request.collection_name, request.partition_names ?? []);
    return okStatus;
  },

  GetLoadState: (request: LoadRequest, context) => ({
    status: okStatus,
    state: service.loads.loadState(context, request.collection_name, request.partition_names ?? []),
  }),

  GetLoadingProgress: (request: LoadRequest, context) => {
    const progress = service.loads.loadingProgress(
      context,
      request.collection_name,
      request.partition_names ?? [],
    );
    return { status: okStatus, progress: String(progress), refresh_progress: String(progress) };
  },
});
