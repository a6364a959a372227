import { errors } from '../../errors/index.js';
import type { DistanceKernels } from '../../kernels/distance/distance-kernels.js';
import type { ResidentVectors } from '../../kernels/distance/resident-vectors.js';
import { type Column, DataType } from '../../schema/index.js';
import type { Segment } from '../segment/segment.js';

const ALIGN = 64;
/** Bytes copied per event-loop turn while warming (tens of ms at worst on slow page faults). */
const WARM_SLICE_BYTES = 4 << 20;
const align = (bytes: number) => Math.ceil(bytes / ALIGN) * ALIGN;

interface Entry {
  ptr: number;
  capacityRows: number;
  rows: number;
  /** Rows [0, normRows) have their float32 inverse norm computed (COSINE needs them). */
  normRows: number;
  dim: number;
  rowBytes: number;
  kind: 'float32' | 'binary';
  invNormsPtr: number;
  refs: number;
  retired: boolean;
  /**
   * Set when the vectors are the segment column itself, read from its file into kernel memory
   * (KernelVectorAllocator): nothing is copied, only the inverse norms are computed, and the
   * column's values array is held so its region stays allocated while the entry may be scanned.
   */
  adopted?: ArrayBufferView;
}

/** Resident vectors held for one scan; release() exactly once when the scan is done. */
export interface ResidentLease {
  readonly vectors: ResidentVectors;
  release(): void;
}

/**
 * Segment vectors resident in the shared KernelMemory, where every search worker scans them in place.
 *
 * A segment's vectors are copied in once (float16/bfloat16 converted to float32 on the way, float32
 * inverse norms computed for COSINE) and reused by every later search. A growing segment's copy grows
 * with it: new rows are appended past the rows already there (which running scans may be reading),
 * and when the region is full it moves to one twice as large. Replaced regions, and regions of
 * segments that are gone (compacted, dropped), are freed when the last scan holding them releases
 * its lease, so a worker never reads freed memory.
 *
 * Float32 and binary columns that already live in kernel memory (the engine's KernelVectorAllocator:
 * sealed segments read from their files, growing segments as rows arrive) are adopted in place, with
 * nothing copied; float32 gets inverse norms when a COSINE search first needs them. A growing column
 * that moves to a larger region gets a new entry; the old one is retired like a replaced copy. Only
 * float16/bfloat16 columns (converted for the kernels), and columns that did not fit in kernel
 * memory, are copied.
 */
export class ResidentVectorCache {
  private readonly collections = new Map<number, Map<Segment, Map<string, Entry>>>();
  private residentBytes = 0;

  constructor(private readonly kernels: DistanceKernels) {}

  /** Bytes of kernel memory held for resident vectors (including growth headroom). */
  get bytes(): number {
    return this.residentBytes;
  }

  /**
   * The segment's `field` vectors, covering all its current rows. `norms` false skips computing
   * missing inverse norms (only COSINE reads them; a column adopted from its file has none yet), and
   * the lease's invNormsPtr must then not be read.
   */
  acquire(
    collectionId: number,
    segment: Segment,
    field: string,
    column: Column,
    norms = true,
  ): ResidentLease {
    const rows = segment.numRows;
    const entry = this.entryFor(collectionId, segment, field, column);
    if (entry.rows < rows) {
      this.copyRows(column, entry, entry.rows, rows);
      entry.rows = rows;
    }
    if (norms && entry.kind === 'float32' && entry.normRows < rows) {
      this.kernels.raw.inverseNormsF32(
        entry.ptr + entry.normRows * entry.rowBytes,
        rows - entry.normRows,
        entry.dim,
        entry.invNormsPtr + entry.normRows * 4,
      );
      entry.normRows = rows;
    }
    entry.refs++;
    const held = entry;
    let released = false;
    return {
      vectors: {
        kind: held.kind,
        ptr: held.ptr,
        rows,
        dim: held.dim,
        rowBytes: held.rowBytes,
        invNormsPtr: held.invNormsPtr,
      },
      release: () => {
        if (released) return;
        released = true;
        held.refs--;
        if (held.retired && held.refs === 0) this.free(held);
      },
    };
  }

  /**
   * Makes a sealed segment's vectors resident ahead of its first search, a slice at a time with the
   * event loop served in between: copying into fresh memory can take seconds for a big segment on a
   * machine with slow page faults, and must not stall requests. A search that arrives meanwhile
   * finishes the copy itself (acquire copies whatever is missing).
   */
  async warm(collectionId: number, segment: Segment, field: string, column: Column): Promise<void> {
    if (segment.state !== 'sealed' || segment.numRows === 0) return;
    const entry = this.entryFor(collectionId, segment, field, column);
    const sliceRows = Math.max(1, Math.floor(WARM_SLICE_BYTES / entry.rowBytes));
    while (!entry.retired && entry.rows < segment.numRows) {
      const to = Math.min(segment.numRows, entry.rows + sliceRows);
      this.copyRows(column, entry, entry.rows, to);
      entry.rows = to;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** The entry holding the segment's field, (re)allocated to fit its current rows (not yet copied). */
  private entryFor(collectionId: number, segment: Segment, field: string, column: Column): Entry {
    let segments = this.collections.get(collectionId);
    if (!segments) {
      segments = new Map();
      this.collections.set(collectionId, segments);
    }
    let fields = segments.get(segment);
    if (!fields) {
      fields = new Map();
      segments.set(segment, fields);
    }
    const rows = segment.numRows;
    let entry = fields.get(field);
    const growing = segment.state === 'growing';
    const inPlace = this.kernelOffset(column, rows);
    if (inPlace !== undefined) {
      // The column lives in kernel memory: scan it where it is. A growing column that moved to a
      // larger region (or outgrew the norms) gets a new entry; the old one waits for its leases.
      if (entry?.adopted && entry.ptr === inPlace && entry.capacityRows >= rows) {
        if (entry.rows < rows) {
          entry.rows = rows;
          entry.adopted = column.values as ArrayBufferView;
        }
        return entry;
      }
      const adopted = this.adopt(column, inPlace, rows, growing ? Math.max(1024, rows * 2) : rows);
      if (entry) this.retire(entry);
      fields.set(field, adopted);
      return adopted;
    }
    if (entry?.adopted) {
      // No longer in kernel memory (cannot happen today): fall back to a copy.
      this.retire(entry);
      entry = undefined;
    }
    const oversized = entry !== undefined && !growing && entry.capacityRows > Math.max(64, rows * 1.25);
    if (!entry || entry.capacityRows < rows || oversized) {
      const capacity = growing ? Math.max(1024, rows * 2, (entry?.capacityRows ?? 0) * 2) : rows;
      const moved = this.allocate(column, capacity);
      if (entry) {
        this.copyRows(column, moved, 0, entry.rows);
        moved.rows = entry.rows;
        this.retire(entry);
      }
      entry = moved;
      fields.set(field, entry);
    }
    return entry;
  }

  /** Retires the copies of segments no longer in the collection (compacted away or dropped). */
  sweep(collectionId: number, liveSegments: ReadonlySet<Segment>): void {
    const segments = this.collections.get(collectionId);
    if (!segments) return;
    for (const [segment, fields] of segments) {
      if (liveSegments.has(segment)) continue;
      for (const entry of fields.values()) this.retire(entry);
      segments.delete(segment);
    }
  }

  dropCollection(collectionId: number): void {
    this.sweep(collectionId, new Set());
    this.collections.delete(collectionId);
  }

  /** Where the column's values start in kernel memory, when they live there and cover `rows` rows. */
  private kernelOffset(column: Column, rows: number): number | undefined {
    if (column.type !== DataType.FloatVector && column.type !== DataType.BinaryVector) return undefined;
    const width = column.type === DataType.BinaryVector ? Math.ceil(column.dim / 8) : column.dim;
    if (column.values.length < rows * width) return undefined;
    return this.kernels.memory.offsetOf(column.values);
  }

  /**
   * An entry over a column that lives in kernel memory at `ptr`: nothing is copied; float32 gets an
   * inverse-norm array for `capacityRows` rows, filled when a search first needs it.
   */
  private adopt(column: Column, ptr: number, rows: number, capacityRows: number): Entry {
    const binary = column.type === DataType.BinaryVector;
    const dim = (column as { dim: number }).dim;
    const invNormsPtr = binary ? 0 : this.allocateOrFail(capacityRows * 4, 'vector norms');
    const rowBytes = binary ? Math.ceil(dim / 8) : dim * 4;
    this.residentBytes += capacityRows * rowBytes + (binary ? 0 : capacityRows * 4);
    return {
      ptr,
      capacityRows,
      // The vectors are all here already; norms are computed when a search first needs them.
      rows,
      normRows: 0,
      dim,
      rowBytes,
      kind: binary ? 'binary' : 'float32',
      invNormsPtr,
      refs: 0,
      retired: false,
      adopted: column.values as ArrayBufferView,
    };
  }

  private allocate(column: Column, capacityRows: number): Entry {
    const binary = column.type === DataType.BinaryVector;
    const dim = (column as { dim: number }).dim;
    const rowBytes = binary ? Math.ceil(dim / 8) : dim * 4;
    const vectorBytes = align(capacityRows * rowBytes);
    const total = vectorBytes + (binary ? 0 : capacityRows * 4);
    const ptr = this.allocateOrFail(total, 'vectors');
    this.residentBytes += total;
    return {
      ptr,
      capacityRows,
      rows: 0,
      normRows: 0,
      dim,
      rowBytes,
      kind: binary ? 'binary' : 'float32',
      invNormsPtr: binary ? 0 : ptr + vectorBytes,
      refs: 0,
      retired: false,
    };
  }

  /** A kernel memory region of `bytes`, or Milvus-style internal error naming what did not fit. */
  private allocateOrFail(bytes: number, what: string): number {
    try {
      return this.kernels.memory.allocate(Math.max(ALIGN, bytes));
    } catch (error) {
      throw errors.serviceInternal(
        `search memory exhausted: ${bytes} more bytes of ${what} do not fit in the 4 GiB kernel memory (${this.residentBytes} bytes resident)`,
        error,
      );
    }
  }

  /** Copies rows [from, to) of the column into the entry's region (converting half floats). */
  private copyRows(column: Column, entry: Entry, from: number, to: number): void {
    if (to <= from) return;
    if (entry.adopted) throw errors.unexpected('an adopted column is never copied');
    const memory = this.kernels.memory;
    const count = to - from;
    const at = entry.ptr + from * entry.rowBytes;
    switch (column.type) {
      case DataType.FloatVector:
        memory.float32(at, count * entry.dim).set(column.values.subarray(from * entry.dim, to * entry.dim));
        break;
      case DataType.Float16Vector:
        this.kernels.float16ToFloat32(
          column.values.subarray(from * entry.dim, to * entry.dim),
          memory.float32(at, count * entry.dim),
        );
        break;
      case DataType.BFloat16Vector:
        this.kernels.bfloat16ToFloat32(
          column.values.subarray(from * entry.dim, to * entry.dim),
          memory.float32(at, count * entry.dim),
        );
        break;
      case DataType.BinaryVector:
        memory
          .uint8(at, count * entry.rowBytes)
          .set(column.values.subarray(from * entry.rowBytes, to * entry.rowBytes));
        return;
      default:
        throw errors.unexpected(`column of type ${column.type} cannot be made resident`);
    }
    this.kernels.raw.inverseNormsF32(at, count, entry.dim, entry.invNormsPtr + from * 4);
    if (from <= entry.normRows) entry.normRows = Math.max(entry.normRows, to);
  }

  private retire(entry: Entry): void {
    if (entry.retired) return;
    entry.retired = true;
    if (entry.refs === 0) this.free(entry);
  }

  private free(entry: Entry): void {
    const binary = entry.kind === 'binary';
    if (entry.adopted) {
      // The vectors' region belongs to the column (freed when it is garbage); only the norms are ours.
      if (!binary) this.kernels.memory.release(entry.invNormsPtr);
      entry.adopted = undefined;
      this.residentBytes -= entry.capacityRows * entry.rowBytes + (binary ? 0 : entry.capacityRows * 4);
      return;
    }
    this.kernels.memory.release(entry.ptr);
    this.residentBytes -= align(entry.capacityRows * entry.rowBytes) + (binary ? 0 : entry.capacityRows * 4);
  }
}
