/**
 * A set of 64-bit keys given as two int32 words (e.g. the words of an int64, a double or a float32
 * with a zero high word), with open addressing and linear probing. It lets `in` lists test typed
 * array values through an Int32Array view, without creating a BigInt or hashing a JS number per
 * row (a JS Set of bigints is an order of magnitude slower). Read-only after construction.
 */
export class WordHashSet {
  private readonly low: Int32Array;
  private readonly high: Int32Array;
  private readonly used: Uint8Array;
  private readonly mask: number;

  constructor(keys: readonly (readonly [number, number])[]) {
    let capacity = 8;
    while (capacity < keys.length * 2) capacity *= 2;
    this.low = new Int32Array(capacity);
    this.high = new Int32Array(capacity);
    this.used = new Uint8Array(capacity);
    this.mask = capacity - 1;
    for (const [low, high] of keys) this.add(low | 0, high | 0);
  }

  private add(low: number, high: number): void {
    let slot = hashWords(low, high) & this.mask;
    while (this.used[slot] === 1) {
      if (this.low[slot] === low && this.high[slot] === high) return;
      slot = (slot + 1) & this.mask;
    }
    this.used[slot] = 1;
    this.low[slot] = low;
    this.high[slot] = high;
  }

  has(low: number, high: number): boolean {
    let slot = hashWords(low, high) & this.mask;
    while (this.used[slot] === 1) {
      if (this.low[slot] === low && this.high[slot] === high) return true;
      slot = (slot + 1) & this.mask;
    }
    return false;
  }
}

/** Murmur3's finalizer over both words: every input bit affects the low bits used as the slot. */
export function hashWords(low: number, high: number): number {
  let h = low ^ Math.imul(high, 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
