import type { CandidateBitset } from './candidate-bitset.js';
import { KernelMemory } from './kernel-memory.js';
import { instantiateKernels, type KernelExports } from './kernel-module.js';
import {
  type BinaryMetric,
  type FloatMetric,
  isBinaryMetric,
  isFloatMetric,
  METRIC_CODES,
} from './metric.js';
import type { ResidentVectors } from './resident-vectors.js';
import { createTopKResult, type TopKResult } from './top-k-result.js';

/** Queries scanned together: each tile of base rows is read from memory once per block of this many. */
export const MAX_QUERY_BLOCK = 16;

/** Elements converted per call when streaming a conversion through scratch memory. */
const CONVERT_CHUNK = 1 << 18;
const SCRATCH_ALIGN = 64;
const MAX_I32 = 0x7fffffff;

export interface FloatTopKSearch {
  metric: FloatMetric;
  /** nq query vectors, row-major (nq = queries.length / dim). */
  queries: Float32Array;
  /** Resident vectors are scanned in place; an array is copied into kernel memory for this call. */
  base: Float32Array | ResidentVectors;
  dim: number;
  k: number;
  /** Restricts the scan to rows whose bit is set (see candidate-bitset.ts). */
  bitset?: CandidateBitset;
}

export interface BinaryTopKSearch {
  metric: BinaryMetric;
  /** nq packed query vectors (ceil(dimBits / 8) bytes each). */
  queries: Uint8Array;
  base: Uint8Array | ResidentVectors;
  dimBits: number;
  k: number;
  bitset?: CandidateBitset;
}

/**
 * The distance kernels on WebAssembly SIMD: one module instance on a KernelMemory, plus a scratch
 * region for queries, bitsets and results. Synchronous, and not re-entrant: use one instance per
 * thread (several instances, in several workers, may share one KernelMemory).
 *
 * Scores are what Milvus reports: L2 squared distance, IP and COSINE similarity, HAMMING and JACCARD
 * distance, as float32. A pair's score is bit-identical whichever entry point computes it.
 */
export class DistanceKernels {
  readonly memory: KernelMemory;
  /** The pointer-level entry points, for callers that manage kernel memory themselves. */
  readonly raw: KernelExports;
  private scratchPtr = 0;
  private scratchBytes = 0;
  private readonly workBytes: number;

  private constructor(memory: KernelMemory, raw: KernelExports) {
    this.memory = memory;
    this.raw = raw;
    this.workBytes = raw.scanWorkBytes();
  }

  /**
   * Instantiates the kernels (synchronously) on `memory`, or on a fresh KernelMemory. In a worker, pass
   * KernelMemory.attach(memoryPostedFromTheOwner) to scan the owner's resident vectors.
   */
  static load(memory: KernelMemory = KernelMemory.create()): DistanceKernels {
    return new DistanceKernels(memory, instantiateKernels(memory.memory));
  }

  /** Releases this instance's scratch region (the memory and resident vectors stay). */
  dispose(): void {
    if (this.scratchPtr !== 0) this.memory.release(this.scratchPtr);
    this.scratchPtr = 0;
    this.scratchBytes = 0;
  }

  /** Score of one pair of float32 vectors of equal length. */
  distance(metric: FloatMetric, a: Float32Array, b: Float32Array): number {
    if (a.length !== b.length) throw new RangeError(`vector lengths differ: ${a.length} and ${b.length}`);
    return this.distances(metric, a, b)[0]!;
  }

  /** out[i] = score of (query, base row i); dim = query.length. */
  distances(
    metric: FloatMetric,
    query: Float32Array,
    base: Float32Array | ResidentVectors,
    out?: Float32Array,
  ): Float32Array {
    const metricCode = floatMetricCode(metric);
    const dim = requireDim(query.length, 'query length');
    const rowBytes = dim * 4;
    const resident = base instanceof Float32Array ? undefined : requireResident(base, 'float32', dim);
    const rows = resident ? resident.rows : rowsOf(base as Float32Array, dim, 'base');
    const result = out ?? new Float32Array(rows);
    requireLength(result.length, rows, 'out');
    const outAt = align(rowBytes);
    const scratch = this.scratch(outAt + rows * 4);
    this.memory.float32(scratch, dim).set(query);
    const placed = this.placeBase(resident, resident ? undefined : bytesOf(base as Float32Array));
    try {
      this.raw.distancesF32(metricCode, scratch, placed.ptr, rows, dim, placed.invNormsPtr, scratch + outAt);
    } finally {
      placed.releaseCopy();
    }
    result.set(this.memory.float32(scratch + outAt, rows));
    return result;
  }

  /** out[i] = score of (query, base row i) for packed binary vectors of dimBits bits. */
  binaryDistances(
    metric: BinaryMetric,
    query: Uint8Array,
    base: Uint8Array | ResidentVectors,
    dimBits: number,
    out?: Float32Array,
  ): Float32Array {
    const metricCode = binaryMetricCode(metric);
    const rowBytes = Math.ceil(requireDim(dimBits, 'dimBits') / 8);
    requireLength(query.length, rowBytes, 'query bytes');
    const resident = base instanceof Uint8Array ? undefined : requireResident(base, 'binary', dimBits);
    const rows = resident ? resident.rows : rowsOf(base as Uint8Array, rowBytes, 'base');
    const result = out ?? new Float32Array(rows);
    requireLength(result.length, rows, 'out');
    const outAt = align(rowBytes);
    const scratch = this.scratch(outAt + rows * 4);
    this.memory.uint8(scratch, rowBytes).set(query);
    const placed = this.placeBase(resident, resident ? undefined : (base as Uint8Array));
    try {
      this.raw.distancesBinary(metricCode, scratch, placed.ptr, rows, dimBits, scratch + outAt);
    } finally {
      placed.releaseCopy();
    }
    result.set(this.memory.float32(scratch + outAt, rows));
    return result;
  }

  /**
   * The k best base rows for each query. Queries are scanned in blocks of up to MAX_QUERY_BLOCK
   * (cache blocking); `into` (shaped nq x k) avoids allocating the result.
   */
  topK(search: FloatTopKSearch, into?: TopKResult): TopKResult {
    const metricCode = floatMetricCode(search.metric);
    const dim = requireDim(search.dim, 'dim');
    const resident =
      search.base instanceof Float32Array ? undefined : requireResident(search.base, 'float32', dim);
    const base = search.base;
    const baseBytes = base instanceof Float32Array ? bytesOf(base) : undefined;
    return this.scanTopK(
      metricCode,
      'float32',
      bytesOf(search.queries),
      resident,
      baseBytes,
      dim,
      dim * 4,
      search,
      into,
    );
  }

  /** The k best base rows for each packed binary query (see topK). */
  binaryTopK(search: BinaryTopKSearch, into?: TopKResult): TopKResult {
    const metricCode = binaryMetricCode(search.metric);
    const dimBits = requireDim(search.dimBits, 'dimBits');
    const resident =
      search.base instanceof Uint8Array ? undefined : requireResident(search.base, 'binary', dimBits);
    const baseBytes = resident ? undefined : (search.base as Uint8Array);
    return this.scanTopK(
      metricCode,
      'binary',
      search.queries,
      resident,
      baseBytes,
      dimBits,
      Math.ceil(dimBits / 8),
      search,
      into,
    );
  }

  /** Copies float32 vectors into kernel memory once (and precomputes their inverse norms for COSINE). */
  storeFloat32(vectors: Float32Array, dim: number): ResidentVectors {
    const rows = rowsOf(vectors, requireDim(dim, 'dim'), 'vectors');
    return this.allocateFloat32(rows, dim, (view) => view.set(vectors));
  }

  /**
   * Allocates resident float32 vectors and lets `fill` write them in place (for example a file read
   * straight into kernel memory), then computes their inverse norms.
   */
  allocateFloat32(rows: number, dim: number, fill: (vectors: Float32Array) => void): ResidentVectors {
    requireDim(dim, 'dim');
    requireCount(rows, 'rows');
    const vectorBytes = align(rows * dim * 4);
    const ptr = this.memory.allocate(vectorBytes + rows * 4);
    const resident: ResidentVectors = {
      kind: 'float32',
      ptr,
      rows,
      dim,
      rowBytes: dim * 4,
      invNormsPtr: ptr + vectorBytes,
    };
    try {
      fill(this.memory.float32(ptr, rows * dim));
    } catch (error) {
      this.memory.release(ptr);
      throw error;
    }
    this.raw.inverseNormsF32(ptr, rows, dim, resident.invNormsPtr);
    return resident;
  }

  /** Converts float16 vectors (raw bits) into resident float32 vectors. */
  storeFloat16(bits: Uint16Array, dim: number): ResidentVectors {
    const rows = rowsOf(bits, requireDim(dim, 'dim'), 'vectors');
    return this.allocateFloat32(rows, dim, (view) => this.convertInto(bits, view, 'f16ToF32'));
  }

  /** Converts bfloat16 vectors (raw bits) into resident float32 vectors. */
  storeBfloat16(bits: Uint16Array, dim: number): ResidentVectors {
    const rows = rowsOf(bits, requireDim(dim, 'dim'), 'vectors');
    return this.allocateFloat32(rows, dim, (view) => this.convertInto(bits, view, 'bf16ToF32'));
  }

  /** Copies packed binary vectors into kernel memory once. */
  storeBinary(vectors: Uint8Array, dimBits: number): ResidentVectors {
    const rowBytes = Math.ceil(requireDim(dimBits, 'dimBits') / 8);
    const rows = rowsOf(vectors, rowBytes, 'vectors');
    const ptr = this.memory.allocate(rows * rowBytes);
    this.memory.uint8(ptr, rows * rowBytes).set(vectors);
    return { kind: 'binary', ptr, rows, dim: dimBits, rowBytes, invNormsPtr: 0 };
  }

  /** Frees resident vectors. They must not be scanned afterwards, by any thread. */
  release(vectors: ResidentVectors): void {
    this.memory.release(vectors.ptr);
  }

  float16ToFloat32(src: Uint16Array, dst: Float32Array = new Float32Array(src.length)): Float32Array {
    requireLength(dst.length, src.length, 'dst');
    this.convertInto(src, dst, 'f16ToF32');
    return dst;
  }

  bfloat16ToFloat32(src: Uint16Array, dst: Float32Array = new Float32Array(src.length)): Float32Array {
    requireLength(dst.length, src.length, 'dst');
    this.convertInto(src, dst, 'bf16ToF32');
    return dst;
  }

  /** Rounds to nearest, ties to even; overflow becomes Infinity, NaN a quiet NaN. */
  float32ToFloat16(src: Float32Array, dst: Uint16Array = new Uint16Array(src.length)): Uint16Array {
    requireLength(dst.length, src.length, 'dst');
    this.convertInto(src, dst, 'f32ToF16');
    return dst;
  }

  /** Rounds to nearest, ties to even; overflow becomes Infinity, NaN a quiet NaN. */
  float32ToBfloat16(src: Float32Array, dst: Uint16Array = new Uint16Array(src.length)): Uint16Array {
    requireLength(dst.length, src.length, 'dst');
    this.convertInto(src, dst, 'f32ToBf16');
    return dst;
  }

  private scanTopK(
    metricCode: number,
    kind: ResidentVectors['kind'],
    queries: Uint8Array,
    resident: ResidentVectors | undefined,
    baseBytes: Uint8Array | undefined,
    dim: number,
    rowBytes: number,
    search: { k: number; bitset?: CandidateBitset },
    into: TopKResult | undefined,
  ): TopKResult {
    const k = requireCount(search.k, 'k');
    const nq = rowsOf(queries, rowBytes, 'queries');
    const rows = resident ? resident.rows : rowsOf(baseBytes!, rowBytes, 'base');
    const result = into ?? createTopKResult(nq, k);
    if (result.nq !== nq || result.k !== k) {
      throw new RangeError(`result is shaped ${result.nq} x ${result.k}, the search needs ${nq} x ${k}`);
    }
    const bitset = search.bitset;
    if (bitset !== undefined) requireLength(bitset.byteLength, Math.ceil(rows / 8), 'bitset bytes', true);

    // Scratch: scan work area | bitset words | query block | query inverse norms | ids | scores.
    const block = Math.min(nq, MAX_QUERY_BLOCK);
    const bitsetBytes = bitset === undefined ? 0 : Math.ceil(rows / 32) * 4;
    const bitsetAt = align(this.workBytes);
    const queriesAt = bitsetAt + align(bitsetBytes);
    const invNormsAt = queriesAt + align(block * rowBytes);
    const idsAt = invNormsAt + align(block * 4);
    const scoresAt = idsAt + align(block * k * 4);
    const scratch = this.scratch(scoresAt + block * k * 4);
    const memory = this.memory;

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

    const placed = this.placeBase(resident, baseBytes);
    let count = 0;
    try {
      for (let first = 0; first < nq; first += MAX_QUERY_BLOCK) {
        const blockNq = Math.min(MAX_QUERY_BLOCK, nq - first);
        memory
          .uint8(scratch + queriesAt, blockNq * rowBytes)
          .set(queries.subarray(first * rowBytes, (first + blockNq) * rowBytes));
        if (kind === 'float32') {
          if (metricCode === METRIC_CODES.COSINE) {
            this.raw.inverseNormsF32(scratch + queriesAt, blockNq, dim, scratch + invNormsAt);
          }
          count = this.raw.topKF32(
            metricCode,
            scratch + queriesAt,
            blockNq,
            scratch + invNormsAt,
            placed.ptr,
            rows,
            dim,
            placed.invNormsPtr,
            bitsetPtr,
            k,
            scratch + idsAt,
            scratch + scoresAt,
            scratch,
          );
        } else {
          count = this.raw.topKBinary(
            metricCode,
            scratch + queriesAt,
            blockNq,
            placed.ptr,
            rows,
            dim,
            bitsetPtr,
            k,
            scratch + idsAt,
            scratch + scoresAt,
            scratch,
          );
        }
        result.ids.set(memory.int32(scratch + idsAt, blockNq * k), first * k);
        result.scores.set(memory.float32(scratch + scoresAt, blockNq * k), first * k);
      }
    } finally {
      placed.releaseCopy();
    }
    result.count = nq === 0 ? 0 : count;
    return result;
  }

  /** Where the kernels read the base vectors: in place, or from a temporary copy in kernel memory. */
  private placeBase(
    resident: ResidentVectors | undefined,
    bytes: Uint8Array | undefined,
  ): { ptr: number; invNormsPtr: number; releaseCopy: () => void } {
    if (resident) return { ptr: resident.ptr, invNormsPtr: resident.invNormsPtr, releaseCopy: () => {} };
    const copy = bytes!;
    const ptr = this.memory.allocate(copy.length);
    this.memory.uint8(ptr, copy.length).set(copy);
    // Without precomputed norms COSINE computes each row's norm during the scan (bit-identical result).
    return { ptr, invNormsPtr: 0, releaseCopy: () => this.memory.release(ptr) };
  }

  private convertInto(
    src: Uint16Array | Float32Array,
    dst: Float32Array | Uint16Array,
    kernel: 'f16ToF32' | 'bf16ToF32' | 'f32ToF16' | 'f32ToBf16',
  ): void {
    const chunk = Math.min(CONVERT_CHUNK, src.length);
    const srcBytes = src.BYTES_PER_ELEMENT;
    const dstBytes = dst.BYTES_PER_ELEMENT;
    const dstAt = align(chunk * srcBytes);
    const scratch = this.scratch(dstAt + chunk * dstBytes);
    const memory = this.memory.memory;
    for (let first = 0; first < src.length; first += chunk) {
      const count = Math.min(chunk, src.length - first);
      const srcView =
        srcBytes === 2
          ? new Uint16Array(memory.buffer, scratch, count)
          : new Float32Array(memory.buffer, scratch, count);
      srcView.set(src.subarray(first, first + count));
      this.raw[kernel](scratch, scratch + dstAt, count);
      const dstView =
        dstBytes === 2
          ? new Uint16Array(memory.buffer, scratch + dstAt, count)
          : new Float32Array(memory.buffer, scratch + dstAt, count);
      dst.set(dstView, first);
    }
  }

  /** The scratch region, grown (never shrunk until dispose) to at least sizeBytes. */
  private scratch(sizeBytes: number): number {
    if (sizeBytes > this.scratchBytes) {
      const grown = Math.max(sizeBytes, Math.min(this.scratchBytes * 2, sizeBytes + (64 << 20)));
      if (this.scratchPtr !== 0) this.memory.release(this.scratchPtr);
      this.scratchPtr = 0;
      this.scratchPtr = this.memory.allocate(grown);
      this.scratchBytes = grown;
    }
    return this.scratchPtr;
  }
}

function floatMetricCode(metric: string): number {
  if (!isFloatMetric(metric)) throw new RangeError(`${metric} is not a float vector metric`);
  return METRIC_CODES[metric];
}

function binaryMetricCode(metric: string): number {
  if (!isBinaryMetric(metric)) throw new RangeError(`${metric} is not a binary vector metric`);
  return METRIC_CODES[metric];
}

function requireDim(dim: number, what: string): number {
  if (!Number.isSafeInteger(dim) || dim < 1 || dim > MAX_I32) {
    throw new RangeError(`${what} must be a positive integer, got ${dim}`);
  }
  return dim;
}

function requireCount(count: number, what: string): number {
  // The WASM entry points take counts as i32.
  if (!Number.isSafeInteger(count) || count < 0 || count > MAX_I32) {
    throw new RangeError(`${what} must be an integer in [0, ${MAX_I32}], got ${count}`);
  }
  return count;
}

function requireLength(actual: number, expected: number, what: string, atLeast = false): void {
  if (atLeast ? actual < expected : actual !== expected) {
    throw new RangeError(`${what} is ${actual}, expected ${atLeast ? 'at least ' : ''}${expected}`);
  }
}

function requireResident(
  vectors: ResidentVectors,
  kind: ResidentVectors['kind'],
  dim: number,
): ResidentVectors {
  if (vectors.kind !== kind)
    throw new TypeError(`resident vectors are ${vectors.kind}, the metric needs ${kind}`);
  if (vectors.dim !== dim)
    throw new RangeError(`resident vectors have dim ${vectors.dim}, the search has ${dim}`);
  return vectors;
}

function rowsOf(vectors: { length: number }, rowLength: number, what: string): number {
  const rows = vectors.length / rowLength;
  if (!Number.isInteger(rows)) {
    throw new RangeError(`${what} length ${vectors.length} is not a multiple of the row length ${rowLength}`);
  }
  return requireCount(rows, `${what} rows`);
}

function bytesOf(array: Float32Array | Uint8Array): Uint8Array {
  return array instanceof Uint8Array
    ? array
    : new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

function align(bytes: number): number {
  return Math.ceil(bytes / SCRATCH_ALIGN) * SCRATCH_ALIGN;
}
