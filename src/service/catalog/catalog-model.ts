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
}

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
}

export interface AliasInfo {
  dbId: number;
  name: string;
  collectionId: number;
}
