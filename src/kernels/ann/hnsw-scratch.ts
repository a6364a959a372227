import type { DistanceKernels } from '../distance/distance-kernels.js';

/**
 * Per-thread HNSW scratch in kernel memory, one region per DistanceKernels instance (each worker has
 * its own instance, so searches never share mutable state). Layout: the header the WASM reads
 * (src/kernels/wasm/hnsw-layout.as: epoch, row capacity, then section pointers), u16 visited tags,
 * the candidate heap (a slot per row), the result heap, neighbour lists, then an I/O area for queries,
 * bitset and results. Grown (reallocated) when an index or request needs more; never shrunk.
 */
export interface HnswScratch {
  readonly ptr: number;
  readonly rowsCapacity: number;
  readonly heapCapacity: number;
  readonly listCapacity: number;
  /** Byte offset of the I/O area and its size. */
  readonly ioPtr: number;
  readonly ioBytes: number;
}

const HEADER_BYTES = 64;
const scratches = new WeakMap<DistanceKernels, HnswScratch>();

function align64(bytes: number): number {
  return Math.ceil(bytes / 64) * 64;
}

/**
 * The instance's scratch with at least the given capacities: rows (visited tags and candidate heap),
 * heap (result heap: max(ef, efConstruction, M0 + 1)), list (M0 + 1) and ioBytes.
 */
export function hnswScratch(
  kernels: DistanceKernels,
  rows: number,
  heap: number,
  list: number,
  ioBytes: number,
): HnswScratch {
  const current = scratches.get(kernels);
  if (
    current &&
    current.rowsCapacity >= rows &&
    current.heapCapacity >= heap &&
    current.listCapacity >= list &&
    current.ioBytes >= ioBytes
  ) {
    return current;
  }
  // Grow every dimension at once (and geometrically) so repeated small growths stay rare.
  const grown = (have: number, need: number) => (need <= have ? have : Math.max(need, Math.ceil(have * 1.5)));
  const rowsCapacity = Math.max(64, grown(current?.rowsCapacity ?? 0, rows));
  const heapCapacity = Math.max(64, grown(current?.heapCapacity ?? 0, heap));
  const listCapacity = Math.max(64, grown(current?.listCapacity ?? 0, list));
  const io = Math.max(4096, grown(current?.ioBytes ?? 0, ioBytes));
  if (current) kernels.memory.release(current.ptr);

  const sections = [
    rowsCapacity * 2, // visited tags
    (rowsCapacity + 1) * 4, // candidate keys
    (rowsCapacity + 1) * 4, // candidate ids
    heapCapacity * 4, // result keys
    heapCapacity * 4, // result ids
    listCapacity * 4, // list ids
    listCapacity * 4, // list keys
    listCapacity * 4, // selected ids
    listCapacity * 4, // selected keys
    listCapacity * 4, // re-selected ids
    listCapacity * 4, // re-selected keys
  ];
  const total = HEADER_BYTES + sections.reduce((sum, bytes) => sum + align64(bytes), 0) + io;
  const ptr = kernels.memory.allocate(total);
  const header = kernels.memory.int32(ptr, HEADER_BYTES / 4);
  header.fill(0);
  header[1] = rowsCapacity;
  let at = ptr + HEADER_BYTES;
  sections.forEach((bytes, index) => {
    header[2 + index] = at;
    at += align64(bytes);
  });
  // Tags start at 0 with epoch 0, so the first search (epoch 1) sees nothing visited.
  kernels.memory.uint8(ptr + HEADER_BYTES, rowsCapacity * 2).fill(0);
  const scratch: HnswScratch = { ptr, rowsCapacity, heapCapacity, listCapacity, ioPtr: at, ioBytes: io };
  scratches.set(kernels, scratch);
  return scratch;
}

/** Frees the instance's HNSW scratch (if any); the next search allocates a new one. */
export function releaseHnswScratch(kernels: DistanceKernels): void {
  const current = scratches.get(kernels);
  if (!current) return;
  kernels.memory.release(current.ptr);
  scratches.delete(kernels);
}
