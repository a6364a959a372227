import type { DistanceKernels } from '../distance/distance-kernels.js';
import { METRIC_CODES } from '../distance/metric.js';
import type { ResidentVectors } from '../distance/resident-vectors.js';
import { seededRandom } from '../seeded-random.js';
import { assignNearestBinary, binaryKMeans } from './binary-kmeans.js';
import { ivfExports } from './ivf-exports.js';
import { type IvfLayout, type IvfShape, ivfLayout } from './ivf-layout.js';
import { IVF_LIMITS, IVF_TYPE_CODES, type IvfParams } from './ivf-params.js';
import { assignNearest, distinctPicks, kMeans } from './kmeans.js';

/** Plain data (numbers only) naming an IVF index in a KernelMemory; postMessage-able. */
export interface IvfHandle extends IvfShape {
  /** Byte offset of the index's one region (see ivf-layout.ts). */
  readonly ptr: number;
  readonly sizeBytes: number;
}

export interface IvfBuildSettings {
  seed: number;
  iterations: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Trains and fills an IVF index over resident vectors; deterministic for a seed.
 *
 * 1. Training sample: at most 256 points per centroid (faiss's cap), drawn from the seed; COSINE
 *    points are normalised (with the resident inverse norms), so cosine is IP on unit vectors.
 * 2. Coarse k-means (kMeans / binaryKMeans); COSINE keeps unit centroids (spherical k-means).
 * 3. Every row goes to its nearest centroid (L2: smallest L2; IP and COSINE: largest inner product;
 *    binary: smallest Hamming); lists are laid out contiguously, rows ascending within a list.
 * 4. The payload: rows copied (FLAT), SQ8 codes against per-dimension min / step trained on the
 *    sample, or PQ codes of residuals against per-sub-space codebooks trained on sample residuals.
 */
export function buildIvf(
  kernels: DistanceKernels,
  vectors: ResidentVectors,
  params: IvfParams,
  settings: IvfBuildSettings,
): IvfHandle {
  const typeCode = IVF_TYPE_CODES[params.indexType];
  const binary = typeCode === IVF_TYPE_CODES.BIN_IVF_FLAT;
  const expectedKind = binary ? 'binary' : 'float32';
  if (vectors.kind !== expectedKind) {
    throw new TypeError(`${params.indexType} needs ${expectedKind} vectors, got ${vectors.kind}`);
  }
  const shape: IvfShape = {
    typeCode,
    metricCode: METRIC_CODES[params.metric],
    dim: vectors.dim,
    rows: vectors.rows,
    nlist: params.nlist,
    m: params.m,
    nbits: params.nbits,
  };
  const layout = ivfLayout(shape);
  const memory = kernels.memory;
  const ptr = memory.allocate(layout.sizeBytes);
  const random = seededRandom(settings.seed);
  const { iterations } = settings;
  const pqSteps = typeCode === IVF_TYPE_CODES.IVF_PQ ? params.m : 0;
  const total = iterations + pqSteps + 2;
  const progress = (done: number) => settings.onProgress?.(done, total);
  const cosine = params.metric === 'COSINE';
  const probeMetric = params.metric === 'L2' ? 'L2' : 'IP';
  const { rows, dim, nlist } = shape;
  let trainPtr = 0;
  try {
    const sampleCount = Math.min(rows, nlist * IVF_LIMITS.pointsPerCentroid);
    const sample = sampleCount === rows ? undefined : distinctPicks(rows, sampleCount, random).sort();
    trainPtr = memory.allocate(Math.max(1, sampleCount * layout.rowBytes));
    copySample(kernels, vectors, sample, sampleCount, trainPtr, cosine);

    let floatCentroids: Float32Array | undefined;
    if (binary) {
      const centroids = binaryKMeans(kernels, {
        dataPtr: trainPtr,
        n: sampleCount,
        dimBits: dim,
        k: nlist,
        iterations,
        random,
        onIteration: progress,
      });
      memory.uint8(ptr + layout.centroids, centroids.length).set(centroids);
    } else {
      floatCentroids = kMeans(kernels, {
        dataPtr: trainPtr,
        n: sampleCount,
        dim,
        k: nlist,
        metric: probeMetric,
        spherical: cosine,
        iterations,
        random,
        onIteration: progress,
      });
      memory.float32(ptr + layout.centroids, floatCentroids.length).set(floatCentroids);
    }

    const assignment = new Int32Array(rows);
    if (binary) {
      const centroids = memory.uint8(ptr + layout.centroids, nlist * layout.rowBytes).slice();
      assignNearestBinary(kernels, vectors.ptr, rows, dim, centroids, nlist, assignment);
    } else {
      assignNearest(kernels, probeMetric, vectors.ptr, rows, dim, floatCentroids!, nlist, assignment);
    }
    const starts = fillLists(kernels, ptr, layout, assignment, nlist);
    progress(iterations + 1);

    if (typeCode === IVF_TYPE_CODES.IVF_FLAT || binary) {
      copyRows(kernels, vectors, ptr, layout, cosine && !binary);
    } else if (typeCode === IVF_TYPE_CODES.IVF_SQ8) {
      encodeSq8(kernels, vectors, ptr, layout, trainPtr, sampleCount, cosine);
    } else {
      const pq = { ptr, layout, shape, starts, trainPtr, sampleCount, iterations, random };
      encodePq(kernels, vectors, pq, floatCentroids!, probeMetric, cosine, (j) =>
        progress(iterations + 1 + j),
      );
    }
    progress(total);
  } catch (error) {
    memory.release(ptr);
    throw error;
  } finally {
    if (trainPtr !== 0) memory.release(trainPtr);
  }
  return { ...shape, ptr, sizeBytes: layout.sizeBytes };
}

/** Copies the sample rows (all rows when `sample` is undefined) to trainPtr, normalised for COSINE. */
function copySample(
  kernels: DistanceKernels,
  vectors: ResidentVectors,
  sample: Int32Array | undefined,
  count: number,
  trainPtr: number,
  normalise: boolean,
): void {
  const memory = kernels.memory;
  const rowBytes = vectors.rowBytes;
  const bytes = memory.uint8(0, memory.sizeBytes);
  for (let t = 0; t < count; t++) {
    const row = sample === undefined ? t : sample[t]!;
    const from = vectors.ptr + row * rowBytes;
    bytes.copyWithin(trainPtr + t * rowBytes, from, from + rowBytes);
  }
  if (!normalise) return;
  const dim = vectors.dim;
  const train = memory.float32(trainPtr, count * dim);
  const invNorms = memory.float32(vectors.invNormsPtr, vectors.rows);
  for (let t = 0; t < count; t++) {
    const factor = invNorms[sample === undefined ? t : sample[t]!]!;
    for (let d = 0; d < dim; d++) train[t * dim + d]! *= factor;
  }
}

/** Counting sort of rows by list: writes listStarts and rowIds, returns the starts. */
function fillLists(
  kernels: DistanceKernels,
  ptr: number,
  layout: IvfLayout,
  assignment: Int32Array,
  nlist: number,
): Int32Array {
  const starts = new Int32Array(nlist + 1);
  for (let i = 0; i < assignment.length; i++) starts[assignment[i]! + 1]!++;
  for (let l = 0; l < nlist; l++) starts[l + 1]! += starts[l];
  const next = starts.slice(0, nlist);
  const rowIds = new Int32Array(assignment.length);
  for (let i = 0; i < assignment.length; i++) rowIds[next[assignment[i]!]!++] = i;
  kernels.memory.int32(ptr + layout.listStarts, nlist + 1).set(starts);
  kernels.memory.int32(ptr + layout.rowIds, rowIds.length).set(rowIds);
  return starts;
}

function copyRows(
  kernels: DistanceKernels,
  vectors: ResidentVectors,
  ptr: number,
  layout: IvfLayout,
  withInvNorms: boolean,
): void {
  const memory = kernels.memory;
  const rowBytes = layout.rowBytes;
  const rowIds = memory.int32(ptr + layout.rowIds, vectors.rows);
  const bytes = memory.uint8(0, memory.sizeBytes);
  const payload = ptr + layout.payload;
  for (let p = 0; p < vectors.rows; p++) {
    const from = vectors.ptr + rowIds[p]! * rowBytes;
    bytes.copyWithin(payload + p * rowBytes, from, from + rowBytes);
  }
  if (!withInvNorms) return;
  const source = memory.float32(vectors.invNormsPtr, vectors.rows);
  const target = memory.float32(ptr + layout.invNorms, vectors.rows);
  for (let p = 0; p < vectors.rows; p++) target[p] = source[rowIds[p]!]!;
}

function encodeSq8(
  kernels: DistanceKernels,
  vectors: ResidentVectors,
  ptr: number,
  layout: IvfLayout,
  trainPtr: number,
  sampleCount: number,
  cosine: boolean,
): void {
  const memory = kernels.memory;
  const dim = vectors.dim;
  const low = new Float32Array(dim).fill(sampleCount === 0 ? 0 : Infinity);
  const high = new Float32Array(dim).fill(sampleCount === 0 ? 0 : -Infinity);
  const train = memory.float32(trainPtr, sampleCount * dim);
  for (let t = 0; t < sampleCount; t++) {
    for (let d = 0; d < dim; d++) {
      const value = train[t * dim + d]!;
      if (value < low[d]!) low[d] = value;
      if (value > high[d]!) high[d] = value;
    }
  }
  const scale = new Float32Array(dim);
  for (let d = 0; d < dim; d++) {
    const range = high[d]! - low[d]!;
    scale[d] = Number.isFinite(range) && range > 0 ? range / 255 : 0;
    if (!Number.isFinite(low[d]!)) low[d] = 0;
  }
  memory.float32(ptr + layout.sq8Min, dim).set(low);
  memory.float32(ptr + layout.sq8Scale, dim).set(scale);
  ivfExports(kernels).sq8EncodeRows(
    vectors.ptr,
    ptr + layout.rowIds,
    vectors.rows,
    dim,
    cosine ? vectors.invNormsPtr : 0,
    ptr + layout.sq8Min,
    ptr + layout.sq8Scale,
    ptr + layout.payload,
  );
}

interface PqJob {
  ptr: number;
  layout: IvfLayout;
  shape: IvfShape;
  starts: Int32Array;
  trainPtr: number;
  sampleCount: number;
  iterations: number;
  random: () => number;
}

/**
 * Trains one codebook per sub-space on sample residuals (at most 256 points per codeword) and
 * encodes every row's residual against its list centroid.
 */
function encodePq(
  kernels: DistanceKernels,
  vectors: ResidentVectors,
  job: PqJob,
  centroids: Float32Array,
  probeMetric: 'L2' | 'IP',
  cosine: boolean,
  onSubspace: (done: number) => void,
): void {
  const memory = kernels.memory;
  const { ptr, layout, shape, trainPtr, sampleCount } = job;
  const { dim, m, nbits, nlist } = shape;
  const ksub = 1 << nbits;
  const dsub = dim / m;
  const sampleAssignment = new Int32Array(sampleCount);
  assignNearest(kernels, probeMetric, trainPtr, sampleCount, dim, centroids, nlist, sampleAssignment);
  const pqCount = Math.min(sampleCount, ksub * IVF_LIMITS.pointsPerCentroid);
  const picks = pqCount === sampleCount ? undefined : distinctPicks(sampleCount, pqCount, job.random).sort();
  const subPtr = memory.allocate(Math.max(1, pqCount * dsub * 4));
  try {
    for (let j = 0; j < m; j++) {
      const train = memory.float32(trainPtr, sampleCount * dim);
      const sub = memory.float32(subPtr, pqCount * dsub);
      for (let t = 0; t < pqCount; t++) {
        const i = picks === undefined ? t : picks[t]!;
        const from = i * dim + j * dsub;
        const centroid = sampleAssignment[i]! * dim + j * dsub;
        for (let d = 0; d < dsub; d++) sub[t * dsub + d] = train[from + d]! - centroids[centroid + d]!;
      }
      const book = kMeans(kernels, {
        dataPtr: subPtr,
        n: pqCount,
        dim: dsub,
        k: ksub,
        metric: 'L2',
        spherical: false,
        iterations: job.iterations,
        random: job.random,
      });
      memory.float32(ptr + layout.codebooks + j * ksub * dsub * 4, ksub * dsub).set(book);
      onSubspace(j + 1);
    }
  } finally {
    memory.release(subPtr);
  }
  const residual = memory.allocate(dim * 4);
  try {
    const exports = ivfExports(kernels);
    for (let l = 0; l < nlist; l++) {
      const start = job.starts[l]!;
      const count = job.starts[l + 1]! - start;
      if (count === 0) continue;
      exports.pqEncodeRows(
        vectors.ptr,
        ptr + layout.rowIds + start * 4,
        count,
        dim,
        cosine ? vectors.invNormsPtr : 0,
        ptr + layout.centroids + l * dim * 4,
        m,
        nbits,
        ptr + layout.codebooks,
        ptr + layout.payload + start * m,
        residual,
      );
    }
  } finally {
    memory.release(residual);
  }
}
