import { errors } from '../errors/index.js';
import { validateCollectionName } from '../schema/validate-collection-schema.js';
import type { Catalog } from './catalog/catalog.js';
import type { CollectionInfo, PartitionInfo } from './catalog/catalog-model.js';
import type { RequestContext } from './request-context.js';

export type LoadStateName = 'LoadStateNotLoad' | 'LoadStateLoaded';

/**
 * Milvus's load life cycle (LoadCollection, LoadPartitions, their releases, GetLoadState,
 * GetLoadingProgress) and the check every search and query makes. In Quiver data is always resident,
 * so loading is a durable flag that takes effect at once: no `load()` wait, progress is 0 or 100.
 *
 * With `autoLoad` (the server's --auto-load option) every collection counts as loaded whatever its
 * flag says, and releases are accepted but change nothing a reader can see.
 */
export class LoadService {
  constructor(
    private readonly catalog: Catalog,
    readonly autoLoad = false,
    /** Told after a load, so the node can bring the data into search memory in the background. */
    private readonly onLoaded: (collection: CollectionInfo) => void = () => {},
  ) {}

  async loadCollection(ctx: RequestContext, collectionName: string): Promise<void> {
    validateCollectionName(collectionName);
    await this.catalog.setLoaded(ctx.dbName, collectionName, true, []);
    this.onLoaded(this.catalog.getCollection(ctx.dbName, collectionName));
  }

  async releaseCollection(ctx: RequestContext, collectionName: string): Promise<void> {
    validateCollectionName(collectionName);
    await this.catalog.setLoaded(ctx.dbName, collectionName, false, []);
  }

  async loadPartitions(ctx: RequestContext, collectionName: string, partitionNames: readonly string[]) {
    const collection = this.partitionRequest(ctx, collectionName, partitionNames, 'load');
    await this.catalog.setLoaded(ctx.dbName, collection.name, true, partitionNames);
    this.onLoaded(this.catalog.getCollection(ctx.dbName, collection.name));
  }

  async releasePartitions(ctx: RequestContext, collectionName: string, partitionNames: readonly string[]) {
    const collection = this.partitionRequest(ctx, collectionName, partitionNames, 'release');
    await this.catalog.setLoaded(ctx.dbName, collection.name, false, partitionNames);
  }

  /** Loaded when every named partition (or, with none named, any partition) is loaded. */
  loadState(ctx: RequestContext, collectionName: string, partitionNames: readonly string[]): LoadStateName {
    validateCollectionName(collectionName);
    const collection = this.catalog.getCollection(ctx.dbName, collectionName);
    const partitions = partitionNames.map((name) => this.catalog.getPartition(collection, name));
    const loaded =
      partitions.length === 0
        ? collection.partitions.some((p) => this.isPartitionLoaded(p))
        : partitions.every((p) => this.isPartitionLoaded(p));
    return loaded ? 'LoadStateLoaded' : 'LoadStateNotLoad';
  }

  /** 100 when loaded; as in Milvus, asking about something not loaded is an error. */
  loadingProgress(ctx: RequestContext, collectionName: string, partitionNames: readonly string[]): number {
    if (this.loadState(ctx, collectionName, partitionNames) === 'LoadStateLoaded') return 100;
    if (partitionNames.length > 0) {
      const collection = this.catalog.getCollection(ctx.dbName, collectionName);
      const notLoaded = partitionNames.find(
        (name) => !this.isPartitionLoaded(this.catalog.getPartition(collection, name)),
      );
      throw errors.partitionNotLoaded(notLoaded ?? partitionNames[0]!);
    }
    throw errors.collectionNotLoaded(collectionName);
  }

  isPartitionLoaded(partition: PartitionInfo): boolean {
    return this.autoLoad || partition.loaded === true;
  }

  /** What ShowCollections reports as in-memory percentage: 100 when any partition is loaded. */
  loadedPercentage(collection: CollectionInfo): number {
    return collection.partitions.some((p) => this.isPartitionLoaded(p)) ? 100 : 0;
  }

  /**
   * The partitions a search or query reads: the named ones, which must all be loaded, or every loaded
   * partition. Throws Milvus's "collection not loaded" (101) / "partition not loaded" (201).
   */
  readablePartitions(collection: CollectionInfo, partitionNames: readonly string[]): Set<number> {
    if (!collection.partitions.some((p) => this.isPartitionLoaded(p))) {
      throw errors.collectionNotLoaded(collection.name);
    }
    if (partitionNames.length === 0) {
      return new Set(collection.partitions.filter((p) => this.isPartitionLoaded(p)).map((p) => p.id));
    }
    const ids = new Set<number>();
    for (const name of partitionNames) {
      const partition = this.catalog.getPartition(collection, name);
      if (!this.isPartitionLoaded(partition)) throw errors.partitionNotLoaded(name);
      ids.add(partition.id);
    }
    return ids;
  }

  private partitionRequest(
    ctx: RequestContext,
    collectionName: string,
    partitionNames: readonly string[],
    verb: 'load' | 'release',
  ): CollectionInfo {
    validateCollectionName(collectionName);
    const collection = this.catalog.getCollection(ctx.dbName, collectionName);
    if (this.catalog.isPartitionKeyCollection(collection)) {
      throw errors.uncoded(`disable ${verb} partitions if partition key mode is used`);
    }
    if (partitionNames.length === 0) {
      throw errors.parameterInvalid(`partition names should not be empty`);
    }
    for (const name of partitionNames) this.catalog.getPartition(collection, name);
    return collection;
  }
}
