import type { CollectionSchema } from '../../schema/index.js';

/** Consistency levels by Milvus's enum names (common.ConsistencyLevel). */
export type ConsistencyLevelName = 'Strong' | 'Session' | 'Bounded' | 'Eventually' | 'Customized';

export const DEFAULT_DATABASE = 'default';
export const DEFAULT_PARTITION = '_default';

export interface DatabaseInfo {
  id: number;
  name: string;
  createdTimestamp: bigint;
  properties: Record<string, string>;
}

export interface PartitionInfo {
  id: number;
  name: string;
  createdTimestamp: bigint;
  /** Loaded for search and query (LoadCollection / LoadPartitions); absent means released. */
  loaded?: boolean;
}

/**
 * How a collection was loaded, as Milvus's load type: 'collection' (LoadCollection: every partition,
 * including ones created later) or 'partitions' (LoadPartitions: only the named ones).
 */
export type LoadMode = 'collection' | 'partitions';

export interface CollectionInfo {
  id: number;
  dbId: number;
  name: string;
  /** Field IDs assigned; the dynamic `$meta` field is included when enabled. */
  schema: CollectionSchema;
  shardsNum: number;
  consistencyLevel: ConsistencyLevelName;
  properties: Record<string, string>;
  partitions: PartitionInfo[];
  createdTimestamp: bigint;
  updateTimestamp: bigint;
  /** Indexes declared on fields of this collection (absent in catalogs written before issue 4). */
  indexes?: IndexInfo[];
  /** Absent when no partition is loaded. */
  loadMode?: LoadMode;
}

/** An index declared with CreateIndex (scalar or vector), as DescribeIndex reports it. */
export interface IndexInfo {
  id: number;
  name: string;
  fieldName: string;
  fieldId: number;
  /** Resolved type: AUTOINDEX stays AUTOINDEX here; the engine resolves it per field. */
  indexType: string;
  /** Vector indexes only; '' for scalar indexes. */
  metricType: string;
  /** Build parameters other than index_type/metric_type, as given (strings). */
  params: Record<string, string>;
  createdTimestamp: bigint;
}

export interface AliasInfo {
  dbId: number;
  name: string;
  collectionId: number;
}
