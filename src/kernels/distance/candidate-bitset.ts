/**
 * A candidate bitset restricts a scan to some rows: bit i set means row i is a candidate. Bits are
 * LSB-first within each byte (row i is bit i & 7 of byte i >> 3), which is also bit i & 31 of
 * little-endian 32-bit word i >> 5, so a Uint8Array and a Uint32Array view of the same bytes mean the
 * same thing. Bits at or beyond the row count are ignored.
 */
export type CandidateBitset = Uint8Array | Uint32Array;

/** Bytes a bitset for `rows` rows needs. */
export function candidateBitsetBytes(rows: number): number {
  return Math.ceil(rows / 8);
}

export function isCandidate(bitset: CandidateBitset, row: number): boolean {
  if (bitset instanceof Uint32Array) return ((bitset[row >>> 5]! >>> (row & 31)) & 1) === 1;
  return ((bitset[row >>> 3]! >>> (row & 7)) & 1) === 1;
}

export function setCandidate(bitset: CandidateBitset, row: number): void {
  if (bitset instanceof Uint32Array) bitset[row >>> 5]! |= 1 << (row & 31);
  else bitset[row >>> 3]! |= 1 << (row & 7);
}
