import { errors } from '../errors/index.js';
import { type CollectionSchema, DataType, DYNAMIC_FIELD_NAME, makeFieldSchema } from '../schema/index.js';
import {
  defaultSchemaLimits,
  validateCollectionName,
  validateCollectionSchema,
} from '../schema/validate-collection-schema.js';
import { Catalog } from './catalog/catalog.js';
import type { CollectionInfo, ConsistencyLevelName } from './catalog/catalog-model.js';
import type { RequestContext } from './request-context.js';

export interface CreateCollectionRequest {
  collectionName: string;
  schema: CollectionSchema;
  shardsNum: number;
  consistencyLevel: ConsistencyLevelName;
  properties: Record<string, string>;
  numPartitions: number;
}

/** Collection DDL use-cases: validation as the Milvus proxy does it, then the catalog. */
export class CollectionService {
  constructor(private readonly catalog: Catalog) {}

  async createCollection(ctx: RequestContext, request: CreateCollectionRequest): Promise<CollectionInfo> {
    validateCollectionName(request.collectionName);
    // Milvus checks the request's shard and partition numbers in the same pass as the schema.
    validateCollectionSchema(
      request.schema,
      {},
      {
        collectionName: request.collectionName,
        shardsNum: request.shardsNum,
        numPartitions: request.numPartitions,
      },
    );
    const hasPartitionKey = request.schema.fields.some((f) => f.isPartitionKey);
    const partitionKeyPartitions = hasPartitionKey
      ? request.numPartitions > 0
        ? request.numPartitions
        : defaultSchemaLimits.defaultPartitionsWithPartitionKey
      : 0;
    return this.catalog.createCollection(ctx.dbName, {
      name: request.collectionName,
      schema: withDynamicField(request.schema),
      shardsNum: request.shardsNum <= 0 ? 1 : request.shardsNum,
      consistencyLevel: request.consistencyLevel,
      properties: request.properties,
      partitionKeyPartitions,
    });
  }

  describeCollection(ctx: RequestContext, name: string, collectionId?: number): CollectionInfo {
    if (!name && collectionId) {
      const byId = this.catalog.getCollectionById(collectionId);
      if (!byId || byId.dbId !== this.catalog.getDatabase(ctx.dbName).id) {
        throw errors.collectionNotFoundByName(String(collectionId));
      }
      return byId;
    }
    validateCollectionName(name);
    const found = this.catalog.findCollection(ctx.dbName, name);
    if (!found) throw errors.collectionNotFoundForDescribe(Catalog.normaliseDatabaseName(ctx.dbName), name);
    return found;
  }

  hasCollection(ctx: RequestContext, name: string): boolean {
    validateCollectionName(name);
    return this.catalog.findCollection(ctx.dbName, name) !== undefined;
  }

  listCollections(ctx: RequestContext, names: readonly string[] = []): CollectionInfo[] {
    const all = this.catalog.listCollections(ctx.dbName);
    if (names.length === 0) return all;
    return names.map((name) => this.catalog.getCollection(ctx.dbName, name));
  }

  dropCollection(ctx: RequestContext, name: string): Promise<void> {
    validateCollectionName(name);
    return this.catalog.dropCollection(ctx.dbName, name);
  }

  renameCollection(ctx: RequestContext, oldName: string, newName: string, newDbName: string): Promise<void> {
    validateCollectionName(oldName);
    validateCollectionName(newName);
    return this.catalog.renameCollection(ctx.dbName, oldName, newName, newDbName);
  }

  alterCollection(
    ctx: RequestContext,
    name: string,
    properties: Record<string, string>,
    deleteKeys: string[],
  ): Promise<CollectionInfo> {
    validateCollectionName(name);
    if (Object.keys(properties).length > 0 && deleteKeys.length > 0) {
      throw errors.parameterInvalid('cannot provide both DeleteKeys and ExtraParams');
    }
    for (const [key, value] of Object.entries(properties)) validateCollectionProperty(key, value);
    return this.catalog.alterCollectionProperties(ctx.dbName, name, properties, deleteKeys);
  }
}

/** Milvus keeps dynamic keys in a hidden JSON field, appended after the user's fields. */
function withDynamicField(schema: CollectionSchema): CollectionSchema {
  if (!schema.enableDynamicField) return schema;
  const dynamic = makeFieldSchema(DYNAMIC_FIELD_NAME, DataType.JSON, {
    description: 'dynamic schema',
    isDynamic: true,
  });
  return { ...schema, fields: [...schema.fields, dynamic] };
}

/** The properties Milvus type-checks on alter; others are stored as given. */
function validateCollectionProperty(key: string, value: string): void {
  const integerKeys = ['collection.ttl.seconds', 'collection.replica.number', 'collection.insertRate.max.mb'];
  if (integerKeys.includes(key) && !/^-?\d+$/.test(value)) {
    throw errors.parameterInvalid(`invalid ${key} value ${value}, should be an integer`);
  }
  if (key === 'mmap.enabled' && !['true', 'false'].includes(value.toLowerCase())) {
    throw errors.parameterInvalid(`invalid mmap.enabled value: ${value}, expected: true, false`);
  }
}
