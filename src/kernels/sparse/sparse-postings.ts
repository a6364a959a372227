import {
  dropThreshold,
  type SparseVector,
  validateDropRatio,
  validateSparseVector,
} from './sparse-vector.js';

/** Postings per block for block-max WAND: small enough for tight bounds, large enough to skip cheaply. */
export const SPARSE_BLOCK_SIZE = 64;
const BLOCK_SHIFT = 6;

/**
 * The inverted index as plain typed arrays (CSR). List l holds dimension dims[l] (ascending); its
 * postings are [offsets[l], offsets[l + 1]) of rowIds (ascending) and values. Every list is cut into
 * blocks of SPARSE_BLOCK_SIZE postings (block g of list l is its (g - blockOffsets[l])-th); each block and
 * each list carries the max and min value and the min document length of its rows, so WAND can bound
 * both an inner product and a BM25 term score. rowLengths[r] is the float32 sum of row r's values
 * (before any drop): BM25's document length.
 */
export interface SparsePostings {
  rows: number;
  dims: Uint32Array;
  offsets: Uint32Array;
  rowIds: Uint32Array;
  values: Float32Array;
  listMax: Float32Array;
  listMin: Float32Array;
  listMinLength: Float32Array;
  blockOffsets: Uint32Array;
  blockLastRow: Uint32Array;
  blockMax: Float32Array;
  blockMin: Float32Array;
  blockMinLength: Float32Array;
  rowLengths: Float32Array;
}

export interface SparseBuildOptions {
  /** Milvus drop_ratio_build: per row, drop the smallest-magnitude fraction of its values. [0, 1). */
  dropRatioBuild?: number;
}

/** Dense dimension tables up to this many entries; beyond that the distinct dimensions are sorted. */
const DENSE_DIM_LIMIT = 1 << 22;

export function buildSparsePostings(
  rows: readonly SparseVector[],
  options: SparseBuildOptions = {},
): SparsePostings {
  const dropRatio = options.dropRatioBuild ?? 0;
  validateDropRatio(dropRatio, 'dropRatioBuild');
  const n = rows.length;
  if (n >= 0xffffffff) throw new RangeError(`too many rows: ${n}`);
  const rowLengths = new Float32Array(n);
  const thresholds = new Float32Array(n);
  let kept = 0;
  let maxDim = -1;
  for (let r = 0; r < n; r++) {
    const row = rows[r]!;
    validateSparseVector(row, `row ${r}`);
    const values = row.values;
    let length = 0;
    for (let i = 0; i < values.length; i++) length = Math.fround(length + values[i]!);
    rowLengths[r] = length;
    const threshold = dropThreshold(values, dropRatio);
    thresholds[r] = threshold;
    for (let i = 0; i < values.length; i++) {
      const magnitude = Math.abs(values[i]!);
      if (magnitude !== 0 && magnitude >= threshold) {
        kept++;
        if (row.indices[i]! > maxDim) maxDim = row.indices[i]!;
      }
    }
  }

  // Map every kept dimension to its list number (lists in ascending dimension order).
  let dims: Uint32Array;
  let listOf: (dim: number) => number;
  if (maxDim + 1 <= Math.max(DENSE_DIM_LIMIT, 2 * kept)) {
    const table = new Int32Array(maxDim + 1).fill(-1);
    let lists = 0;
    forEachKept(rows, thresholds, (dim) => {
      if (table[dim] === -1) table[dim] = 0;
    });
    for (let d = 0; d <= maxDim; d++) if (table[d] === 0) table[d] = lists++;
    dims = new Uint32Array(lists);
    for (let d = 0; d <= maxDim; d++) if (table[d]! >= 0) dims[table[d]!] = d;
    listOf = (dim) => table[dim]!;
  } else {
    const all = new Uint32Array(kept);
    let at = 0;
    forEachKept(rows, thresholds, (dim) => {
      all[at++] = dim;
    });
    all.sort();
    let lists = 0;
    for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) all[lists++] = all[i]!;
    dims = all.slice(0, lists);
    listOf = (dim) => findList(dims, dim);
  }

  const lists = dims.length;
  const offsets = new Uint32Array(lists + 1);
  forEachKept(rows, thresholds, (dim) => {
    offsets[listOf(dim) + 1]!++;
  });
  for (let l = 0; l < lists; l++) offsets[l + 1]! += offsets[l];
  const fill = offsets.slice(0, lists);
  const rowIds = new Uint32Array(kept);
  const values = new Float32Array(kept);
  // Rows in order, so each list's row ids come out ascending.
  forEachKept(rows, thresholds, (dim, value, row) => {
    const at = fill[listOf(dim)]!++;
    rowIds[at] = row;
    values[at] = value;
  });
  return {
    rows: n,
    dims,
    offsets,
    rowIds,
    values,
    rowLengths,
    ...blockBounds(offsets, rowIds, values, rowLengths),
  };
}

function forEachKept(
  rows: readonly SparseVector[],
  thresholds: Float32Array,
  visit: (dim: number, value: number, row: number) => void,
): void {
  for (let r = 0; r < rows.length; r++) {
    const { indices, values } = rows[r]!;
    const threshold = thresholds[r]!;
    for (let i = 0; i < values.length; i++) {
      const magnitude = Math.abs(values[i]!);
      if (magnitude !== 0 && magnitude >= threshold) visit(indices[i]!, values[i]!, r);
    }
  }
}

/** List number of `dim` in the ascending dims, or -1. */
export function findList(dims: Uint32Array, dim: number): number {
  let lo = 0;
  let hi = dims.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const d = dims[mid]!;
    if (d === dim) return mid;
    if (d < dim) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Per-list and per-block max/min value, min row length and (per block) last row. */
export function blockBounds(
  offsets: Uint32Array,
  rowIds: Uint32Array,
  values: Float32Array,
  rowLengths: Float32Array,
) {
  const lists = offsets.length - 1;
  const blockOffsets = new Uint32Array(lists + 1);
  for (let l = 0; l < lists; l++) {
    const length = offsets[l + 1]! - offsets[l]!;
    blockOffsets[l + 1] = blockOffsets[l]! + ((length + SPARSE_BLOCK_SIZE - 1) >>> BLOCK_SHIFT);
  }
  const blocks = blockOffsets[lists]!;
  const blockLastRow = new Uint32Array(blocks);
  const blockMax = new Float32Array(blocks);
  const blockMin = new Float32Array(blocks);
  const blockMinLength = new Float32Array(blocks);
  const listMax = new Float32Array(lists);
  const listMin = new Float32Array(lists);
  const listMinLength = new Float32Array(lists);
  for (let l = 0; l < lists; l++) {
    const start = offsets[l]!;
    const end = offsets[l + 1]!;
    let lMax = -Infinity;
    let lMin = Infinity;
    let lLen = Infinity;
    for (let g = blockOffsets[l]!, from = start; from < end; g++, from += SPARSE_BLOCK_SIZE) {
      const to = Math.min(end, from + SPARSE_BLOCK_SIZE);
      let bMax = -Infinity;
      let bMin = Infinity;
      let bLen = Infinity;
      for (let p = from; p < to; p++) {
        const v = values[p]!;
        if (v > bMax) bMax = v;
        if (v < bMin) bMin = v;
        const len = rowLengths[rowIds[p]!]!;
        if (len < bLen) bLen = len;
      }
      blockLastRow[g] = rowIds[to - 1]!;
      blockMax[g] = bMax;
      blockMin[g] = bMin;
      blockMinLength[g] = bLen;
      if (bMax > lMax) lMax = bMax;
      if (bMin < lMin) lMin = bMin;
      if (bLen < lLen) lLen = bLen;
    }
    listMax[l] = lMax;
    listMin[l] = lMin;
    listMinLength[l] = lLen;
  }
  return { listMax, listMin, listMinLength, blockOffsets, blockLastRow, blockMax, blockMin, blockMinLength };
}
