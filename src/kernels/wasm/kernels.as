// Entry point of the WebAssembly kernel module (compiled by scripts/build-wasm.mjs).
// Every export works on byte offsets into the imported shared memory and allocates nothing, so one
// memory can back several instances (one per worker) at once. See src/kernels/README.md.
export { topKF32, topKBinary, distancesF32, distancesBinary, inverseNormsF32, scanWorkBytes } from './scan-top-k';
export { f16ToF32, f32ToF16, bf16ToF32, f32ToBf16 } from './half-float';
export { hnswInsert, hnswSearch } from './hnsw';
export * from './ivf';

// Bumped whenever an export's signature or meaning changes; the TS loader refuses a stale build.
export function kernelAbiVersion(): i32 {
  return 1;
}

// Sums sizeBytes (rounded down to 128) of float32 data with eight accumulators: the fastest pass over
// memory the module can make, used by bench/kernels-distance.ts to measure the streaming read bound.
export function memoryReadProbe(ptr: usize, sizeBytes: usize): f32 {
  let a0 = f32x4.splat(0);
  let a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
  const end = ptr + (sizeBytes & ~127);
  for (let p = ptr; p < end; p += 128) {
    a0 = f32x4.add(a0, v128.load(p));
    a1 = f32x4.add(a1, v128.load(p, 16));
    a2 = f32x4.add(a2, v128.load(p, 32));
    a3 = f32x4.add(a3, v128.load(p, 48));
    a4 = f32x4.add(a4, v128.load(p, 64));
    a5 = f32x4.add(a5, v128.load(p, 80));
    a6 = f32x4.add(a6, v128.load(p, 96));
    a7 = f32x4.add(a7, v128.load(p, 112));
  }
  const sum = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)));
  return f32x4.extract_lane(sum, 0) + f32x4.extract_lane(sum, 1) + f32x4.extract_lane(sum, 2) + f32x4.extract_lane(sum, 3);
}
