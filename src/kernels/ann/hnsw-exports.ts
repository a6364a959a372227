/**
 * The raw HNSW entry points of the kernel module (src/kernels/wasm/hnsw.as). Pointers are byte offsets
 * into the KernelMemory: `graph` is the graph region (layout in hnsw-layout.ts), `scratch` the calling
 * thread's HnswScratch header. Reach them with `kernels.raw as unknown as HnswExports`.
 */
export interface HnswExports {
  /** Inserts rows [from, to) in order; their adjacency lists must be empty. */
  hnswInsert(
    graph: number,
    scratch: number,
    vectors: number,
    invNorms: number,
    from: number,
    to: number,
    efConstruction: number,
  ): void;
  /**
   * Searches nq float32 queries; writes nq x k ids and scores best first, padded with -1 / NaN.
   * Returns the smallest number of hits over the queries.
   */
  hnswSearch(
    graph: number,
    scratch: number,
    vectors: number,
    invNorms: number,
    queries: number,
    nq: number,
    k: number,
    ef: number,
    bitset: number,
    outIds: number,
    outScores: number,
  ): number;
}
