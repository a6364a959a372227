import type { KernelMemory } from '../distance/kernel-memory.js';

/**
 * Layout of an HNSW graph region in kernel memory; must match src/kernels/wasm/hnsw-layout.as.
 *
 * header (64 bytes, int32 slots below) | levels int32[rows] | upperOffsets int32[rows] |
 * level 0 adjacency int32[rows * (1 + M0)] | upper adjacency int32[upperInts]
 *
 * Level 0 has a fixed stride of 1 + M0 (count, then up to M0 = 2M ids) per row. A row of level L >= 1
 * owns L lists of 1 + M int32 in the upper area, from upperOffsets[row] (in int32s), level l at l - 1.
 * Sections start on 64-byte boundaries.
 */
export const HEADER_SLOTS = {
  rows: 0,
  dim: 1,
  metric: 2,
  m: 3,
  m0: 4,
  entry: 5,
  maxLevel: 6,
  levels: 7,
  upperOffsets: 8,
  level0: 9,
  upper: 10,
} as const;

export const HEADER_BYTES = 64;

export interface HnswLayout {
  /** Byte offsets from the start of the region. */
  levelsAt: number;
  upperOffsetsAt: number;
  level0At: number;
  upperAt: number;
  totalBytes: number;
  /** int32 per row at level 0: 1 + M0. */
  level0Stride: number;
  upperInts: number;
  /** Per row, its first upper int32 (0 for rows of level 0). */
  upperOffsets: Int32Array;
}

function align64(bytes: number): number {
  return Math.ceil(bytes / 64) * 64;
}

/** Section offsets, which depend only on rows and M (the upper area comes last). */
export function hnswSections(
  rows: number,
  m: number,
): { levelsAt: number; upperOffsetsAt: number; level0At: number; upperAt: number; level0Stride: number } {
  const level0Stride = 2 * m + 1;
  const levelsAt = HEADER_BYTES;
  const upperOffsetsAt = levelsAt + align64(rows * 4);
  const level0At = upperOffsetsAt + align64(rows * 4);
  const upperAt = level0At + align64(rows * level0Stride * 4);
  return { levelsAt, upperOffsetsAt, level0At, upperAt, level0Stride };
}

export function hnswLayout(levels: Int32Array, m: number): HnswLayout {
  const rows = levels.length;
  const upperOffsets = new Int32Array(rows);
  let upperInts = 0;
  for (let i = 0; i < rows; i++) {
    upperOffsets[i] = upperInts;
    upperInts += levels[i]! * (m + 1);
  }
  const sections = hnswSections(rows, m);
  const totalBytes = sections.upperAt + align64(upperInts * 4);
  return { ...sections, totalBytes, upperInts, upperOffsets };
}

/** Writes the header the WASM reads. Pointers above 2 GiB wrap in int32; the WASM reads them as u32. */
export function writeHnswHeader(
  memory: KernelMemory,
  ptr: number,
  fields: { rows: number; dim: number; metricCode: number; m: number; entry: number; maxLevel: number },
): void {
  const sections = hnswSections(fields.rows, fields.m);
  const header = memory.int32(ptr, HEADER_BYTES / 4);
  header.fill(0);
  header[HEADER_SLOTS.rows] = fields.rows;
  header[HEADER_SLOTS.dim] = fields.dim;
  header[HEADER_SLOTS.metric] = fields.metricCode;
  header[HEADER_SLOTS.m] = fields.m;
  header[HEADER_SLOTS.m0] = 2 * fields.m;
  header[HEADER_SLOTS.entry] = fields.entry;
  header[HEADER_SLOTS.maxLevel] = fields.maxLevel;
  header[HEADER_SLOTS.levels] = ptr + sections.levelsAt;
  header[HEADER_SLOTS.upperOffsets] = ptr + sections.upperOffsetsAt;
  header[HEADER_SLOTS.level0] = ptr + sections.level0At;
  header[HEADER_SLOTS.upper] = ptr + sections.upperAt;
}
