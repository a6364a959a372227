import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

/**
 * The shared ANN benchmark set (../shared/datasets/fashion-mnist-784, see its README): 60k base and 10k
 * query images of 784 dims as float32 pixel values, L2, with exact top-100 ground truth.
 */
export interface FashionMnist {
  dim: number;
  /** Base vectors, row-major, `baseCount` rows. */
  base: Float32Array;
  baseCount: number;
  /** Query vectors, row-major, `queryCount` rows. */
  queries: Float32Array;
  queryCount: number;
  /** Exact top-100 base ids per query (of the full 60k base), row-major. */
  groundTruth: Int32Array;
  groundTruthK: number;
}

export const FASHION_MNIST_DIM = 784;

/**
 * The dataset folder: `../shared/datasets/fashion-mnist-784` beside the repository root. Found by walking
 * up from this file, so it works from src/, dist/ and any .build-* output directory.
 */
export function fashionMnistDirectory(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 8; depth++) {
    const candidate = resolve(dir, '..', 'shared', 'datasets', 'fashion-mnist-784');
    if (existsSync(join(candidate, 'train-images-idx3-ubyte.gz'))) return candidate;
    dir = dirname(dir);
  }
  throw new Error(
    'fashion-mnist-784 not found: expected ../shared/datasets/fashion-mnist-784 beside the repository',
  );
}

function readIdxImages(path: string, limit: number): { vectors: Float32Array; count: number } {
  const bytes = gunzipSync(readFileSync(path));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0) !== 0x00000803) throw new Error(`${path}: not an IDX image file`);
  const count = Math.min(view.getUint32(4), limit);
  const dim = view.getUint32(8) * view.getUint32(12);
  if (dim !== FASHION_MNIST_DIM) throw new Error(`${path}: expected ${FASHION_MNIST_DIM} dims, found ${dim}`);
  const vectors = new Float32Array(count * dim);
  for (let i = 0; i < vectors.length; i++) vectors[i] = bytes[16 + i]!;
  return { vectors, count };
}

function readIvecs(path: string, limit: number): { ids: Int32Array; k: number } {
  const bytes = readFileSync(path);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const k = view.getInt32(0, true);
  const rows = Math.min(bytes.byteLength / (4 * (k + 1)), limit);
  const ids = new Int32Array(rows * k);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < k; j++) ids[r * k + j] = view.getInt32(4 * (r * (k + 1) + 1 + j), true);
  }
  return { ids, k };
}

/**
 * Loads the first `baseLimit` base vectors and `queryLimit` queries. The shipped ground truth refers
 * to the full 60k base, so it is only valid when baseLimit is 60,000; subsets compute their own truth.
 */
export function loadFashionMnist(options: { baseLimit?: number; queryLimit?: number } = {}): FashionMnist {
  const dir = fashionMnistDirectory();
  const base = readIdxImages(join(dir, 'train-images-idx3-ubyte.gz'), options.baseLimit ?? 60_000);
  const queries = readIdxImages(join(dir, 't10k-images-idx3-ubyte.gz'), options.queryLimit ?? 10_000);
  const truth = readIvecs(join(dir, 'test_groundtruth_l2_top100.ivecs'), queries.count);
  return {
    dim: FASHION_MNIST_DIM,
    base: base.vectors,
    baseCount: base.count,
    queries: queries.vectors,
    queryCount: queries.count,
    groundTruth: truth.ids,
    groundTruthK: truth.k,
  };
}
