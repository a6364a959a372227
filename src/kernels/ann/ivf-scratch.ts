import type { DistanceKernels } from '../distance/distance-kernels.js';

interface Scratch {
  ptr: number;
  bytes: number;
}

/**
 * Per-instance search scratch (queries, probes, heaps, list work) in kernel memory. Each
 * DistanceKernels instance belongs to one thread, so caching one region per instance keeps searches
 * on different threads from sharing mutable state, with no allocation per search once grown.
 */
const scratches = new WeakMap<DistanceKernels, Scratch>();

/** A region of at least sizeBytes owned by this instance (contents undefined). */
export function ivfScratch(kernels: DistanceKernels, sizeBytes: number): number {
  let scratch = scratches.get(kernels);
  if (scratch === undefined || scratch.bytes < sizeBytes) {
    if (scratch !== undefined) kernels.memory.release(scratch.ptr);
    scratches.delete(kernels);
    const bytes = Math.max(sizeBytes, (scratch?.bytes ?? 0) * 2);
    scratch = { ptr: kernels.memory.allocate(bytes), bytes };
    scratches.set(kernels, scratch);
  }
  return scratch.ptr;
}

/** Frees this instance's IVF scratch (call before disposing of the instance). */
export function releaseIvfScratch(kernels: DistanceKernels): void {
  const scratch = scratches.get(kernels);
  if (scratch === undefined) return;
  kernels.memory.release(scratch.ptr);
  scratches.delete(kernels);
}
