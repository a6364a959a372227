import type { FilterIr } from '../../expr/index.js';
import type { Column } from '../../schema/index.js';
import type { CollectionData } from '../collection/collection-data.js';
import { evaluateFilter } from '../exec/evaluate-filter.js';
import type { SegmentIndexes } from '../exec/filter-rows.js';
import { visibleMask } from '../exec/visible-mask.js';
import type { Segment } from '../segment/segment.js';

/** The rows of one segment a search may return, as a kernel candidate bitset. */
export interface SegmentCandidates {
  /** LSB-first bits (see kernels/distance/candidate-bitset.ts); undefined = every row. */
  bits: Uint8Array | undefined;
  count: number;
}

/** Largest insert timestamp seen per segment, and over how many rows (appends only add rows). */
const maxInsertTs = new WeakMap<Segment, { rows: number; max: bigint }>();

function largestInsertTimestamp(segment: Segment): bigint {
  const seen = maxInsertTs.get(segment) ?? { rows: 0, max: 0n };
  if (seen.rows < segment.numRows) {
    const timestamps = segment.insertTimestamps();
    let max = seen.max;
    for (let row = seen.rows; row < segment.numRows; row++)
      if (timestamps[row]! > max) max = timestamps[row]!;
    seen.rows = segment.numRows;
    seen.max = max;
    maxInsertTs.set(segment, seen);
  }
  return seen.max;
}

/**
 * The packed visibility of a segment with deletes, reused while no delete arrives (deleteVersion)
 * and the read is at or after everything it reflects: then visibility cannot differ. Without this
 * every search would re-derive it from a million timestamps, costing more than an ANN search.
 */
const visibleBits = new WeakMap<
  Segment,
  { deleteVersion: number; rows: number; newestTs: bigint; candidates: SegmentCandidates }
>();

function cachedVisibility(segment: Segment, readTs: bigint): SegmentCandidates | undefined {
  const cached = visibleBits.get(segment);
  if (
    cached &&
    cached.deleteVersion === segment.deleteVersion &&
    cached.rows === segment.numRows &&
    readTs >= cached.newestTs
  ) {
    return cached.candidates;
  }
  return undefined;
}

function rememberVisibility(segment: Segment, readTs: bigint, candidates: SegmentCandidates): void {
  const deletes = segment.deleteTimestamps();
  let newest = largestInsertTimestamp(segment);
  for (let row = 0; row < segment.numRows; row++) if (deletes[row]! > newest) newest = deletes[row]!;
  // Only a read that sees every insert and delete of the segment may reuse the result.
  if (newest > readTs) return;
  visibleBits.set(segment, {
    deleteVersion: segment.deleteVersion,
    rows: segment.numRows,
    newestTs: newest,
    candidates,
  });
}

/** Packs a 0/1 byte mask into bits, returning the bits and how many were set. */
export function packMask(mask: Uint8Array): SegmentCandidates {
  const bits = new Uint8Array(Math.ceil(mask.length / 8));
  let count = 0;
  const whole = mask.length & ~7;
  for (let i = 0; i < whole; i += 8) {
    const byte =
      mask[i]! |
      (mask[i + 1]! << 1) |
      (mask[i + 2]! << 2) |
      (mask[i + 3]! << 3) |
      (mask[i + 4]! << 4) |
      (mask[i + 5]! << 5) |
      (mask[i + 6]! << 6) |
      (mask[i + 7]! << 7);
    bits[i >> 3] = byte;
    count += mask[i]! + mask[i + 1]! + mask[i + 2]! + mask[i + 3]!;
    count += mask[i + 4]! + mask[i + 5]! + mask[i + 6]! + mask[i + 7]!;
  }
  for (let i = whole; i < mask.length; i++) {
    if (mask[i]) {
      bits[i >> 3]! |= 1 << (i & 7);
      count++;
    }
  }
  return { bits, count };
}

/**
 * The filter bitset comes first: rows visible at `readTs` (MVCC), with a vector (nullable vector
 * fields), matching the filter. The common case (no deletes, every row older than the read, no
 * filter) costs O(1) after the first call and scans with no bitset at all.
 */
export function segmentCandidates(
  segment: Segment,
  readTs: bigint,
  filter: FilterIr,
  vectorValid: Uint8Array | undefined,
  indexesOf?: SegmentIndexes,
): SegmentCandidates {
  const rows = segment.numRows;
  if (rows === 0 || filter.kind === 'alwaysFalse') return { bits: undefined, count: 0 };
  const allVisible = segment.liveRows === rows && largestInsertTimestamp(segment) <= readTs;
  if (allVisible && filter.kind === 'alwaysTrue' && vectorValid === undefined) {
    return { bits: undefined, count: rows };
  }
  if (!allVisible && filter.kind === 'alwaysTrue' && vectorValid === undefined) {
    const cached = cachedVisibility(segment, readTs);
    if (cached) return cached;
    const computed = packMask(visibleMask(segment, readTs));
    rememberVisibility(segment, readTs, computed);
    return computed;
  }
  let mask = allVisible ? undefined : visibleMask(segment, readTs);
  if (vectorValid) {
    if (!mask) mask = vectorValid.slice(0, rows);
    else for (let i = 0; i < rows; i++) mask[i]! &= vectorValid[i];
  }
  if (filter.kind !== 'alwaysTrue') {
    mask = evaluateFilter(filter, segment, { candidates: mask, indexes: indexesOf?.(segment) });
  }
  return packMask(mask ?? new Uint8Array(rows).fill(1));
}

/** Which segments of a collection a search covers, and the rows it may return in each. */
export interface SearchScope {
  fieldName: string;
  readTs: bigint;
  filter: FilterIr;
  partitionIds?: ReadonlySet<number>;
  /** Skip growing segments (Milvus's ignore_growing). */
  ignoreGrowing?: boolean;
  indexesOf?: SegmentIndexes;
}

/**
 * The segments a search scans, in partition then segment order (the order ties are broken in), each
 * with its field column and candidate rows; segments without the field or with no candidates are
 * skipped.
 */
export function* searchableSegments(
  data: CollectionData,
  scope: SearchScope,
): Generator<{ segment: Segment; column: Column; candidates: SegmentCandidates }> {
  for (const partition of data.partitions.values()) {
    if (scope.partitionIds && !scope.partitionIds.has(partition.id)) continue;
    for (const segment of partition.segments) {
      const column = segment.column(scope.fieldName);
      if (!column || segment.numRows === 0) continue;
      if (scope.ignoreGrowing && segment.state === 'growing') continue;
      const candidates = segmentCandidates(
        segment,
        scope.readTs,
        scope.filter,
        column.valid,
        scope.indexesOf,
      );
      if (candidates.count > 0) yield { segment, column, candidates };
    }
  }
}
