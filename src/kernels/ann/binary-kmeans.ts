import type { DistanceKernels } from '../distance/distance-kernels.js';
import { METRIC_CODES } from '../distance/metric.js';
import { align64, distinctPicks } from './kmeans.js';

export interface BinaryKMeansOptions {
  /** Byte offset in kernel memory of n packed binary points (ceil(dimBits / 8) bytes each). */
  dataPtr: number;
  n: number;
  dimBits: number;
  k: number;
  iterations: number;
  random: () => number;
  onIteration?: (done: number) => void;
}

/**
 * k-modes for packed binary vectors: Hamming assignment (topKBinary with k = 1, in WASM), then each
 * centroid bit is the majority of its members' bits (ties give 0). Initial centroids are k distinct
 * random points. An empty cluster takes a random member of a populated cluster (picked with
 * probability proportional to its size, as kMeans does) as its new centroid.
 * Returns the k packed centroids; unused low bits of the last byte are 0.
 */
export function binaryKMeans(kernels: DistanceKernels, options: BinaryKMeansOptions): Uint8Array {
  const { dataPtr, n, dimBits, k, iterations, random } = options;
  const rowBytes = Math.ceil(dimBits / 8);
  const centroids = new Uint8Array(k * rowBytes);
  if (n === 0) return centroids;
  const memory = kernels.memory;
  const picks = distinctPicks(n, Math.min(n, k), random);
  const data = memory.uint8(dataPtr, n * rowBytes);
  for (let c = 0; c < k; c++) {
    const point = c < picks.length ? picks[c]! : picks[Math.floor(random() * picks.length)]!;
    centroids.set(data.subarray(point * rowBytes, (point + 1) * rowBytes), c * rowBytes);
  }
  const tailMask = dimBits % 8 === 0 ? 0xff : (0xff00 >> (dimBits % 8)) & 0xff;
  const assignment = new Int32Array(n);
  const ones = new Int32Array(k * rowBytes * 8);
  const sizes = new Int32Array(k);
  for (let iteration = 0; iteration < iterations; iteration++) {
    assignNearestBinary(kernels, dataPtr, n, dimBits, centroids, k, assignment);
    ones.fill(0);
    sizes.fill(0);
    const view = memory.uint8(dataPtr, n * rowBytes);
    for (let i = 0; i < n; i++) {
      const c = assignment[i]!;
      sizes[c]!++;
      const counts = c * rowBytes * 8;
      const from = i * rowBytes;
      for (let b = 0; b < rowBytes; b++) {
        let byte = view[from + b]!;
        while (byte !== 0) {
          const bit = 31 - Math.clz32(byte);
          ones[counts + b * 8 + (7 - bit)]!++;
          byte &= ~(1 << bit);
        }
      }
    }
    for (let c = 0; c < k; c++) {
      const size = sizes[c]!;
      if (size === 0) continue;
      const counts = c * rowBytes * 8;
      for (let b = 0; b < rowBytes; b++) {
        let byte = 0;
        for (let bit = 0; bit < 8; bit++) {
          if (ones[counts + b * 8 + bit]! * 2 > size) byte |= 0x80 >> bit;
        }
        centroids[c * rowBytes + b] = b === rowBytes - 1 ? byte & tailMask : byte;
      }
    }
    if (n > k) {
      for (let empty = 0; empty < k; empty++) {
        if (sizes[empty] !== 0) continue;
        let donor = 0;
        for (; ; donor = (donor + 1) % k) {
          if (random() < (sizes[donor]! - 1) / (n - k)) break;
        }
        let member = Math.floor(random() * sizes[donor]!);
        for (let i = 0; i < n; i++) {
          if (assignment[i] !== donor) continue;
          if (member-- === 0) {
            centroids.set(view.subarray(i * rowBytes, (i + 1) * rowBytes), empty * rowBytes);
            break;
          }
        }
        sizes[empty] = Math.floor(sizes[donor]! / 2);
        sizes[donor]! -= sizes[empty];
      }
    }
    options.onIteration?.(iteration + 1);
  }
  return centroids;
}

/** out[i] = the centroid nearest to packed point i by Hamming distance, ties to the lower centroid. */
export function assignNearestBinary(
  kernels: DistanceKernels,
  dataPtr: number,
  n: number,
  dimBits: number,
  centroids: Uint8Array,
  k: number,
  out: Int32Array,
): void {
  if (n === 0) return;
  const memory = kernels.memory;
  const rowBytes = Math.ceil(dimBits / 8);
  const block = Math.min(n, 1 << 16);
  const idsAt = align64(k * rowBytes);
  const scoresAt = idsAt + align64(block * 4);
  const workAt = scoresAt + align64(block * 4);
  const ptr = memory.allocate(workAt + kernels.raw.scanWorkBytes());
  try {
    memory.uint8(ptr, k * rowBytes).set(centroids);
    for (let first = 0; first < n; first += block) {
      const count = Math.min(block, n - first);
      kernels.raw.topKBinary(
        METRIC_CODES.HAMMING,
        dataPtr + first * rowBytes,
        count,
        ptr,
        k,
        dimBits,
        0,
        1,
        ptr + idsAt,
        ptr + scoresAt,
        ptr + workAt,
      );
      out.set(memory.int32(ptr + idsAt, count), first);
    }
  } finally {
    memory.release(ptr);
  }
}
