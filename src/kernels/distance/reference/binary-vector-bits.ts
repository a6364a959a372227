/**
 * Bytes per packed binary vector of dimBits bits, and the mask of the bits of its last byte that are
 * dimensions. Bits are MSB-first: dimension j is bit 7 - (j % 8) of byte j >> 3 (numpy.packbits order,
 * as Milvus packs binary vectors); unused low bits of the last byte are ignored by every metric.
 */
export function binaryVectorBits(dimBits: number): { rowBytes: number; lastByteMask: number } {
  const rest = dimBits & 7;
  return { rowBytes: Math.ceil(dimBits / 8), lastByteMask: rest === 0 ? 0xff : (0xff00 >> rest) & 0xff };
}
