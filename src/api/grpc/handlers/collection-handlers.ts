import { errors, okStatus } from '../../../errors/index.js';
import type { CollectionInfo, ConsistencyLevelName } from '../../../service/catalog/catalog-model.js';
import type { QuiverService } from '../../../service/quiver-service.js';
import { keyValuesToRecord, recordToKeyValues, type WireKeyValue } from '../codec/key-value.js';
import { decodeCollectionSchema, encodeCollectionSchema } from '../codec/schema-codec.js';
import { wireTimestamp, wireUtcTimestamp } from '../codec/wire-timestamps.js';
import type { HandlerFamily } from './rpc-handler.js';

interface CreateCollectionRequest {
  collection_name: string;
  schema?: Buffer;
  shards_num: number;
  consistency_level: string | number;
  properties?: WireKeyValue[];
  num_partitions: string;
}

interface CollectionRequest {
  collection_name: string;
  collectionID?: string;
}

interface ShowCollectionsRequest {
  collection_names?: string[];
  type?: string | number;
}

interface RenameCollectionRequest {
  oldName: string;
  newName: string;
  newDBName?: string;
}

interface AlterCollectionRequest {
  collection_name: string;
  properties?: WireKeyValue[];
  delete_keys?: string[];
}

const consistencyLevels: readonly ConsistencyLevelName[] = [
  'Strong',
  'Session',
  'Bounded',
  'Eventually',
  'Customized',
];

function parseConsistencyLevel(value: string | number | undefined): ConsistencyLevelName {
  const name = typeof value === 'number' ? consistencyLevels[value] : value;
  if (!name || !consistencyLevels.includes(name as ConsistencyLevelName)) {
    throw errors.parameterInvalid(`invalid consistency level: ${JSON.stringify(value)}`);
  }
  return name as ConsistencyLevelName;
}

/** Milvus has DML channels per shard; Quiver has none, but clients display these names. */
function channelNames(collection: CollectionInfo): string[] {
  return Array.from(
    { length: collection.shardsNum },
    (_, shard) => `quiver-dml_${shard}_${collection.id}v${shard}`,
  );
}

export function describeCollectionResponse(service: QuiverService, collection: CollectionInfo): object {
  const db = service.catalog.databaseOf(collection);
  return {
    status: okStatus,
    schema: encodeCollectionSchema(collection.schema, collection.properties, db.name),
    collectionID: String(collection.id),
    virtual_channel_names: channelNames(collection),
    physical_channel_names: channelNames(collection).map((name) => name.replace(/v\d+$/, '')),
    created_timestamp: wireTimestamp(collection.createdTimestamp),
    created_utc_timestamp: wireUtcTimestamp(collection.createdTimestamp),
    shards_num: collection.shardsNum,
    aliases: service.catalog.aliasesOf(collection),
    start_positions: [],
    consistency_level: collection.consistencyLevel,
    collection_name: collection.name,
    properties: recordToKeyValues(collection.properties),
    db_name: db.name,
    num_partitions: String(collection.partitions.length),
    db_id: String(db.id),
    request_time: '0',
    update_timestamp: wireTimestamp(collection.updateTimestamp),
    update_timestamp_str: wireTimestamp(collection.updateTimestamp),
  };
}

export const collectionHandlers: HandlerFamily = (service) => ({
  CreateCollection: async (request: CreateCollectionRequest, context) => {
    const numPartitions = Number(request.num_partitions ?? '0');
    await service.collections.createCollection(context, {
      collectionName: request.collection_name,
      schema: decodeCollectionSchema(request.schema),
      shardsNum: request.shards_num,
      consistencyLevel: parseConsistencyLevel(request.consistency_level),
      properties: keyValuesToRecord(request.properties),
      numPartitions: Number.isSafeInteger(numPartitions) ? numPartitions : -1,
    });
    return okStatus;
  },

  DescribeCollection: (request: CollectionRequest, context) => {
    const id = Number(request.collectionID ?? '0');
    return describeCollectionResponse(
      service,
      service.collections.describeCollection(context, request.collection_name, id),
    );
  },

  HasCollection: (request: CollectionRequest, context) => ({
    status: okStatus,
    value: service.collections.hasCollection(context, request.collection_name),
  }),

  ShowCollections: (request: ShowCollectionsRequest, context) => {
    const collections = service.collections.listCollections(context, request.collection_names ?? []);
    return {
      status: okStatus,
      collection_names: collections.map((c) => c.name),
      collection_ids: collections.map((c) => String(c.id)),
      created_timestamps: collections.map((c) => wireTimestamp(c.createdTimestamp)),
      created_utc_timestamps: collections.map((c) => wireUtcTimestamp(c.createdTimestamp)),
      inMemory_percentages: collections.map((c) => String(service.loads.loadedPercentage(c))),
      query_service_available: collections.map((c) => service.loads.loadedPercentage(c) === 100),
      shards_num: collections.map((c) => c.shardsNum),
    };
  },

  DropCollection: async (request: CollectionRequest, context) => {
    await service.collections.dropCollection(context, request.collection_name);
    return okStatus;
  },

  RenameCollection: async (request: RenameCollectionRequest, context) => {
    await service.collections.renameCollection(
      context,
      request.oldName,
      request.newName,
      request.newDBName ?? '',
    );
    return okStatus;
  },

  AlterCollection: async (request: AlterCollectionRequest, context) => {
    await service.collections.alterCollection(
      context,
      request.collection_name,
      keyValuesToRecord(request.properties),
      request.delete_keys ?? [],
    );
    return okStatus;
  },
});
