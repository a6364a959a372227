import type { AliasInfo, CollectionInfo, DatabaseInfo, IndexInfo } from './catalog-model.js';

/**
 * JSON forms of catalog records. Timestamps are uint64 hybrid timestamps, kept as decimal strings
 * because JSON numbers lose precision above 2^53.
 */
type Jsonified<T> = {
  [K in keyof T]: T[K] extends bigint ? string : T[K] extends Array<infer U> ? Jsonified<U>[] : T[K];
};

export function databaseToJson(db: DatabaseInfo): string {
  const record: Jsonified<DatabaseInfo> = { ...db, createdTimestamp: db.createdTimestamp.toString() };
  return JSON.stringify(record);
}

export function databaseFromJson(text: string): DatabaseInfo {
  const record = JSON.parse(text) as Jsonified<DatabaseInfo>;
  return { ...record, createdTimestamp: BigInt(record.createdTimestamp) };
}

export function collectionToJson(collection: CollectionInfo): string {
  return JSON.stringify({
    ...collection,
    createdTimestamp: collection.createdTimestamp.toString(),
    updateTimestamp: collection.updateTimestamp.toString(),
    partitions: collection.partitions.map((p) => ({ ...p, createdTimestamp: p.createdTimestamp.toString() })),
    indexes: (collection.indexes ?? []).map((i) => ({
      ...i,
      createdTimestamp: i.createdTimestamp.toString(),
    })),
  });
}

export function collectionFromJson(text: string): CollectionInfo {
  const record = JSON.parse(text) as Omit<
    CollectionInfo,
    'createdTimestamp' | 'updateTimestamp' | 'partitions' | 'indexes'
  > & {
    createdTimestamp: string;
    updateTimestamp: string;
    partitions: Array<{ id: number; name: string; createdTimestamp: string; loaded?: boolean }>;
    indexes?: Array<Omit<IndexInfo, 'createdTimestamp'> & { createdTimestamp: string }>;
  };
  return {
    ...record,
    createdTimestamp: BigInt(record.createdTimestamp),
    updateTimestamp: BigInt(record.updateTimestamp),
    partitions: record.partitions.map((p) => ({ ...p, createdTimestamp: BigInt(p.createdTimestamp) })),
    indexes: (record.indexes ?? []).map((i) => ({ ...i, createdTimestamp: BigInt(i.createdTimestamp) })),
  };
}

export function aliasToJson(alias: AliasInfo): string {
  return JSON.stringify(alias);
}

export function aliasFromJson(text: string): AliasInfo {
  return JSON.parse(text) as AliasInfo;
}
