import type { KernelMemory } from './kernel-memory.js';

/**
 * Test helper: allocates and releases regions of varying size, filling each with a marker and checking
 * it before release, so another thread writing into the same region (an allocator race) shows up as a
 * mismatch. Returns the number of mismatching regions.
 */
export function allocatorStress(memory: KernelMemory, rounds: number, marker: number): number {
  let overlaps = 0;
  const live: { ptr: number; words: number }[] = [];
  for (let round = 0; round < rounds; round++) {
    const words = 16 + ((round * 37) % 512);
    const ptr = memory.allocate(words * 4);
    memory.int32(ptr, words).fill(marker);
    live.push({ ptr, words });
    if (live.length > 8 || round % 3 === 0) {
      const region = live.shift()!;
      if (memory.int32(region.ptr, region.words).some((word) => word !== marker)) overlaps++;
      memory.release(region.ptr);
    }
  }
  for (const region of live) {
    if (memory.int32(region.ptr, region.words).some((word) => word !== marker)) overlaps++;
    memory.release(region.ptr);
  }
  return overlaps;
}
