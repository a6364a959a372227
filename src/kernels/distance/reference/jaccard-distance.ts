import { binaryVectorBits } from './binary-vector-bits.js';

/**
 * Reference Jaccard distance 1 - |a AND b| / |a OR b| of two packed binary vectors, rounded to float32
 * as Milvus reports it. Two all-zero vectors are identical: distance 0.
 */
export function jaccardDistance(
  a: Uint8Array,
  aOffset: number,
  b: Uint8Array,
  bOffset: number,
  dimBits: number,
): number {
  const { rowBytes, lastByteMask } = binaryVectorBits(dimBits);
  let both = 0;
  let either = 0;
  for (let i = 0; i < rowBytes; i++) {
    const mask = i === rowBytes - 1 ? lastByteMask : 0xff;
    const x = a[aOffset + i]! & mask;
    const y = b[bOffset + i]! & mask;
    for (let bit = 0; bit < 8; bit++) {
      both += ((x & y) >> bit) & 1;
      either += ((x | y) >> bit) & 1;
    }
  }
  return either === 0 ? 0 : Math.fround(1 - both / either);
}
