import { validateCollectionName, validatePartitionName } from '../schema/validate-collection-schema.js';
import type { Catalog } from './catalog/catalog.js';
import type { CollectionInfo, PartitionInfo } from './catalog/catalog-model.js';
import type { RequestContext } from './request-context.js';

/** Partition DDL use-cases. */
export class PartitionService {
  constructor(private readonly catalog: Catalog) {}

  createPartition(ctx: RequestContext, collectionName: string, partitionName: string): Promise<void> {
    validateCollectionName(collectionName);
    validatePartitionName(partitionName);
    return this.catalog.createPartition(ctx.dbName, collectionName, partitionName);
  }

  dropPartition(ctx: RequestContext, collectionName: string, partitionName: string): Promise<void> {
    validateCollectionName(collectionName);
    validatePartitionName(partitionName);
    return this.catalog.dropPartition(ctx.dbName, collectionName, partitionName);
  }

  hasPartition(ctx: RequestContext, collectionName: string, partitionName: string): boolean {
    validateCollectionName(collectionName);
    validatePartitionName(partitionName);
    const collection = this.catalog.getCollection(ctx.dbName, collectionName);
    return collection.partitions.some((p) => p.name === partitionName);
  }

  /** All partitions, or the named ones (a missing name is an error, as in Milvus). */
  showPartitions(
    ctx: RequestContext,
    collectionName: string,
    names: readonly string[] = [],
  ): { collection: CollectionInfo; partitions: PartitionInfo[] } {
    validateCollectionName(collectionName);
    const collection = this.catalog.getCollection(ctx.dbName, collectionName);
    const partitions =
      names.length === 0
        ? collection.partitions
        : names.map((name) => this.catalog.getPartition(collection, name));
    return { collection, partitions };
  }
}
