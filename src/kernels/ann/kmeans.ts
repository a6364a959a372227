import type { DistanceKernels } from '../distance/distance-kernels.js';
import { METRIC_CODES } from '../distance/metric.js';

/** Relative perturbation when an empty cluster takes over half of a populated one (as faiss). */
const SPLIT_EPSILON = 1 / 1024;

export interface KMeansOptions {
  /** Byte offset in kernel memory of n x dim float32 training points, row-major. */
  dataPtr: number;
  n: number;
  dim: number;
  /** Number of centroids. */
  k: number;
  /** Assignment rule: nearest by squared L2, or largest inner product. */
  metric: 'L2' | 'IP';
  /** Normalise centroids after every update (spherical k-means, for COSINE on unit vectors). */
  spherical: boolean;
  iterations: number;
  /** Seeded generator (seeded-random.ts): the only source of randomness. */
  random: () => number;
  onIteration?: (done: number) => void;
}

/**
 * Lloyd's k-means on float32 points already in kernel memory, deterministic for a generator state.
 * Initial centroids are k distinct points drawn at random (faiss's default; k-means++ would cost k
 * sequential passes). The assignment step runs in WASM (topKF32 with k = 1: the points are the
 * queries, the centroids the base, so ties go to the lower centroid); centroid sums are accumulated
 * in float64. An empty cluster takes over half of a populated one, picked with probability
 * proportional to its size, both then nudged apart by ±1/1024 per dimension (faiss's rule).
 * With fewer points than k, the extra centroids repeat points and their lists stay empty.
 * Returns the k x dim centroids.
 */
export function kMeans(kernels: DistanceKernels, options: KMeansOptions): Float32Array {
  const { dataPtr, n, dim, k, iterations, random } = options;
  const centroids = new Float32Array(k * dim);
  if (n === 0) return centroids;
  const memory = kernels.memory;
  const data = memory.float32(dataPtr, n * dim);
  initialCentroids(data, n, dim, k, random, centroids);
  if (options.spherical) normaliseRows(centroids, dim);

  const assignment = new Int32Array(n);
  const sums = new Float64Array(k * dim);
  const sizes = new Int32Array(k);
  for (let iteration = 0; iteration < iterations; iteration++) {
    assignNearest(kernels, options.metric, dataPtr, n, dim, centroids, k, assignment);
    sums.fill(0);
    sizes.fill(0);
    const view = memory.float32(dataPtr, n * dim);
    for (let i = 0; i < n; i++) {
      const c = assignment[i]!;
      sizes[c]!++;
      const at = c * dim;
      const from = i * dim;
      for (let d = 0; d < dim; d++) sums[at + d]! += view[from + d];
    }
    for (let c = 0; c < k; c++) {
      const size = sizes[c]!;
      if (size === 0) continue;
      const at = c * dim;
      for (let d = 0; d < dim; d++) centroids[at + d] = sums[at + d]! / size;
    }
    splitIntoEmptyClusters(centroids, sizes, n, dim, k, random);
    if (options.spherical) normaliseRows(centroids, dim);
    options.onIteration?.(iteration + 1);
  }
  return centroids;
}

/**
 * out[i] = the centroid nearest to point i (L2) or with the largest inner product (IP), ties to the
 * lower centroid. Points are n x dim float32 at dataPtr in kernel memory.
 */
export function assignNearest(
  kernels: DistanceKernels,
  metric: 'L2' | 'IP',
  dataPtr: number,
  n: number,
  dim: number,
  centroids: Float32Array,
  k: number,
  out: Int32Array,
): void {
  if (n === 0) return;
  const memory = kernels.memory;
  const block = Math.min(n, 1 << 16);
  const centroidsBytes = align64(k * dim * 4);
  const idsAt = centroidsBytes;
  const scoresAt = idsAt + align64(block * 4);
  const workAt = scoresAt + align64(block * 4);
  const ptr = memory.allocate(workAt + kernels.raw.scanWorkBytes());
  try {
    memory.float32(ptr, k * dim).set(centroids);
    for (let first = 0; first < n; first += block) {
      const count = Math.min(block, n - first);
      kernels.raw.topKF32(
        METRIC_CODES[metric],
        dataPtr + first * dim * 4,
        count,
        0,
        ptr,
        k,
        dim,
        0,
        0,
        1,
        ptr + idsAt,
        ptr + scoresAt,
        ptr + workAt,
      );
      out.set(memory.int32(ptr + idsAt, count), first);
    }
  } finally {
    memory.release(ptr);
  }
}

function initialCentroids(
  data: Float32Array,
  n: number,
  dim: number,
  k: number,
  random: () => number,
  out: Float32Array,
): void {
  const picks = distinctPicks(n, Math.min(n, k), random);
  for (let c = 0; c < k; c++) {
    const point = c < picks.length ? picks[c]! : picks[Math.floor(random() * picks.length)]!;
    out.set(data.subarray(point * dim, (point + 1) * dim), c * dim);
  }
}

/** `count` distinct integers in [0, n), in random order (partial Fisher-Yates). */
export function distinctPicks(n: number, count: number, random: () => number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (n - i));
    const swap = order[i]!;
    order[i] = order[j]!;
    order[j] = swap;
  }
  return order.slice(0, count);
}

function splitIntoEmptyClusters(
  centroids: Float32Array,
  sizes: Int32Array,
  n: number,
  dim: number,
  k: number,
  random: () => number,
): void {
  if (n <= k) return;
  for (let empty = 0; empty < k; empty++) {
    if (sizes[empty] !== 0) continue;
    let donor = 0;
    for (; ; donor = (donor + 1) % k) {
      const probability = (sizes[donor]! - 1) / (n - k);
      if (random() < probability) break;
    }
    const to = empty * dim;
    const from = donor * dim;
    for (let d = 0; d < dim; d++) {
      const value = centroids[from + d]!;
      const up = d % 2 === 0;
      centroids[to + d] = value * (up ? 1 + SPLIT_EPSILON : 1 - SPLIT_EPSILON);
      centroids[from + d] = value * (up ? 1 - SPLIT_EPSILON : 1 + SPLIT_EPSILON);
    }
    sizes[empty] = Math.floor(sizes[donor]! / 2);
    sizes[donor]! -= sizes[empty];
  }
}

/** Scales every row to unit length (zero rows stay zero). */
export function normaliseRows(rows: Float32Array, dim: number): void {
  for (let at = 0; at < rows.length; at += dim) {
    let squares = 0;
    for (let d = 0; d < dim; d++) squares += rows[at + d]! * rows[at + d]!;
    if (squares === 0) continue;
    const scale = 1 / Math.sqrt(squares);
    for (let d = 0; d < dim; d++) rows[at + d]! *= scale;
  }
}

export function align64(bytes: number): number {
  return Math.ceil(bytes / 64) * 64;
}
