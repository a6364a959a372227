import { SparseInvertedIndex } from '../../kernels/sparse/sparse-inverted-index.js';
import type { SparseVector } from '../../schema/index.js';
import type { Segment } from '../segment/segment.js';

const indexes = new WeakMap<Segment, Map<string, SparseInvertedIndex>>();

/**
 * A sealed segment's sparse inverted index on `fieldName` (SPARSE_INVERTED_INDEX / SPARSE_WAND, or a
 * BM25 output field), built on first use and kept while the segment lives; undefined for growing
 * segments, which are scanned exactly. Derived data: rebuilt after a restart, never written.
 */
export function sealedSparseIndex(
  segment: Segment,
  fieldName: string,
  dropRatioBuild: number,
): SparseInvertedIndex | undefined {
  if (segment.state !== 'sealed' || segment.numRows === 0) return undefined;
  const column = segment.column(fieldName);
  if (!column) return undefined;
  let byKey = indexes.get(segment);
  if (!byKey) {
    byKey = new Map();
    indexes.set(segment, byKey);
  }
  const key = `${fieldName}\u0000${dropRatioBuild}`;
  let index = byKey.get(key);
  if (!index) {
    index = SparseInvertedIndex.build(column.values as SparseVector[], { dropRatioBuild });
    byKey.set(key, index);
  }
  return index;
}

/** Rows holding `term` whose candidate bit is set (all rows without a bitset): BM25's live df. */
export function liveDocumentFrequency(
  index: SparseInvertedIndex,
  term: number,
  bits: Uint8Array | undefined,
): number {
  const postings = index.postings;
  let low = 0;
  let high = postings.dims.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const dim = postings.dims[mid]!;
    if (dim === term) {
      const start = postings.offsets[mid]!;
      const end = postings.offsets[mid + 1]!;
      if (!bits) return end - start;
      let count = 0;
      for (let p = start; p < end; p++) {
        const row = postings.rowIds[p]!;
        count += (bits[row >> 3]! >> (row & 7)) & 1;
      }
      return count;
    }
    if (dim < term) low = mid + 1;
    else high = mid - 1;
  }
  return 0;
}
