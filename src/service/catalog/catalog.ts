import { errors } from '../../errors/index.js';
import type { CollectionSchema } from '../../schema/index.js';
import type { MetaBatch, MetaStore } from '../../storage/meta-store.js';
import { SerialQueue } from '../../util/serial-queue.js';
import {
  type AliasInfo,
  type CollectionInfo,
  type ConsistencyLevelName,
  type DatabaseInfo,
  DEFAULT_DATABASE,
  DEFAULT_PARTITION,
  type IndexInfo,
  type LoadMode,
  type PartitionInfo,
} from './catalog-model.js';
import {
  aliasFromJson,
  aliasToJson,
  collectionFromJson,
  collectionToJson,
  databaseFromJson,
  databaseToJson,
} from './catalog-serialization.js';
import type { TimestampOracle } from './timestamp-oracle.js';

const NEXT_ID_KEY = 'catalog/next-id';
const dbKey = (id: number) => `catalog/db/${id}`;
const collectionKey = (id: number) => `catalog/collection/${id}`;
const aliasKey = (dbId: number, name: string) => `catalog/alias/${dbId}/${name}`;

/** Limits Milvus applies to the catalog (rootCoord.* and quotaAndLimits.* defaults). */
export interface CatalogLimits {
  maxDatabases: number;
  maxCollections: number;
  maxPartitionsPerCollection: number;
}

export const defaultCatalogLimits: CatalogLimits = {
  maxDatabases: 64,
  maxCollections: 65536,
  maxPartitionsPerCollection: 1024,
};

export interface NewCollection {
  name: string;
  /** Validated schema without field IDs; the catalog assigns them. */
  schema: CollectionSchema;
  shardsNum: number;
  consistencyLevel: ConsistencyLevelName;
  properties: Record<string, string>;
  /** Partitions to create for a partition-key collection (already defaulted and range-checked). */
  partitionKeyPartitions: number;
}

/** Listener for catalog changes that own data elsewhere (the engine drops files on these). */
export interface CatalogObserver {
  collectionCreated?(collection: CollectionInfo): void;
  partitionCreated?(collection: CollectionInfo, partition: PartitionInfo): void;
  collectionDropped?(collection: CollectionInfo): Promise<void> | void;
  indexCreated?(collection: CollectionInfo, index: IndexInfo): void;
  indexDropped?(collection: CollectionInfo, index: IndexInfo): void;
  partitionDropped?(collection: CollectionInfo, partition: PartitionInfo): Promise<void> | void;
}

/**
 * Databases, collections, partitions and aliases, with Milvus's semantics. All state is held in
 * memory for synchronous lookups; every change is first committed to the MetaStore as one atomic
 * batch and only then applied in memory, so a failed commit leaves no trace.
 */
export class Catalog {
  private readonly databases = new Map<string, DatabaseInfo>();
  private readonly collections = new Map<number, CollectionInfo>();
  /** dbId → alias name → collection ID. */
  private readonly aliases = new Map<number, Map<string, number>>();
  private readonly ddl = new SerialQueue();
  private nextId = 1;
  private observers: CatalogObserver[] = [];

  private constructor(
    private readonly store: MetaStore,
    private readonly tso: TimestampOracle,
    readonly limits: CatalogLimits,
  ) {}

  static async open(
    store: MetaStore,
    tso: TimestampOracle,
    limits: Partial<CatalogLimits> = {},
  ): Promise<Catalog> {
    const catalog = new Catalog(store, tso, { ...defaultCatalogLimits, ...limits });
    catalog.load();
    if (!catalog.databases.has(DEFAULT_DATABASE)) {
      await catalog.createDatabase(DEFAULT_DATABASE, {});
    }
    return catalog;
  }

  addObserver(observer: CatalogObserver): void {
    this.observers.push(observer);
  }

  private load(): void {
    this.nextId = Number(this.store.get(NEXT_ID_KEY) ?? '1');
    for (const [, value] of this.store.list('catalog/db/')) {
      const db = databaseFromJson(value);
      this.databases.set(db.name, db);
      this.aliases.set(db.id, new Map());
    }
    for (const [, value] of this.store.list('catalog/collection/')) {
      const collection = collectionFromJson(value);
      this.collections.set(collection.id, collection);
    }
    for (const [, value] of this.store.list('catalog/alias/')) {
      const alias = aliasFromJson(value);
      this.aliases.get(alias.dbId)?.set(alias.name, alias.collectionId);
    }
  }

  // ---------------------------------------------------------------- lookups (synchronous)

  /** An empty database name means `default`, as in Milvus (old clients send ""). */
  static normaliseDatabaseName(name: string | undefined): string {
    return name === undefined || name === '' ? DEFAULT_DATABASE : name;
  }

  getDatabase(name: string): DatabaseInfo {
    const db = this.databases.get(Catalog.normaliseDatabaseName(name));
    if (!db) throw errors.databaseNotFound(name);
    return db;
  }

  listDatabases(): DatabaseInfo[] {
    return [...this.databases.values()].sort((a, b) => a.id - b.id);
  }

  private databaseById(id: number): DatabaseInfo {
    for (const db of this.databases.values()) if (db.id === id) return db;
    throw errors.unexpected(`catalog invariant broken: database ${id} not found`);
  }

  /** Collection by name or alias. Not found → code 100 with Milvus's [database][collection] message. */
  getCollection(dbName: string, nameOrAlias: string): CollectionInfo {
    const found = this.findCollection(dbName, nameOrAlias);
    if (!found) throw errors.collectionNotFound(Catalog.normaliseDatabaseName(dbName), nameOrAlias);
    return found;
  }

  findCollection(dbName: string, nameOrAlias: string): CollectionInfo | undefined {
    const db = this.getDatabase(dbName);
    const aliased = this.aliases.get(db.id)?.get(nameOrAlias);
    if (aliased !== undefined) return this.collections.get(aliased);
    return this.findByName(db.id, nameOrAlias);
  }

  getCollectionById(id: number): CollectionInfo | undefined {
    return this.collections.get(id);
  }

  private findByName(dbId: number, name: string): CollectionInfo | undefined {
    for (const collection of this.collections.values()) {
      if (collection.dbId === dbId && collection.name === name) return collection;
    }
    return undefined;
  }

  isAlias(dbName: string, name: string): boolean {
    const db = this.getDatabase(dbName);
    return this.aliases.get(db.id)?.has(name) ?? false;
  }

  listCollections(dbName: string): CollectionInfo[] {
    const db = this.getDatabase(dbName);
    return [...this.collections.values()].filter((c) => c.dbId === db.id).sort((a, b) => a.id - b.id);
  }

  aliasesOf(collection: CollectionInfo): string[] {
    const names: string[] = [];
    for (const [alias, id] of this.aliases.get(collection.dbId) ?? [])
      if (id === collection.id) names.push(alias);
    return names.sort();
  }

  listAliases(dbName: string, collectionName?: string): string[] {
    const db = this.getDatabase(dbName);
    if (collectionName) {
      const collection = this.findByName(db.id, collectionName);
      if (!collection) throw errors.collectionNotFound(db.name, collectionName);
      return this.aliasesOf(collection);
    }
    return [...(this.aliases.get(db.id)?.keys() ?? [])].sort();
  }

  describeAlias(dbName: string, alias: string): CollectionInfo {
    const db = this.getDatabase(dbName);
    const id = this.aliases.get(db.id)?.get(alias);
    const collection = id === undefined ? undefined : this.collections.get(id);
    if (!collection) throw errors.aliasNotFound(db.name, alias);
    return collection;
  }

  getPartition(collection: CollectionInfo, name: string): PartitionInfo {
    const partition = collection.partitions.find((p) => p.name === name);
    if (!partition) throw errors.partitionNotFound(name);
    return partition;
  }

  isPartitionKeyCollection(collection: CollectionInfo): boolean {
    return collection.schema.fields.some((f) => f.isPartitionKey);
  }

  // ---------------------------------------------------------------- mutations (serialised)

  private allocateIds(count: number): number {
    const first = this.nextId;
    this.nextId += count;
    return first;
  }

  /** Commits `batch` plus the ID counter; rolls the counter back if the commit fails. */
  private async commit(batch: MetaBatch, idsBefore: number): Promise<void> {
    const put = [...(batch.put ?? [])];
    if (this.nextId !== idsBefore) put.push([NEXT_ID_KEY, String(this.nextId)]);
    try {
      await this.store.commit({ ...batch, put });
    } catch (error) {
      this.nextId = idsBefore;
      throw errors.ioFailed(`failed to persist catalog change: ${(error as Error).message}`, error);
    }
  }

  createDatabase(name: string, properties: Record<string, string>): Promise<void> {
    return this.ddl.run(async () => {
      if (this.databases.has(name)) throw errors.unexpected(`database already exist: ${name}`);
      if (this.databases.size >= this.limits.maxDatabases) {
        throw errors.databaseNumLimitExceeded(this.limits.maxDatabases);
      }
      const idsBefore = this.nextId;
      const db: DatabaseInfo = {
        id: this.allocateIds(1),
        name,
        createdTimestamp: await this.tso.allocate(),
        properties: { ...properties },
      };
      await this.commit({ put: [[dbKey(db.id), databaseToJson(db)]] }, idsBefore);
      this.databases.set(name, db);
      this.aliases.set(db.id, new Map());
    });
  }

  dropDatabase(name: string): Promise<void> {
    return this.ddl.run(async () => {
      if (name === DEFAULT_DATABASE) throw errors.unexpected('can not drop default database');
      const db = this.databases.get(name);
      if (!db) return; // Milvus: dropping a missing database succeeds.
      if ([...this.collections.values()].some((c) => c.dbId === db.id)) {
        throw errors.unexpected(`database:${name} not empty, must drop all collections before drop database`);
      }
      await this.commit({ delete: [dbKey(db.id)], deletePrefix: [`catalog/alias/${db.id}/`] }, this.nextId);
      this.databases.delete(name);
      this.aliases.delete(db.id);
    });
  }

  alterDatabase(name: string, properties: Record<string, string>, deleteKeys: string[]): Promise<void> {
    return this.ddl.run(async () => {
      const db = this.getDatabase(name);
      const updated: DatabaseInfo = { ...db, properties: { ...db.properties, ...properties } };
      for (const key of deleteKeys) delete updated.properties[key];
      await this.commit({ put: [[dbKey(db.id), databaseToJson(updated)]] }, this.nextId);
      this.databases.set(db.name, updated);
    });
  }

  /** Returns the new collection, or the existing one when an identical create is repeated. */
  createCollection(dbName: string, request: NewCollection): Promise<CollectionInfo> {
    return this.ddl.run(async () => {
      const db = this.databases.get(Catalog.normaliseDatabaseName(dbName));
      if (!db) {
        throw errors.databaseNotFound(Catalog.normaliseDatabaseName(dbName), 'failed to create collection');
      }
      const existing = this.findByName(db.id, request.name);
      if (existing) {
        if (sameCollectionRequest(existing, request)) return existing;
        throw errors.unexpected(
          `create duplicate collection with different parameters, collection: ${request.name}`,
        );
      }
      if (this.aliases.get(db.id)?.has(request.name)) {
        throw errors.parameterInvalid(
          `collection name [${request.name}] conflicts with an existing alias, please choose a unique name`,
        );
      }
      if (this.collections.size >= this.limits.maxCollections) {
        throw errors.collectionNumLimitExceeded(db.name, this.limits.maxCollections);
      }
      const idsBefore = this.nextId;
      const ts = await this.tso.allocate();
      const partitionNames =
        request.partitionKeyPartitions > 0
          ? Array.from({ length: request.partitionKeyPartitions }, (_, i) => `${DEFAULT_PARTITION}_${i}`)
          : [DEFAULT_PARTITION];
      const collection: CollectionInfo = {
        id: this.allocateIds(1),
        dbId: db.id,
        name: request.name,
        schema: assignFieldIds(request.schema),
        shardsNum: request.shardsNum,
        consistencyLevel: request.consistencyLevel,
        properties: { ...request.properties },
        partitions: partitionNames.map((name) => ({ id: this.allocateIds(1), name, createdTimestamp: ts })),
        createdTimestamp: ts,
        updateTimestamp: ts,
      };
      await this.commit({ put: [[collectionKey(collection.id), collectionToJson(collection)]] }, idsBefore);
      this.collections.set(collection.id, collection);
      for (const observer of this.observers) observer.collectionCreated?.(collection);
      return collection;
    });
  }

  dropCollection(dbName: string, name: string): Promise<void> {
    return this.ddl.run(async () => {
      const db = this.getDatabase(dbName);
      if (this.aliases.get(db.id)?.has(name)) {
        throw errors.parameterInvalid(`cannot drop the collection via alias = ${name}`);
      }
      const collection = this.findByName(db.id, name);
      if (!collection) return; // Milvus: dropping a missing collection succeeds.
      const aliases = this.aliasesOf(collection);
      if (aliases.length > 0) {
        throw errors.parameterInvalid(
          `unable to drop the collection [${name}] because it has associated aliases [${aliases.join(', ')}], please remove all aliases before dropping the collection`,
        );
      }
      await this.commit({ delete: [collectionKey(collection.id)] }, this.nextId);
      this.collections.delete(collection.id);
      for (const observer of this.observers) await observer.collectionDropped?.(collection);
    });
  }

  renameCollection(dbName: string, oldName: string, newName: string, newDbName?: string): Promise<void> {
    return this.ddl.run(async () => {
      const db = this.getDatabase(dbName);
      const targetName = Catalog.normaliseDatabaseName(newDbName || db.name);
      const target = this.databases.get(targetName);
      if (!target) throw errors.unexpected(`target database:${targetName} not found`);
      if (this.aliases.get(db.id)?.has(oldName)) {
        throw errors.unexpected(`unsupported use an alias to rename collection, alias:${oldName}`);
      }
      if (this.findByName(target.id, newName) || this.aliases.get(target.id)?.has(newName)) {
        throw errors.unexpected(
          `duplicated new collection name ${target.name}:${newName} with other collection name or alias`,
        );
      }
      const collection = this.findByName(db.id, oldName);
      if (!collection) throw errors.collectionNotFound(db.name, oldName);
      if (target.id !== db.id && this.aliasesOf(collection).length > 0) {
        throw errors.unexpected(
          `fail to rename collection to different database, must drop all aliases of collection ${oldName} before rename`,
        );
      }
      const renamed: CollectionInfo = {
        ...collection,
        name: newName,
        dbId: target.id,
        schema: { ...collection.schema, name: newName },
        updateTimestamp: await this.tso.allocate(),
      };
      await this.commit({ put: [[collectionKey(collection.id), collectionToJson(renamed)]] }, this.nextId);
      this.collections.set(collection.id, renamed);
    });
  }

  alterCollectionProperties(
    dbName: string,
    name: string,
    properties: Record<string, string>,
    deleteKeys: string[],
  ): Promise<CollectionInfo> {
    return this.ddl.run(async () => {
      const collection = this.getCollection(dbName, name);
      const updated: CollectionInfo = {
        ...collection,
        properties: { ...collection.properties, ...properties },
        updateTimestamp: await this.tso.allocate(),
      };
      for (const key of deleteKeys) delete updated.properties[key];
      await this.commit({ put: [[collectionKey(collection.id), collectionToJson(updated)]] }, this.nextId);
      this.collections.set(collection.id, updated);
      return updated;
    });
  }

  createPartition(dbName: string, collectionName: string, partitionName: string): Promise<void> {
    return this.ddl.run(async () => {
      const collection = this.getCollection(dbName, collectionName);
      if (this.isPartitionKeyCollection(collection)) {
        throw errors.parameterInvalid('disable create partition if partition key mode is used');
      }
      if (collection.partitions.some((p) => p.name === partitionName)) return; // idempotent, as Milvus
      if (collection.partitions.length >= this.limits.maxPartitionsPerCollection) {
        throw errors.unexpected(
          `partition number (${collection.partitions.length}) exceeds max configuration (${this.limits.maxPartitionsPerCollection}), collection: ${collection.name}`,
        );
      }
      const idsBefore = this.nextId;
      const partition: PartitionInfo = {
        id: this.allocateIds(1),
        name: partitionName,
        createdTimestamp: await this.tso.allocate(),
        // A collection loaded whole (LoadCollection) loads its new partitions too, as in Milvus.
        ...(collection.loadMode === 'collection' ? { loaded: true } : {}),
      };
      const updated: CollectionInfo = { ...collection, partitions: [...collection.partitions, partition] };
      await this.commit({ put: [[collectionKey(collection.id), collectionToJson(updated)]] }, idsBefore);
      this.collections.set(collection.id, updated);
      for (const observer of this.observers) observer.partitionCreated?.(updated, partition);
    });
  }

  dropPartition(dbName: string, collectionName: string, partitionName: string): Promise<void> {
    return this.ddl.run(async () => {
      const collection = this.getCollection(dbName, collectionName);
      if (this.isPartitionKeyCollection(collection)) {
        throw errors.parameterInvalid('disable drop partition if partition key mode is used');
      }
      if (partitionName === DEFAULT_PARTITION)
        throw errors.parameterInvalid('default partition cannot be deleted');
      const partition = collection.partitions.find((p) => p.name === partitionName);
      if (!partition) return; // Milvus: dropping a missing partition succeeds.
      const updated: CollectionInfo = {
        ...collection,
        partitions: collection.partitions.filter((p) => p.id !== partition.id),
      };
      await this.commit({ put: [[collectionKey(collection.id), collectionToJson(updated)]] }, this.nextId);
      this.collections.set(collection.id, updated);
      for (const observer of this.observers) await observer.partitionDropped?.(updated, partition);
    });
  }

  createAlias(dbName: string, collectionName: string, alias: string): Promise<void> {
    return this.ddl.run(async () => {
      const db = this.getDatabase(dbName);
      if (this.findByName(db.id, alias)) {
        throw errors.aliasCollectionNameConflict(db.name, alias);
      }
      const collection = this.findByName(db.id, collectionName);
      if (!collection) throw errors.collectionNotFound(db.name, collectionName);
      const current = this.aliases.get(db.id)?.get(alias);
      if (current === collection.id) return; // idempotent, as Milvus
      if (current !== undefined) {
        const other = this.collections.get(current)?.name ?? String(current);
        throw errors.aliasAlreadyExist(db.name, alias, `${alias} is alias to another collection: ${other}`);
      }
      const record: AliasInfo = { dbId: db.id, name: alias, collectionId: collection.id };
      await this.commit({ put: [[aliasKey(db.id, alias), aliasToJson(record)]] }, this.nextId);
      this.aliases.get(db.id)?.set(alias, collection.id);
    });
  }

  alterAlias(dbName: string, collectionName: string, alias: string): Promise<void> {
    return this.ddl.run(async () => {
      const db = this.getDatabase(dbName);
      if (this.findByName(db.id, alias)) {
        throw errors.aliasCollectionNameConflict(db.name, alias);
      }
      const collection = this.findByName(db.id, collectionName);
      if (!collection) throw errors.collectionNotFoundByName(collectionName);
      if (!this.aliases.get(db.id)?.has(alias)) throw errors.aliasNotFound(db.name, alias);
      const record: AliasInfo = { dbId: db.id, name: alias, collectionId: collection.id };
      await this.commit({ put: [[aliasKey(db.id, alias), aliasToJson(record)]] }, this.nextId);
      this.aliases.get(db.id)?.set(alias, collection.id);
    });
  }

  dropAlias(dbName: string, alias: string): Promise<void> {
    return this.ddl.run(async () => {
      const db = this.getDatabase(dbName);
      if (!this.aliases.get(db.id)?.has(alias)) return; // Milvus: dropping a missing alias succeeds.
      await this.commit({ delete: [aliasKey(db.id, alias)] }, this.nextId);
      this.aliases.get(db.id)?.delete(alias);
    });
  }

  /**
   * Declares an index. Repeating an identical declaration succeeds (as in Milvus); a second,
   * different index on the same field, or a name already used on another field, is refused.
   */
  createIndex(
    dbName: string,
    collectionName: string,
    index: Omit<IndexInfo, 'id' | 'createdTimestamp'>,
  ): Promise<IndexInfo> {
    return this.ddl.run(async () => {
      const collection = this.getCollection(dbName, collectionName);
      const indexes = collection.indexes ?? [];
      const sameField = indexes.find((i) => i.fieldName === index.fieldName);
      if (sameField) {
        const same =
          sameField.name === index.name &&
          sameField.indexType === index.indexType &&
          sameField.metricType === index.metricType &&
          JSON.stringify(sameField.params) === JSON.stringify(index.params);
        if (same) return sameField;
        throw errors.uncoded('CreateIndex failed: at most one distinct index is allowed per field');
      }
      if (indexes.some((i) => i.name === index.name)) {
        throw errors.uncoded(
          `CreateIndex failed: index already exist, but parameters are inconsistent. source index: ${index.name}`,
        );
      }
      const idsBefore = this.nextId;
      const created: IndexInfo = {
        ...index,
        id: this.allocateIds(1),
        createdTimestamp: await this.tso.allocate(),
      };
      const updated: CollectionInfo = { ...collection, indexes: [...indexes, created] };
      await this.commit({ put: [[collectionKey(collection.id), collectionToJson(updated)]] }, idsBefore);
      this.collections.set(collection.id, updated);
      for (const observer of this.observers) observer.indexCreated?.(updated, created);
      return created;
    });
  }

  /** Drops the index on `fieldName` or named `indexName`; dropping a missing index succeeds. */
  dropIndex(dbName: string, collectionName: string, fieldName: string, indexName: string): Promise<void> {
    return this.ddl.run(async () => {
      const collection = this.getCollection(dbName, collectionName);
      const indexes = collection.indexes ?? [];
      const target = indexes.find(
        (i) => (indexName === '' || i.name === indexName) && (fieldName === '' || i.fieldName === fieldName),
      );
      if (!target) return;
      const updated: CollectionInfo = { ...collection, indexes: indexes.filter((i) => i !== target) };
      await this.commit({ put: [[collectionKey(collection.id), collectionToJson(updated)]] }, this.nextId);
      this.collections.set(collection.id, updated);
      for (const observer of this.observers) observer.indexDropped?.(updated, target);
    });
  }

  /**
   * Changes which partitions are loaded: `partitionNames` empty means the whole collection (and, when
   * loading, every partition created later). Names must exist (checked before anything changes).
   * Loading is only a flag: data is always resident, so the new state is immediate and durable.
   */
  setLoaded(
    dbName: string,
    collectionName: string,
    loaded: boolean,
    partitionNames: readonly string[],
  ): Promise<void> {
    return this.ddl.run(async () => {
      const collection = this.getCollection(dbName, collectionName);
      const targets = new Set(partitionNames.map((name) => this.getPartition(collection, name).id));
      const whole = targets.size === 0;
      const partitions = collection.partitions.map((p): PartitionInfo => {
        if (!whole && !targets.has(p.id)) return p;
        const { loaded: _previous, ...rest } = p;
        return loaded ? { ...rest, loaded: true } : rest;
      });
      const anyLoaded = partitions.some((p) => p.loaded);
      const loadMode: LoadMode | undefined = !anyLoaded
        ? undefined
        : loaded && whole
          ? 'collection'
          : loaded
            ? (collection.loadMode ?? 'partitions')
            : 'partitions';
      const { loadMode: _mode, ...base } = collection;
      const updated: CollectionInfo = { ...base, partitions, ...(loadMode ? { loadMode } : {}) };
      if (collectionToJson(updated) === collectionToJson(collection)) return;
      await this.commit({ put: [[collectionKey(collection.id), collectionToJson(updated)]] }, this.nextId);
      this.collections.set(collection.id, updated);
    });
  }

  /** The database a collection lives in (for responses that report db_name). */
  databaseOf(collection: CollectionInfo): DatabaseInfo {
    return this.databaseById(collection.dbId);
  }
}

/** Field IDs start at 100, in declaration order, as Milvus assigns them. */
function assignFieldIds(schema: CollectionSchema): CollectionSchema {
  const fields = schema.fields.map((field, index) => ({ ...field, fieldId: 100 + index }));
  const idByName = new Map(fields.map((f) => [f.name, f.fieldId]));
  const functions = schema.functions.map((fn, index) => ({
    ...fn,
    id: 100 + index,
    inputFieldIds: fn.inputFieldNames.map((n) => idByName.get(n) ?? 0),
    outputFieldIds: fn.outputFieldNames.map((n) => idByName.get(n) ?? 0),
  }));
  return { ...schema, fields, functions };
}

/** Milvus treats a repeated create with identical parameters as success. */
function sameCollectionRequest(existing: CollectionInfo, request: NewCollection): boolean {
  const stripIds = (schema: CollectionSchema) =>
    JSON.stringify({
      ...schema,
      fields: schema.fields.map(({ fieldId: _fieldId, ...rest }) => rest),
      functions: schema.functions.map(({ id: _id, inputFieldIds: _i, outputFieldIds: _o, ...rest }) => rest),
    });
  const expectedPartitions = request.partitionKeyPartitions > 0 ? request.partitionKeyPartitions : 1;
  return (
    stripIds(existing.schema) === stripIds(request.schema) &&
    existing.shardsNum === request.shardsNum &&
    existing.consistencyLevel === request.consistencyLevel &&
    (request.partitionKeyPartitions === 0 || existing.partitions.length === expectedPartitions)
  );
}
