import type { DistanceKernels } from '../distance/distance-kernels.js';
import { type FloatMetric, METRIC_CODES } from '../distance/metric.js';
import type { ResidentVectors } from '../distance/resident-vectors.js';
import type { HnswHandle } from './hnsw-index.js';
import { HEADER_BYTES, HEADER_SLOTS, hnswLayout, hnswSections, writeHnswHeader } from './hnsw-layout.js';

/**
 * Serialised HNSW graph, version 1, little-endian int32 words:
 *   [0] magic "QHNS" (0x534e4851), [1] version, [2] rows, [3] dim, [4] metric code, [5] M,
 *   [6] efConstruction, [7] seed (uint32), [8] entry point (-1 when empty), [9] max level,
 *   [10] upper ints, [11] reserved (0),
 *   then levels int32[rows], level 0 adjacency int32[rows * (1 + 2M)], upper adjacency int32[upper ints].
 * Vectors are not included (the index references the segment's vectors). The engine adds its own
 * checksum; fromBytes still checks every id and count so a bad file cannot send the WASM out of range.
 */
const MAGIC = 0x534e4851;
const VERSION = 1;
const FILE_HEADER_WORDS = 12;
const METRIC_BY_CODE: readonly FloatMetric[] = ['L2', 'IP', 'COSINE'];

export function hnswToBytes(kernels: DistanceKernels, handle: HnswHandle): Uint8Array {
  const memory = kernels.memory;
  const { rows, M: m } = handle;
  const sections = hnswSections(rows, m);
  const header = memory.int32(handle.ptr, HEADER_BYTES / 4);
  const levels = memory.int32(handle.ptr + sections.levelsAt, rows);
  const layout = hnswLayout(levels, m);
  const level0Ints = rows * layout.level0Stride;
  const words = new Int32Array(FILE_HEADER_WORDS + rows + level0Ints + layout.upperInts);
  words.set([
    MAGIC,
    VERSION,
    rows,
    handle.dim,
    METRIC_CODES[handle.metric],
    m,
    handle.efConstruction,
    handle.seed | 0,
    header[HEADER_SLOTS.entry]!,
    header[HEADER_SLOTS.maxLevel]!,
    layout.upperInts,
    0,
  ]);
  words.set(levels, FILE_HEADER_WORDS);
  words.set(memory.int32(handle.ptr + layout.level0At, level0Ints), FILE_HEADER_WORDS + rows);
  words.set(
    memory.int32(handle.ptr + layout.upperAt, layout.upperInts),
    FILE_HEADER_WORDS + rows + level0Ints,
  );
  return new Uint8Array(words.buffer);
}

function fail(reason: string): never {
  throw new RangeError(`invalid HNSW index bytes: ${reason}`);
}

/** Validates `bytes`, copies the graph into a new kernel memory region and returns its handle. */
export function hnswFromBytes(
  kernels: DistanceKernels,
  bytes: Uint8Array,
  vectors: ResidentVectors,
): HnswHandle {
  if (bytes.byteLength < FILE_HEADER_WORDS * 4 || bytes.byteLength % 4 !== 0) fail('bad length');
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  const words = new Int32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
  if (words[0] !== MAGIC) fail('bad magic');
  if (words[1] !== VERSION) fail(`unsupported version ${words[1]}`);
  const [rows, dim, metricCode, m, efConstruction, seed, entry, maxLevel, upperInts] = Array.from(
    words.subarray(2, 11),
  ) as [number, number, number, number, number, number, number, number, number];
  const metric = METRIC_BY_CODE[metricCode];
  if (metric === undefined) fail(`metric code ${metricCode}`);
  if (m < 2 || m > 2048) fail(`M ${m}`);
  if (rows !== vectors.rows || dim !== vectors.dim) {
    fail(`index is ${rows} x ${dim}, vectors are ${vectors.rows} x ${vectors.dim}`);
  }
  const levels = words.subarray(FILE_HEADER_WORDS, FILE_HEADER_WORDS + rows);
  if (levels.length !== rows) fail('truncated');
  for (const level of levels) if (level < 0 || level > 255) fail(`level ${level}`);
  const layout = hnswLayout(levels, m);
  if (layout.upperInts !== upperInts) fail('upper size does not match the levels');
  const level0Ints = rows * layout.level0Stride;
  if (words.length !== FILE_HEADER_WORDS + rows + level0Ints + upperInts) fail('bad length');
  if (rows === 0 ? entry !== -1 : entry < 0 || entry >= rows || levels[entry] !== maxLevel)
    fail('bad entry point');
  const level0 = words.subarray(FILE_HEADER_WORDS + rows, FILE_HEADER_WORDS + rows + level0Ints);
  const upper = words.subarray(FILE_HEADER_WORDS + rows + level0Ints);
  checkLists(level0, layout.level0Stride, 2 * m, rows);
  checkLists(upper, m + 1, m, rows);

  const memory = kernels.memory;
  const ptr = memory.allocate(layout.totalBytes);
  writeHnswHeader(memory, ptr, { rows, dim, metricCode, m, entry, maxLevel });
  memory.int32(ptr + layout.levelsAt, rows).set(levels);
  memory.int32(ptr + layout.upperOffsetsAt, rows).set(layout.upperOffsets);
  memory.int32(ptr + layout.level0At, level0Ints).set(level0);
  memory.int32(ptr + layout.upperAt, upperInts).set(upper);
  return { ptr, bytes: layout.totalBytes, rows, dim, metric, M: m, efConstruction, seed: seed >>> 0 };
}

function checkLists(lists: Int32Array, stride: number, capacity: number, rows: number): void {
  for (let at = 0; at < lists.length; at += stride) {
    const count = lists[at]!;
    if (count < 0 || count > capacity) fail(`neighbour count ${count}`);
    for (let j = 1; j <= count; j++) {
      const id = lists[at + j]!;
      if (id < 0 || id >= rows) fail(`neighbour id ${id}`);
    }
  }
}
