/**
 * Recycled byte buffers for the filter evaluator's masks. Writing into freshly allocated memory
 * costs a page fault per 4 KiB page the first time (on a loaded 2-core VM, touching a new 1 MB
 * mask took 4-8 ms, more than evaluating the whole filter), and V8 hands out fresh memory for
 * every new ArrayBuffer until a GC frees the old ones. So masks are taken from and returned to
 * this pool, across calls: a buffer that is already resident costs a memset.
 *
 * Buffers are grouped by capacity (powers of two from 4 KiB); the pool keeps at most
 * KEPT_PER_CAPACITY buffers per capacity and MAX_POOLED_BYTES in all, and drops the rest to the
 * GC. Single-threaded: the pool is per isolate (each worker thread has its own).
 */
const MIN_CAPACITY = 4096;
const KEPT_PER_CAPACITY = 8;
const MAX_POOLED_BYTES = 32 * 1024 * 1024;

const free = new Map<number, Uint8Array[]>();
let pooledBytes = 0;

function capacityFor(byteLength: number): number {
  let capacity = MIN_CAPACITY;
  while (capacity < byteLength) capacity *= 2;
  return capacity;
}

/** A zero-filled buffer of `byteLength` bytes (a view at offset 0 of a pooled ArrayBuffer). */
export function acquireBuffer(byteLength: number): Uint8Array {
  const capacity = capacityFor(byteLength);
  const reused = free.get(capacity)?.pop();
  if (reused !== undefined) pooledBytes -= capacity;
  const view = (reused ?? new Uint8Array(capacity)).subarray(0, byteLength);
  if (reused !== undefined) view.fill(0);
  return view;
}

/** Gives a buffer from acquireBuffer back; the caller must not use it afterwards. */
export function recycleBuffer(view: Uint8Array): void {
  const whole = new Uint8Array(view.buffer);
  const capacity = whole.byteLength;
  if (capacity !== capacityFor(capacity) || pooledBytes + capacity > MAX_POOLED_BYTES) return;
  let list = free.get(capacity);
  if (list === undefined) {
    list = [];
    free.set(capacity, list);
  }
  if (list.length >= KEPT_PER_CAPACITY) return;
  list.push(whole);
  pooledBytes += capacity;
}

/** Bytes currently kept for reuse (for tests and metrics). */
export function pooledByteCount(): number {
  return pooledBytes;
}
