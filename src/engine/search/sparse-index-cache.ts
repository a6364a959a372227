import { SparseInvertedIndex } from '../../kernels/sparse/sparse-inverted-index.js';
import type { Logger } from '../../observability/logger.js';
import type { SparseVector } from '../../schema/index.js';
import type { Segment } from '../segment/segment.js';
import type { KernelWorkerPool } from '../workers/kernel-worker-pool.js';

interface Slot {
  index?: SparseInvertedIndex;
  building?: Promise<void>;
  failed?: boolean;
}

/**
 * Sparse inverted indexes of sealed segments (SPARSE_INVERTED_INDEX / SPARSE_WAND fields and BM25
 * output fields). The first search that wants one starts its build on a worker thread and scans the
 * segment exactly meanwhile, like an ANN index that is not ready yet; later searches use it. Kept
 * while the segment lives; derived data, rebuilt after a restart, never written.
 */
export class SparseIndexCache {
  private readonly slots = new WeakMap<Segment, Map<string, Slot>>();
  private pending = new Set<Promise<void>>();
  /** Indexes built since start (tests). */
  builds = 0;

  constructor(
    private readonly pool: KernelWorkerPool,
    private readonly log?: Logger,
  ) {}

  /** The segment's index on `fieldName` if built; otherwise starts a build (once) and returns undefined. */
  get(segment: Segment, fieldName: string, dropRatioBuild: number): SparseInvertedIndex | undefined {
    if (segment.state !== 'sealed' || segment.numRows === 0) return undefined;
    const column = segment.column(fieldName);
    if (!column) return undefined;
    let byKey = this.slots.get(segment);
    if (!byKey) {
      byKey = new Map();
      this.slots.set(segment, byKey);
    }
    const key = `${fieldName}\u0000${dropRatioBuild}`;
    let slot = byKey.get(key);
    if (!slot) {
      slot = {};
      byKey.set(key, slot);
      slot.building = this.build(slot, column.values as SparseVector[], dropRatioBuild, segment, fieldName);
      const building = slot.building;
      this.pending.add(building);
      void building.finally(() => this.pending.delete(building));
    }
    return slot.index;
  }

  /** Resolves when every build started so far has finished (tests, benchmarks). */
  async whenIdle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private async build(
    slot: Slot,
    rows: readonly SparseVector[],
    dropRatioBuild: number,
    segment: Segment,
    fieldName: string,
  ): Promise<void> {
    const indptr = new Uint32Array(rows.length + 1);
    for (let r = 0; r < rows.length; r++) indptr[r + 1] = indptr[r]! + rows[r]!.indices.length;
    const indices = new Uint32Array(indptr[rows.length]!);
    const values = new Float32Array(indptr[rows.length]!);
    rows.forEach((row, r) => {
      indices.set(row.indices, indptr[r]!);
      values.set(row.values, indptr[r]!);
    });
    try {
      const { bytes } = await this.pool.run({ kind: 'sparseBuild', indptr, indices, values, dropRatioBuild });
      slot.index = SparseInvertedIndex.fromBytes(bytes);
      this.builds++;
    } catch (error) {
      slot.failed = true;
      this.log?.error(
        { err: error, segment: String(segment.id), field: fieldName },
        'sparse index build failed; the segment is scanned exactly',
      );
    }
  }
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
