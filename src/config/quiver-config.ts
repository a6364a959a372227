/** Every setting of a Quiver node. Defaults live in default-config.ts. */
export interface QuiverConfig {
  /** Address the gRPC (and later REST) listener binds. */
  host: string;
  /** Milvus's proxy port. */
  port: number;
  /** Health and Prometheus metrics port (Milvus: common.MetricsPort). */
  metricsPort: number;
  /** Root of all persistent state: catalog metadata, WAL, segments, indexes. */
  dataDir: string;
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
  /**
   * When an acknowledged write is on disk: 'always' fsyncs each group commit before acknowledging
   * (durable; the default), 'batch' also waits a few ms to group more writes, 'none' never fsyncs
   * (benchmarks only: a crash can lose acknowledged writes).
   */
  walSync: 'always' | 'batch' | 'none';
  /** Largest offset + limit a Query or Search may ask for (Milvus: quotaAndLimits.maxQueryResultWindow). */
  maxQueryResultWindow: number;
  /** Largest gRPC message accepted or sent, in bytes (Milvus default: 64 MiB in, 64 MiB out; we allow more). */
  grpcMaxMessageBytes: number;
  /**
   * Every collection counts as loaded, so search and query never fail with "collection not loaded"
   * and nobody has to call load(). Off by default, as Milvus: LoadCollection decides.
   */
  autoLoad: boolean;
  /**
   * Worker threads that run vector scans, so big searches never block the event loop; 0 runs them
   * on the event loop thread. Default: one per CPU (os.availableParallelism()).
   */
  searchThreads: number;
}
