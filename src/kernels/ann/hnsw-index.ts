import type { CandidateBitset } from '../distance/candidate-bitset.js';
import type { DistanceKernels } from '../distance/distance-kernels.js';
import { type FloatMetric, isFloatMetric, METRIC_CODES } from '../distance/metric.js';
import type { ResidentVectors } from '../distance/resident-vectors.js';
import { createTopKResult, type TopKResult } from '../distance/top-k-result.js';
import { hnswFromBytes, hnswToBytes } from './hnsw-bytes.js';
import type { HnswExports } from './hnsw-exports.js';
import { hnswLayout, writeHnswHeader } from './hnsw-layout.js';
import { hnswLevels } from './hnsw-levels.js';
import { hnswScratch } from './hnsw-scratch.js';

/** Milvus's (knowhere's) accepted ranges. */
export const HNSW_M_RANGE = [2, 2048] as const;
export const HNSW_EF_RANGE = [1, 0x7fffffff] as const;

export interface HnswBuildOptions {
  metric: FloatMetric;
  /** Links per node on upper levels (level 0 keeps up to 2M). Milvus range [2, 2048]. */
  M: number;
  /** Beam width while inserting. Milvus range [1, 2^31 - 1]; raised to M as hnswlib does. */
  efConstruction: number;
  /** Seeds the level draw: same seed and vectors, same graph (identical toBytes). */
  seed: number;
  onProgress?: (done: number, total: number) => void;
}

export interface HnswSearchRequest {
  /** nq float32 queries, row-major (nq = queries.length / dim). */
  queries: Float32Array;
  k: number;
  /** Beam width at level 0; must be >= k. */
  ef: number;
  /** Only rows whose bit is set are returned; every row may still be traversed. */
  bitset?: CandidateBitset;
}

/** Plain data (numbers and a string), postMessage-able to a worker on the same KernelMemory. */
export interface HnswHandle {
  readonly ptr: number;
  readonly bytes: number;
  readonly rows: number;
  readonly dim: number;
  readonly metric: FloatMetric;
  readonly M: number;
  readonly efConstruction: number;
  readonly seed: number;
}

/** Rows inserted per WASM call during a build, between onProgress reports. */
const BUILD_CHUNK = 1024;
/** Queries copied into scratch per WASM call. */
const QUERY_BLOCK = 64;

function align64(bytes: number): number {
  return Math.ceil(bytes / 64) * 64;
}

function requireInteger(value: number, name: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${value}`);
  }
  return value;
}

/**
 * An HNSW index over resident float32 vectors (L2, IP, COSINE) whose graph lives in kernel memory, so
 * worker threads with their own DistanceKernels on the same memory can search it in place (attach).
 * Built deterministically from a seed, single-threaded, by the WASM kernels (hnsw.as). The index
 * references the vectors; it neither owns nor frees them.
 */
export class HnswIndex {
  readonly handle: HnswHandle;
  private readonly vectors: ResidentVectors;

  private constructor(handle: HnswHandle, vectors: ResidentVectors) {
    this.handle = handle;
    this.vectors = vectors;
  }

  get memoryBytes(): number {
    return this.handle.bytes;
  }

  static build(kernels: DistanceKernels, vectors: ResidentVectors, options: HnswBuildOptions): HnswIndex {
    if (vectors.kind !== 'float32') throw new TypeError('HNSW needs float32 vectors');
    if (!isFloatMetric(options.metric))
      throw new RangeError(`HNSW does not support metric ${options.metric}`);
    const m = requireInteger(options.M, 'M', HNSW_M_RANGE[0], HNSW_M_RANGE[1]);
    const efConstruction = requireInteger(
      options.efConstruction,
      'efConstruction',
      HNSW_EF_RANGE[0],
      HNSW_EF_RANGE[1],
    );
    if (!Number.isSafeInteger(options.seed))
      throw new RangeError(`seed must be an integer, got ${options.seed}`);
    const seed = options.seed >>> 0;
    const rows = vectors.rows;
    const levels = hnswLevels(rows, m, seed);
    const layout = hnswLayout(levels, m);
    const memory = kernels.memory;
    const ptr = memory.allocate(layout.totalBytes);
    const handle: HnswHandle = {
      ptr,
      bytes: layout.totalBytes,
      rows,
      dim: vectors.dim,
      metric: options.metric,
      M: m,
      efConstruction,
      seed,
    };
    try {
      writeHnswHeader(memory, ptr, {
        rows,
        dim: vectors.dim,
        metricCode: METRIC_CODES[options.metric],
        m,
        entry: -1,
        maxLevel: -1,
      });
      memory.int32(ptr + layout.levelsAt, rows).set(levels);
      memory.int32(ptr + layout.upperOffsetsAt, rows).set(layout.upperOffsets);
      // Every adjacency list starts empty (count 0).
      memory.uint8(ptr + layout.level0At, layout.totalBytes - layout.level0At).fill(0);
      // hnswlib raises efConstruction to M; never search wider than there are rows.
      const beam = Math.min(Math.max(efConstruction, m), Math.max(rows, 1));
      const scratch = hnswScratch(kernels, rows, Math.max(beam, 2 * m + 1), 2 * m + 1, 0);
      const raw = kernels.raw as unknown as HnswExports;
      for (let from = 0; from < rows; from += BUILD_CHUNK) {
        const to = Math.min(rows, from + BUILD_CHUNK);
        raw.hnswInsert(ptr, scratch.ptr, vectors.ptr, vectors.invNormsPtr, from, to, beam);
        options.onProgress?.(to, rows);
      }
    } catch (error) {
      memory.release(ptr);
      throw error;
    }
    return new HnswIndex(handle, vectors);
  }

  /** Joins an index built by another thread on the same KernelMemory (no copy). */
  static attach(handle: HnswHandle, vectors: ResidentVectors): HnswIndex {
    if (vectors.kind !== 'float32' || vectors.rows !== handle.rows || vectors.dim !== handle.dim) {
      throw new RangeError(
        `vectors (${vectors.rows} x ${vectors.dim}) do not match the index (${handle.rows} x ${handle.dim})`,
      );
    }
    return new HnswIndex({ ...handle }, vectors);
  }

  /** The graph as self-describing bytes (magic, version, parameters, levels and adjacency). */
  toBytes(kernels: DistanceKernels): Uint8Array {
    return hnswToBytes(kernels, this.handle);
  }

  /** Rebuilds an index from toBytes output into fresh kernel memory, over `vectors`. */
  static fromBytes(kernels: DistanceKernels, bytes: Uint8Array, vectors: ResidentVectors): HnswIndex {
    if (vectors.kind !== 'float32') throw new TypeError('HNSW needs float32 vectors');
    return new HnswIndex(hnswFromBytes(kernels, bytes, vectors), vectors);
  }

  release(kernels: DistanceKernels): void {
    kernels.memory.release(this.handle.ptr);
  }

  /**
   * The k best rows per query found by the graph search with beam width ef (>= k), best first, as
   * DistanceKernels.topK orders and scores them. A query with fewer than k reachable candidate rows is
   * padded with id -1 / NaN; result.count is the smallest hit count over the queries.
   */
  search(kernels: DistanceKernels, request: HnswSearchRequest, into?: TopKResult): TopKResult {
    const { rows, dim } = this.handle;
    const k = requireInteger(request.k, 'k', 1, HNSW_EF_RANGE[1]);
    const ef = requireInteger(request.ef, 'ef', HNSW_EF_RANGE[0], HNSW_EF_RANGE[1]);
    if (ef < k) throw new RangeError(`ef (${ef}) must be at least k (${k})`);
    const queries = request.queries;
    if (queries.length % dim !== 0) {
      throw new RangeError(`queries length ${queries.length} is not a multiple of dim ${dim}`);
    }
    const nq = queries.length / dim;
    const result = into ?? createTopKResult(nq, k);
    if (result.nq !== nq || result.k !== k) {
      throw new RangeError(`result is shaped ${result.nq} x ${result.k}, the search needs ${nq} x ${k}`);
    }
    const bitset = request.bitset;
    const bitsetBytes = bitset === undefined ? 0 : Math.ceil(rows / 32) * 4;
    if (bitset !== undefined && bitset.byteLength < Math.ceil(rows / 8)) {
      throw new RangeError(`bitset has ${bitset.byteLength} bytes, ${rows} rows need ${Math.ceil(rows / 8)}`);
    }
    // A beam wider than the rows finds the same results as one of `rows` (or k when k > rows).
    const beam = Math.min(ef, Math.max(rows, k));
    const block = Math.min(nq, QUERY_BLOCK);
    const queriesAt = align64(bitsetBytes);
    const idsAt = queriesAt + align64(block * dim * 4);
    const scoresAt = idsAt + align64(block * k * 4);
    const m0 = 2 * this.handle.M;
    const scratch = hnswScratch(kernels, rows, beam, m0 + 1, scoresAt + block * k * 4);
    const memory = kernels.memory;
    const io = scratch.ioPtr;
    let bitsetPtr = 0;
    if (bitset !== undefined) {
      bitsetPtr = io;
      const words = memory.uint8(io, bitsetBytes);
      const source = new Uint8Array(
        bitset.buffer,
        bitset.byteOffset,
        Math.min(bitset.byteLength, bitsetBytes),
      );
      words.set(source);
      words.fill(0, source.length);
      // Bits past the last row are ignored.
      if (rows % 32 !== 0) memory.int32(io, bitsetBytes / 4)[bitsetBytes / 4 - 1]! &= (1 << (rows % 32)) - 1;
    }
    const raw = kernels.raw as unknown as HnswExports;
    const vectors = this.vectors;
    let count = k;
    for (let first = 0; first < nq; first += QUERY_BLOCK) {
      const blockNq = Math.min(QUERY_BLOCK, nq - first);
      memory
        .float32(io + queriesAt, blockNq * dim)
        .set(queries.subarray(first * dim, (first + blockNq) * dim));
      const blockCount = raw.hnswSearch(
        this.handle.ptr,
        scratch.ptr,
        vectors.ptr,
        vectors.invNormsPtr,
        io + queriesAt,
        blockNq,
        k,
        beam,
        bitsetPtr,
        io + idsAt,
        io + scoresAt,
      );
      count = Math.min(count, blockCount);
      result.ids.set(memory.int32(io + idsAt, blockNq * k), first * k);
      result.scores.set(memory.float32(io + scoresAt, blockNq * k), first * k);
    }
    result.count = nq === 0 ? 0 : count;
    return result;
  }
}
