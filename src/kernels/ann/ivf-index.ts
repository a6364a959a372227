import type { CandidateBitset } from '../distance/candidate-bitset.js';
import type { DistanceKernels } from '../distance/distance-kernels.js';
import { METRIC_CODES, type Metric } from '../distance/metric.js';
import type { ResidentVectors } from '../distance/resident-vectors.js';
import { createTopKResult, type TopKResult } from '../distance/top-k-result.js';
import { buildIvf, type IvfHandle } from './ivf-build.js';
import { ivfExports } from './ivf-exports.js';
import { type IvfLayout, ivfLayout } from './ivf-layout.js';
import {
  IVF_LIMITS,
  IVF_TYPE_CODES,
  IVF_TYPES,
  type IvfIndexType,
  requireInteger,
  resolveIvfParams,
  resolveNprobe,
} from './ivf-params.js';
import { ivfScratch } from './ivf-scratch.js';
import { align64 } from './kmeans.js';

export type { IvfHandle } from './ivf-build.js';

export interface IvfBuildOptions {
  indexType: IvfIndexType;
  /** L2, IP or COSINE (float32 types); HAMMING or JACCARD (BIN_IVF_FLAT). */
  metric: Metric;
  /** Clusters, [1, 65536]; default 128. */
  nlist?: number;
  /** IVF_PQ: sub-quantizers; must divide dim. */
  m?: number;
  /** IVF_PQ: bits per code, [1, 8]; default 8. */
  nbits?: number;
  seed: number;
  /** Lloyd iterations of each k-means; default 10. */
  iterations?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface IvfSearchRequest {
  /** nq query vectors: float32 (nq = length / dim) or packed binary (nq = length / rowBytes). */
  queries: Float32Array | Uint8Array;
  k: number;
  /** Lists scanned per query, [1, nlist]; default min(8, nlist). nprobe = nlist is exhaustive. */
  nprobe?: number;
  bitset?: CandidateBitset;
  /**
   * IVF_SQ8 / IVF_PQ only (ignored by the exact-scoring types): keep k x rerank candidates by their
   * approximate scores, then re-score them exactly against the original rows and return the best k
   * with exact scores (bit-identical to topK's). Integer in [1, 1000]; default: no reranking.
   */
  rerank?: number;
}

/** Queries per WASM call (probe + scan): amortises the call and copies without large scratch. */
const QUERY_BLOCK = 16;
const MAGIC = 0x46564951; // "QIVF" little-endian
const FORMAT_VERSION = 1;
const HEADER_WORDS = 16;
const HEADER_BYTES = HEADER_WORDS * 4;

/**
 * An inverted-file index (IVF_FLAT, IVF_SQ8, IVF_PQ or BIN_IVF_FLAT) in a KernelMemory: coarse
 * centroids, and per list the rows' data stored contiguously with their original row ids (see
 * ivf-layout.ts). A search probes each query's nprobe nearest centroids and scans those lists in WASM.
 *
 * Scores mean what DistanceKernels.topK reports. IVF_FLAT and BIN_IVF_FLAT scores are bit-identical
 * to the exact scan's (COSINE: the exact cosine, from the rows' own inverse norms), so with
 * nprobe = nlist the result equals topK's. IVF_SQ8 and IVF_PQ scores are approximate distances /
 * similarities from the codes, as Milvus reports them for these index types, unless the search asks
 * for `rerank` (exact re-scoring of k x rerank candidates against the original rows).
 *
 * The index references the vectors it was built on (IVF_FLAT copies them into its lists; the others
 * keep codes and read the rows only to rerank); it never frees them. Per-search scratch is per DistanceKernels instance, so
 * several threads may search one index at once.
 */
export class IvfIndex {
  readonly handle: IvfHandle;
  readonly indexType: IvfIndexType;
  readonly metric: Metric;
  private readonly layout: IvfLayout;
  /** The rows the index was built on (read by reranking). */
  private readonly vectors: ResidentVectors;

  private constructor(handle: IvfHandle, vectors: ResidentVectors) {
    this.handle = handle;
    this.vectors = vectors;
    this.indexType = IVF_TYPES[handle.typeCode]!;
    this.metric = (Object.keys(METRIC_CODES) as Metric[]).find((m) => METRIC_CODES[m] === handle.metricCode)!;
    this.layout = ivfLayout(handle);
  }

  static build(kernels: DistanceKernels, vectors: ResidentVectors, options: IvfBuildOptions): IvfIndex {
    const params = resolveIvfParams(options, vectors.dim);
    const iterations = options.iterations ?? IVF_LIMITS.iterationsDefault;
    requireInteger(iterations, 'iterations', 1, 1000);
    if (!Number.isFinite(options.seed)) throw new RangeError(`seed must be a number, got ${options.seed}`);
    return new IvfIndex(
      buildIvf(kernels, vectors, params, { seed: options.seed, iterations, onProgress: options.onProgress }),
      vectors,
    );
  }

  /** The same index in another thread attached to the same memory (the handle was posted there). */
  static attach(handle: IvfHandle, vectors: ResidentVectors): IvfIndex {
    checkVectors(handle, vectors);
    return new IvfIndex({ ...handle }, vectors);
  }

  get nlist(): number {
    return this.handle.nlist;
  }

  get memoryBytes(): number {
    return this.handle.sizeBytes;
  }

  /** Rows per list (list sizes), for diagnostics and tests. */
  listSizes(kernels: DistanceKernels): Int32Array {
    const starts = kernels.memory.int32(this.handle.ptr + this.layout.listStarts, this.handle.nlist + 1);
    const sizes = new Int32Array(this.handle.nlist);
    for (let l = 0; l < sizes.length; l++) sizes[l] = starts[l + 1]! - starts[l]!;
    return sizes;
  }

  /**
   * The k best rows among each query's nprobe probed lists that pass the bitset. `count` is the
   * largest number of hits any query got; a query with fewer (its probed lists hold fewer candidate
   * rows) is padded with id -1 / score NaN. With `rerank` (IVF_SQ8 / IVF_PQ) the returned rows are
   * the exact best k among k x rerank approximate candidates, with exact scores.
   */
  search(kernels: DistanceKernels, request: IvfSearchRequest, into?: TopKResult): TopKResult {
    const { handle, layout } = this;
    const binary = handle.typeCode === IVF_TYPE_CODES.BIN_IVF_FLAT;
    const k = request.k;
    requireInteger(k, 'k', 1, 0x7fffffff);
    const nprobe = resolveNprobe(request.nprobe, handle.nlist);
    const queries = request.queries;
    if (binary !== queries instanceof Uint8Array) {
      throw new TypeError(`${this.indexType} queries must be a ${binary ? 'Uint8Array' : 'Float32Array'}`);
    }
    const queryBytes = new Uint8Array(queries.buffer, queries.byteOffset, queries.byteLength);
    const rowBytes = layout.rowBytes;
    const nq = queryBytes.length / rowBytes;
    if (!Number.isInteger(nq)) {
      throw new RangeError(
        `queries are ${queryBytes.length} bytes, not a multiple of the row size ${rowBytes}`,
      );
    }
    const result = into ?? createTopKResult(nq, k);
    if (result.nq !== nq || result.k !== k) {
      throw new RangeError(`result is shaped ${result.nq} x ${result.k}, the search needs ${nq} x ${k}`);
    }
    const bitset = request.bitset;
    const rows = handle.rows;
    if (bitset !== undefined && bitset.byteLength < Math.ceil(rows / 8)) {
      throw new RangeError(`bitset bytes is ${bitset.byteLength}, expected at least ${Math.ceil(rows / 8)}`);
    }
    result.count = 0;
    if (nq === 0) return result;

    const raw = kernels.raw;
    const exports = ivfExports(kernels);
    const block = Math.min(nq, QUERY_BLOCK);
    const dim = handle.dim;
    const { m, nbits } = handle;
    const listWork =
      handle.typeCode === IVF_TYPE_CODES.IVF_SQ8
        ? exports.ivfSq8WorkBytes(dim)
        : handle.typeCode === IVF_TYPE_CODES.IVF_PQ
          ? exports.ivfPqWorkBytes(dim, m, nbits)
          : exports.ivfFlatWorkBytes();
    const bitsetBytes = bitset === undefined ? 0 : Math.ceil(rows / 32) * 4;
    // Scratch: topK work | list work | bitset | queries | query inverse norms | probes | probe scores
    //          | ids | scores | counts.
    const listWorkAt = align64(raw.scanWorkBytes());
    const bitsetAt = listWorkAt + align64(listWork);
    const queriesAt = bitsetAt + align64(bitsetBytes);
    const invNormsAt = queriesAt + align64(block * rowBytes);
    const probesAt = invNormsAt + align64(block * 4);
    const probeScoresAt = probesAt + align64(block * nprobe * 4);
    const idsAt = probeScoresAt + align64(block * nprobe * 4);
    const scoresAt = idsAt + align64(block * k * 4);
    const countsAt = scoresAt + align64(block * k * 4);
    // Reranking: the scan keeps scanK candidates per query in the candidate area, then
    // ivfRerankF32 writes the final k into ids / scores / counts.
    const quantized = handle.typeCode === IVF_TYPE_CODES.IVF_SQ8 || handle.typeCode === IVF_TYPE_CODES.IVF_PQ;
    if (request.rerank !== undefined) requireInteger(request.rerank, 'rerank', 1, 1000);
    const rerank = quantized && request.rerank !== undefined;
    const scanK = rerank ? Math.min(k * request.rerank!, 0x7fffffff) : k;
    const candidateIdsAt = countsAt + align64(block * 4);
    const candidateScoresAt = candidateIdsAt + align64(rerank ? block * scanK * 4 : 0);
    const candidateCountsAt = candidateScoresAt + align64(rerank ? block * scanK * 4 : 0);
    const scratch = ivfScratch(kernels, candidateCountsAt + block * 4);
    const memory = kernels.memory;

    let bitsetPtr = 0;
    if (bitset !== undefined) {
      bitsetPtr = scratch + bitsetAt;
      const words = memory.uint8(bitsetPtr, bitsetBytes);
      const source = new Uint8Array(
        bitset.buffer,
        bitset.byteOffset,
        Math.min(bitset.byteLength, bitsetBytes),
      );
      words.set(source);
      words.fill(0, source.length);
    }

    const base = handle.ptr;
    const metricCode = handle.metricCode;
    const probeMetric = binary
      ? METRIC_CODES.HAMMING
      : metricCode === METRIC_CODES.L2
        ? METRIC_CODES.L2
        : METRIC_CODES.IP;
    let most = 0;
    for (let first = 0; first < nq; first += block) {
      const blockNq = Math.min(block, nq - first);
      memory
        .uint8(scratch + queriesAt, blockNq * rowBytes)
        .set(queryBytes.subarray(first * rowBytes, (first + blockNq) * rowBytes));
      const q = scratch + queriesAt;
      const probes = scratch + probesAt;
      if (binary) {
        raw.topKBinary(
          probeMetric,
          q,
          blockNq,
          base + layout.centroids,
          handle.nlist,
          dim,
          0,
          nprobe,
          probes,
          scratch + probeScoresAt,
          scratch,
        );
      } else {
        if (metricCode === METRIC_CODES.COSINE) raw.inverseNormsF32(q, blockNq, dim, scratch + invNormsAt);
        // COSINE centroids are unit vectors: the largest inner product is the largest cosine.
        raw.topKF32(
          probeMetric,
          q,
          blockNq,
          0,
          base + layout.centroids,
          handle.nlist,
          dim,
          0,
          0,
          nprobe,
          probes,
          scratch + probeScoresAt,
          scratch,
        );
      }
      const tail = rerank
        ? ([
            bitsetPtr,
            scanK,
            scratch + candidateIdsAt,
            scratch + candidateScoresAt,
            scratch + candidateCountsAt,
            scratch + listWorkAt,
          ] as const)
        : ([
            bitsetPtr,
            k,
            scratch + idsAt,
            scratch + scoresAt,
            scratch + countsAt,
            scratch + listWorkAt,
          ] as const);
      let got: number;
      switch (handle.typeCode) {
        case IVF_TYPE_CODES.IVF_FLAT:
          got = exports.ivfFlatScanF32(
            metricCode,
            q,
            blockNq,
            scratch + invNormsAt,
            dim,
            probes,
            nprobe,
            base + layout.listStarts,
            base + layout.rowIds,
            base + layout.payload,
            base + layout.invNorms,
            ...tail,
          );
          break;
        case IVF_TYPE_CODES.IVF_SQ8:
          got = exports.ivfSq8Scan(
            metricCode,
            q,
            blockNq,
            scratch + invNormsAt,
            dim,
            probes,
            nprobe,
            base + layout.listStarts,
            base + layout.rowIds,
            base + layout.payload,
            base + layout.sq8Min,
            base + layout.sq8Scale,
            ...tail,
          );
          break;
        case IVF_TYPE_CODES.IVF_PQ:
          got = exports.ivfPqScan(
            metricCode,
            q,
            blockNq,
            scratch + invNormsAt,
            dim,
            m,
            nbits,
            probes,
            nprobe,
            base + layout.listStarts,
            base + layout.rowIds,
            base + layout.payload,
            base + layout.centroids,
            base + layout.codebooks,
            ...tail,
          );
          break;
        default:
          got = exports.ivfFlatScanBinary(
            metricCode,
            q,
            blockNq,
            dim,
            probes,
            nprobe,
            base + layout.listStarts,
            base + layout.rowIds,
            base + layout.payload,
            ...tail,
          );
      }
      if (got < 0) throw new RangeError(`metric code ${metricCode} is not supported by ${this.indexType}`);
      if (rerank) {
        got = exports.ivfRerankF32(
          metricCode,
          q,
          blockNq,
          scratch + invNormsAt,
          dim,
          this.vectors.ptr,
          this.vectors.invNormsPtr,
          scratch + candidateIdsAt,
          scanK,
          k,
          scratch + idsAt,
          scratch + scoresAt,
          scratch + countsAt,
        );
      }
      most = Math.max(most, got);
      result.ids.set(memory.int32(scratch + idsAt, blockNq * k), first * k);
      result.scores.set(memory.float32(scratch + scoresAt, blockNq * k), first * k);
    }
    result.count = most;
    return result;
  }

  /**
   * A self-describing copy: a 64-byte header (magic "QIVF", format version, type, metric, dim, rows,
   * nlist, m, nbits, region size; little-endian uint32) followed by the region's bytes.
   */
  toBytes(kernels: DistanceKernels): Uint8Array {
    const { handle } = this;
    const out = new Uint8Array(HEADER_BYTES + handle.sizeBytes);
    const header = new DataView(out.buffer);
    const words = [
      MAGIC,
      FORMAT_VERSION,
      handle.typeCode,
      handle.metricCode,
      handle.dim,
      handle.rows,
      handle.nlist,
      handle.m,
      handle.nbits,
      handle.sizeBytes,
    ];
    for (const [i, word] of words.entries()) header.setUint32(i * 4, word, true);
    out.set(kernels.memory.uint8(handle.ptr, handle.sizeBytes), HEADER_BYTES);
    return out;
  }

  /** Loads bytes from toBytes into this memory; `vectors` must be the rows the index was built on. */
  static fromBytes(kernels: DistanceKernels, bytes: Uint8Array, vectors: ResidentVectors): IvfIndex {
    if (bytes.byteLength < HEADER_BYTES) throw new RangeError('IVF index bytes are truncated');
    const header = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
    const word = (i: number) => header.getUint32(i * 4, true);
    if (word(0) !== MAGIC) throw new RangeError('not an IVF index (bad magic)');
    if (word(1) !== FORMAT_VERSION) throw new RangeError(`unsupported IVF index format version ${word(1)}`);
    const shape = {
      typeCode: word(2),
      metricCode: word(3),
      dim: word(4),
      rows: word(5),
      nlist: word(6),
      m: word(7),
      nbits: word(8),
    };
    const sizeBytes = word(9);
    if (shape.typeCode >= IVF_TYPES.length) throw new RangeError(`unknown IVF type code ${shape.typeCode}`);
    if (ivfLayout(shape).sizeBytes !== sizeBytes || bytes.byteLength !== HEADER_BYTES + sizeBytes) {
      throw new RangeError('IVF index bytes do not match their header');
    }
    const ptr = kernels.memory.allocate(sizeBytes);
    const handle: IvfHandle = { ...shape, ptr, sizeBytes };
    try {
      checkVectors(handle, vectors);
    } catch (error) {
      kernels.memory.release(ptr);
      throw error;
    }
    kernels.memory.uint8(ptr, sizeBytes).set(bytes.subarray(HEADER_BYTES));
    return new IvfIndex(handle, vectors);
  }

  /** Frees the index's region. No thread may search it afterwards. */
  release(kernels: DistanceKernels): void {
    kernels.memory.release(this.handle.ptr);
  }
}

function checkVectors(handle: IvfHandle, vectors: ResidentVectors): void {
  const kind = handle.typeCode === IVF_TYPE_CODES.BIN_IVF_FLAT ? 'binary' : 'float32';
  if (vectors.kind !== kind || vectors.dim !== handle.dim || vectors.rows !== handle.rows) {
    throw new RangeError(
      `the index was built on ${handle.rows} ${kind} rows of dim ${handle.dim}, got ${vectors.rows} ${vectors.kind} rows of dim ${vectors.dim}`,
    );
  }
}
