import { binaryVectorBits } from './binary-vector-bits.js';

/** Reference Hamming distance (number of differing dimensions) of two packed binary vectors. */
export function hammingDistance(
  a: Uint8Array,
  aOffset: number,
  b: Uint8Array,
  bOffset: number,
  dimBits: number,
): number {
  const { rowBytes, lastByteMask } = binaryVectorBits(dimBits);
  let count = 0;
  for (let i = 0; i < rowBytes; i++) {
    let x = a[aOffset + i]! ^ b[bOffset + i]!;
    if (i === rowBytes - 1) x &= lastByteMask;
    for (let bit = 0; bit < 8; bit++) count += (x >> bit) & 1;
  }
  return count;
}
