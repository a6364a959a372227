import { availableParallelism } from 'node:os';
import { ResidentVectorCache } from '../engine/search/resident-vector-cache.js';
import { SparseIndexCache } from '../engine/search/sparse-index-cache.js';
import { VectorSearcher } from '../engine/search/vector-search.js';
import { StorageEngine, type StorageEngineOptions } from '../engine/storage-engine.js';
import { VectorIndexManager } from '../engine/vector-index/vector-index-manager.js';
import { KernelWorkerPool } from '../engine/workers/kernel-worker-pool.js';
import { DistanceKernels } from '../kernels/distance/distance-kernels.js';
import { KernelMemory } from '../kernels/distance/kernel-memory.js';
import type { Logger } from '../observability/logger.js';
import { DataType, isVectorType } from '../schema/index.js';
import type { MetaStore } from '../storage/meta-store.js';
import { AliasService } from './alias-service.js';
import { AnalyzerService } from './analyzer-service.js';
import { Catalog } from './catalog/catalog.js';
import type { CollectionInfo } from './catalog/catalog-model.js';
import { TimestampOracle } from './catalog/timestamp-oracle.js';
import { CollectionService } from './collection-service.js';
import { DataService } from './data-service.js';
import { DatabaseService } from './database-service.js';
import { HybridSearchService } from './hybrid-search-service.js';
import { IndexService } from './index-service.js';
import { LoadService } from './load-service.js';
import { PartitionService } from './partition-service.js';
import { MAX_QUERY_RESULT_WINDOW, QueryService } from './query-service.js';
import { scalarIndexSpecs } from './scalar-index-specs.js';
import { SearchService } from './search-service.js';
import { SessionService } from './session-service.js';
import { vectorIndexSpecs } from './vector-index-specs.js';

export interface QuiverServiceOptions {
  metaStore: MetaStore;
  dataDir: string;
  logger?: Logger;
  engine?: Partial<Omit<StorageEngineOptions, 'dataDir' | 'metaStore' | 'allocateTimestamp' | 'logger'>>;
  /** Cap on offset + limit for Query and Search (Milvus's maxQueryResultWindow, 16,384). */
  maxQueryResultWindow?: number;
  /** Every collection counts as loaded (the --auto-load option): no load() needed before search. */
  autoLoad?: boolean;
  /** Search worker threads (0 = search on the event loop thread); default: one per CPU. */
  searchThreads?: number;
}

/** The search machinery of a node: one shared kernel memory and what runs on it. */
export interface SearchRuntime {
  kernels: DistanceKernels;
  residentVectors: ResidentVectorCache;
  searchPool: KernelWorkerPool;
  buildPool: KernelWorkerPool;
  vectorIndexes: VectorIndexManager;
  sparseIndexes: SparseIndexCache;
  searcher: VectorSearcher;
}

/** Every use-case of a Quiver node, composed over one catalog and one storage engine. */
export class QuiverService {
  readonly sessions: SessionService;
  readonly databases: DatabaseService;
  readonly collections: CollectionService;
  readonly partitions: PartitionService;
  readonly aliases: AliasService;
  readonly data: DataService;
  readonly query: QueryService;
  readonly indexes: IndexService;
  readonly search: SearchService;
  readonly hybridSearch: HybridSearchService;
  readonly analyzers: AnalyzerService;
  readonly loads: LoadService;

  private constructor(
    readonly catalog: Catalog,
    readonly tso: TimestampOracle,
    readonly engine: StorageEngine,
    maxQueryResultWindow: number,
    autoLoad: boolean,
    readonly runtime: SearchRuntime,
  ) {
    this.loads = new LoadService(catalog, autoLoad, (collection) => this.warmLoaded(collection.id));
    this.sessions = new SessionService(tso);
    this.databases = new DatabaseService(catalog);
    this.collections = new CollectionService(catalog);
    this.partitions = new PartitionService(catalog);
    this.aliases = new AliasService(catalog);
    this.data = new DataService(catalog, engine);
    this.query = new QueryService(catalog, engine, this.loads, maxQueryResultWindow);
    this.indexes = new IndexService(catalog, runtime.vectorIndexes);
    this.search = new SearchService(
      catalog,
      engine,
      this.loads,
      runtime.searcher,
      maxQueryResultWindow,
      runtime.sparseIndexes,
    );
    this.hybridSearch = new HybridSearchService(catalog, this.search);
    this.analyzers = new AnalyzerService(catalog);
  }

  static async open(options: QuiverServiceOptions): Promise<QuiverService> {
    const tso = await TimestampOracle.open(options.metaStore);
    const catalog = await Catalog.open(options.metaStore, tso);
    const specs = catalog.listDatabases().flatMap((db) =>
      catalog.listCollections(db.name).map((c) => ({
        id: c.id,
        schema: c.schema,
        partitionIds: c.partitions.map((p) => p.id),
        scalarIndexes: scalarIndexSpecs(c),
      })),
    );
    // One shared kernel memory: sealed segments' vectors are read into it at startup, and every
    // search worker scans them in place.
    const kernels = DistanceKernels.load(KernelMemory.create());
    // The engine reports sealed-segment changes; vector indexes follow them (bound below).
    let segmentsChanged: (collectionId: number) => void = () => {};
    const engine = await StorageEngine.open(
      {
        ...options.engine,
        onSegmentsChanged: (collectionId) => segmentsChanged(collectionId),
        dataDir: options.dataDir,
        metaStore: options.metaStore,
        allocateTimestamp: () => tso.allocate(),
        logger: options.logger?.child({ component: 'engine' }),
        kernelMemory: kernels.memory,
      },
      specs,
    );
    const residentVectors = new ResidentVectorCache(kernels);
    const searchPool = KernelWorkerPool.start(
      kernels.memory,
      options.searchThreads ?? availableParallelism(),
    );
    // Index builds get a worker of their own, so searches never queue behind a build.
    const buildPool = KernelWorkerPool.start(kernels.memory, options.searchThreads === 0 ? 0 : 1, {
      lazy: true,
    });
    const vectorIndexes = new VectorIndexManager({
      collection: (id) => (engine.hasCollection(id) ? engine.collection(id) : undefined),
      indexPath: (collectionId, segmentId, fieldId) =>
        engine.vectorIndexPath(collectionId, segmentId, fieldId),
      kernels,
      residents: residentVectors,
      buildPool,
      log: options.logger?.child({ component: 'vector-index' }),
    });
    let warm: (collectionId: number) => void = () => {};
    segmentsChanged = (collectionId) => {
      vectorIndexes.reconcile(collectionId);
      warm(collectionId);
    };
    for (const db of catalog.listDatabases()) {
      for (const c of catalog.listCollections(db.name)) vectorIndexes.setSpecs(c.id, vectorIndexSpecs(c));
    }
    const runtime: SearchRuntime = {
      kernels,
      residentVectors,
      searchPool,
      buildPool,
      vectorIndexes,
      sparseIndexes: new SparseIndexCache(buildPool, options.logger?.child({ component: 'sparse-index' })),
      searcher: new VectorSearcher(searchPool, residentVectors, kernels, undefined, vectorIndexes),
    };
    const maintainIndexes = (c: CollectionInfo) => {
      engine.setScalarIndexes(c.id, scalarIndexSpecs(c)).catch((error: unknown) => {
        options.logger?.error({ err: error, collection: c.name }, 'building scalar indexes failed');
      });
    };
    catalog.addObserver({
      collectionCreated: (c) =>
        engine.addCollection({ id: c.id, schema: c.schema, partitionIds: c.partitions.map((p) => p.id) }),
      partitionCreated: (c, p) => engine.addPartition(c.id, p.id),
      collectionDropped: (c) => {
        vectorIndexes.dropCollection(c.id);
        residentVectors.dropCollection(c.id);
        return engine.dropCollection(c.id);
      },
      partitionDropped: (c, p) => engine.dropPartition(c.id, p.id),
      // Index files are built in the background; filters scan until an index is ready.
      indexCreated: (c) => {
        maintainIndexes(c);
        vectorIndexes.setSpecs(c.id, vectorIndexSpecs(c));
      },
      indexDropped: (c) => {
        maintainIndexes(c);
        vectorIndexes.setSpecs(c.id, vectorIndexSpecs(c));
      },
    });
    const service = new QuiverService(
      catalog,
      tso,
      engine,
      options.maxQueryResultWindow ?? MAX_QUERY_RESULT_WINDOW,
      options.autoLoad ?? false,
      runtime,
    );
    warm = (collectionId) => service.warmLoaded(collectionId);
    for (const db of catalog.listDatabases()) {
      for (const c of catalog.listCollections(db.name)) service.warmLoaded(c.id);
    }
    return service;
  }

  /** Flushes the WAL and stops background work. */
  private warming: Promise<void> = Promise.resolve();
  private closing = false;

  /**
   * Brings the sealed segments of a loaded collection's loaded partitions into search memory in the
   * background (ResidentVectorCache.warm: a slice per event-loop turn), so the first search does not
   * pay for copying them. One collection at a time, in the order asked.
   */
  warmLoaded(collectionId: number): void {
    this.warming = this.warming
      .then(async () => {
        const collection = this.catalog.getCollectionById(collectionId);
        if (this.closing || !collection || !this.engine.hasCollection(collectionId)) return;
        const loaded = new Set(
          collection.partitions.filter((p) => this.loads.isPartitionLoaded(p)).map((p) => p.id),
        );
        const fields = collection.schema.fields.filter(
          (f) =>
            isVectorType(f.dataType) &&
            f.dataType !== DataType.SparseFloatVector &&
            f.dataType !== DataType.Int8Vector,
        );
        const data = this.engine.collection(collectionId);
        for (const partition of data.partitions.values()) {
          if (!loaded.has(partition.id)) continue;
          for (const segment of partition.segments) {
            if (this.closing) return;
            for (const field of fields) {
              const column = segment.column(field.name);
              if (column) await this.runtime.residentVectors.warm(collectionId, segment, field.name, column);
            }
          }
        }
      })
      .catch(() => {
        // A failed warm-up only means the first search copies the vectors itself.
      });
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.warming;
    await this.runtime.vectorIndexes.close();
    await this.runtime.searchPool.close();
    await this.runtime.buildPool.close();
    await this.engine.close();
  }
}
