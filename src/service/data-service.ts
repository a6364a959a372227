import type { PkValue } from '../engine/collection/collection-data.js';
import type { StorageEngine } from '../engine/storage-engine.js';
import { errors } from '../errors/index.js';
import { type Column, type ColumnBatch, DataType, primaryField } from '../schema/index.js';
import { applyBm25Functions } from './bm25-function.js';
import { Catalog } from './catalog/catalog.js';
import { type CollectionInfo, DEFAULT_PARTITION } from './catalog/catalog-model.js';
import { routeByPartitionKey } from './partition-key-router.js';
import type { RequestContext } from './request-context.js';

export interface MutationOutcome {
  /** The primary keys written (auto IDs filled in), in request order. */
  ids: Column;
  ts: bigint;
  count: number;
}

/** Insert, upsert, delete, flush and statistics: the write side of the data path. */
export class DataService {
  constructor(
    private readonly catalog: Catalog,
    private readonly engine: StorageEngine,
  ) {}

  resolveCollection(ctx: RequestContext, name: string): CollectionInfo {
    return this.catalog.getCollection(ctx.dbName, name);
  }

  /**
   * Writes a decoded, validated batch. Insert fills auto IDs; upsert keeps the given keys. The
   * request becomes one WAL record, so it is applied whole or not at all.
   */
  async write(
    collection: CollectionInfo,
    partitionName: string,
    batch: ColumnBatch,
    mode: 'insert' | 'upsert',
  ): Promise<MutationOutcome> {
    const pk = primaryField(collection.schema);
    if (mode === 'insert' && pk.autoId) {
      const ids = await this.engine.allocateAutoIds(batch.numRows);
      batch = {
        numRows: batch.numRows,
        columns: new Map(batch.columns).set(pk.name, { type: DataType.Int64, values: ids }),
      };
    }
    // BM25 function outputs are computed here from their text fields; clients never send them.
    batch = applyBm25Functions(collection.schema, batch);
    const ids = batch.columns.get(pk.name);
    if (!ids) throw errors.parameterMissing(pk.name);
    if (mode === 'upsert' && new Set(ids.values as ArrayLike<unknown> as unknown[]).size !== batch.numRows) {
      // Milvus 2.6 (CheckDuplicatePkExist in the upsert task).
      throw errors.parameterInvalid('duplicate primary keys are not allowed in the same batch');
    }
    const keyField = collection.schema.fields.find((f) => f.isPartitionKey);
    let parts: Array<{ partitionId: number; batch: ColumnBatch }>;
    if (keyField) {
      if (partitionName) {
        throw errors.parameterInvalid(
          'not support manually specifying the partition names if partition key mode is used',
        );
      }
      parts = batch.numRows === 0 ? [] : routeByPartitionKey(batch, keyField, collection.partitions);
    } else {
      const partition = this.catalog.getPartition(collection, partitionName || DEFAULT_PARTITION);
      parts = [{ partitionId: partition.id, batch }];
    }
    const ts = await this.engine.insert(collection.id, parts);
    return { ids, ts, count: batch.numRows };
  }

  /** Deletes rows by primary key; returns how many live rows were deleted. */
  async deleteByKeys(
    collection: CollectionInfo,
    partitionName: string,
    keys: PkValue[],
  ): Promise<{ ts: bigint; deleted: number }> {
    let partitionId = 0;
    if (partitionName) {
      if (this.catalog.isPartitionKeyCollection(collection)) {
        throw errors.parameterInvalid(
          'not support manually specifying the partition names if partition key mode is used',
        );
      }
      partitionId = this.catalog.getPartition(collection, partitionName).id;
    }
    return this.engine.delete(collection.id, keys, partitionId);
  }

  /** Seals and persists everything written so far to the named collections. */
  async flush(
    ctx: RequestContext,
    names: readonly string[],
  ): Promise<{ segments: Map<string, bigint[]>; ts: bigint }> {
    const collections = names.map((name) => this.catalog.getCollection(ctx.dbName, name));
    const byId = await this.engine.flush(collections.map((c) => c.id));
    const segments = new Map(collections.map((c, i) => [names[i]!, byId.get(c.id) ?? []]));
    return { segments, ts: this.engine.lastAppliedTimestamp };
  }

  /** Exact live row count, net of deletes, visible to a read right now. */
  rowCount(collection: CollectionInfo, partitionNames: readonly string[] = []): number {
    const ids =
      partitionNames.length === 0
        ? undefined
        : new Set(partitionNames.map((name) => this.catalog.getPartition(collection, name).id));
    return this.engine.collection(collection.id).liveRows(ids);
  }

  static normaliseDb(name: string): string {
    return Catalog.normaliseDatabaseName(name);
  }
}
