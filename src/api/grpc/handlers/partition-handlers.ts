import { okStatus } from '../../../errors/index.js';
import { wireTimestamp, wireUtcTimestamp } from '../codec/wire-timestamps.js';
import type { HandlerFamily } from './rpc-handler.js';

interface PartitionRequest {
  collection_name: string;
  partition_name: string;
}

interface ShowPartitionsRequest {
  collection_name: string;
  partition_names?: string[];
}

export const partitionHandlers: HandlerFamily = (service) => ({
  CreatePartition: async (request: PartitionRequest, context) => {
    await service.partitions.createPartition(context, request.collection_name, request.partition_name);
    return okStatus;
  },

  DropPartition: async (request: PartitionRequest, context) => {
    await service.partitions.dropPartition(context, request.collection_name, request.partition_name);
    return okStatus;
  },

  HasPartition: (request: PartitionRequest, context) => ({
    status: okStatus,
    value: service.partitions.hasPartition(context, request.collection_name, request.partition_name),
  }),

  ShowPartitions: (request: ShowPartitionsRequest, context) => {
    const { partitions } = service.partitions.showPartitions(
      context,
      request.collection_name,
      request.partition_names ?? [],
    );
    return {
      status: okStatus,
      partition_names: partitions.map((p) => p.name),
      partitionIDs: partitions.map((p) => String(p.id)),
      created_timestamps: partitions.map((p) => wireTimestamp(p.createdTimestamp)),
      created_utc_timestamps: partitions.map((p) => wireUtcTimestamp(p.createdTimestamp)),
      inMemory_percentages: partitions.map((p) => (service.loads.isPartitionLoaded(p) ? '100' : '0')),
    };
  },
});
