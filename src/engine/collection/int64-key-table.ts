import { hugePageInt32Array } from '../../kernels/huge-pages.js';
import type { KeyTable } from './key-table.js';

/** Int32 cells per entry: key word 0, key word 1, segment slot + 1 (0 = empty), row. */
const cellsPerEntry = 4;
const minimumCapacity = 16;
/** Grow past 3/4 full: linear probing stays short (≈2.5 probes for a hit) at that load. */
const maxLoadNumerator = 3;
const maxLoadDenominator = 4;
const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;

/**
 * murmur3's fmix32 over the key's two 32-bit words, so that hashing never does BigInt arithmetic.
 * Keys that differ only in one word (sequential IDs, snowflake IDs) hash to unrelated positions.
 */
function hashWords(word0: number, word1: number): number {
  let h = Math.imul(word1 ^ (word1 >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h = (h ^ (h >>> 16) ^ word0) | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Int32 view of a 64-bit typed array's elements, two words per element in memory order. */
function wordsOf(values: BigInt64Array | BigUint64Array): Int32Array {
  return new Int32Array(values.buffer, values.byteOffset, values.length * 2);
}

/**
 * Open-addressing hash table (linear probing, backward-shift deletion, so no tombstones) from Int64
 * keys to (slot, row), in one Int32Array. Keys are kept and compared as their two 32-bit words, in
 * memory order: the same order for a key read from a BigInt64Array column and for one written to
 * the scratch array, whatever the platform's endianness. An entry is the key's position in the table.
 *
 * One entry is 16 bytes and fills a quarter of a cache line, so a probe costs one cache miss; per
 * key that is 16 / load bytes (21-43 bytes), against ~93 for the Map of bigint to {segment, row}
 * objects this replaced (bench/pk-index.ts).
 */
export class Int64KeyTable implements KeyTable<bigint, BigInt64Array> {
  private cells: Int32Array;
  private mask: number;
  private count = 0;
  private growAt: number;
  private readonly scratch = new BigInt64Array(1);
  private readonly scratchWords = wordsOf(this.scratch);

  constructor(expectedKeys = 0) {
    const capacity = Int64KeyTable.capacityFor(expectedKeys);
    this.cells = hugePageInt32Array(capacity * cellsPerEntry);
    this.mask = capacity - 1;
    this.growAt = Int64KeyTable.limitFor(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Entries the table has room for (a power of two). */
  get capacity(): number {
    return this.mask + 1;
  }

  private static capacityFor(keys: number): number {
    let capacity = minimumCapacity;
    while (Int64KeyTable.limitFor(capacity) < keys) capacity *= 2;
    return capacity;
  }

  private static limitFor(capacity: number): number {
    return Math.floor((capacity * maxLoadNumerator) / maxLoadDenominator);
  }

  /** Grows so that `keys` keys fit without another resize. */
  reserve(keys: number): void {
    if (keys <= this.growAt) return;
    const capacity = Int64KeyTable.capacityFor(keys);
    const old = this.cells;
    const cells = hugePageInt32Array(capacity * cellsPerEntry);
    const mask = capacity - 1;
    for (let base = 0; base < old.length; base += cellsPerEntry) {
      if (old[base + 2] === 0) continue;
      let position = hashWords(old[base]!, old[base + 1]!) & mask;
      while (cells[position * cellsPerEntry + 2] !== 0) position = (position + 1) & mask;
      cells.set(old.subarray(base, base + cellsPerEntry), position * cellsPerEntry);
    }
    this.cells = cells;
    this.mask = mask;
    this.growAt = Int64KeyTable.limitFor(capacity);
  }

  /** Loads `key` into the scratch words; false when it is not an Int64 value. */
  private loadScratch(key: bigint): boolean {
    // Out-of-range values would wrap on the store (and alias a key in range).
    if (typeof key !== 'bigint' || key < int64Min || key > int64Max) return false;
    this.scratch[0] = key;
    return true;
  }

  private findWords(word0: number, word1: number): number {
    const cells = this.cells;
    const mask = this.mask;
    let position = hashWords(word0, word1) & mask;
    for (;;) {
      const base = position * cellsPerEntry;
      if (cells[base + 2] === 0) return -1;
      if (cells[base] === word0 && cells[base + 1] === word1) return position;
      position = (position + 1) & mask;
    }
  }

  find(key: bigint): number {
    if (!this.loadScratch(key)) return -1;
    return this.findWords(this.scratchWords[0]!, this.scratchWords[1]!);
  }

  insert(key: bigint, slot: number, row: number): number {
    if (!this.loadScratch(key)) throw new TypeError(`not an Int64 primary key: ${String(key)}`);
    this.reserve(this.count + 1);
    const word0 = this.scratchWords[0]!;
    const word1 = this.scratchWords[1]!;
    const cells = this.cells;
    const mask = this.mask;
    let position = hashWords(word0, word1) & mask;
    for (;;) {
      const base = position * cellsPerEntry;
      if (cells[base + 2] === 0) {
        cells[base] = word0;
        cells[base + 1] = word1;
        cells[base + 2] = slot + 1;
        cells[base + 3] = row;
        this.count++;
        return -1;
      }
      if (cells[base] === word0 && cells[base + 1] === word1) return position;
      position = (position + 1) & mask;
    }
  }

  slotAt(entry: number): number {
    return this.cells[entry * cellsPerEntry + 2]! - 1;
  }

  rowAt(entry: number): number {
    return this.cells[entry * cellsPerEntry + 3]!;
  }

  setAt(entry: number, slot: number, row: number): void {
    this.cells[entry * cellsPerEntry + 2] = slot + 1;
    this.cells[entry * cellsPerEntry + 3] = row;
  }

  delete(key: bigint): number {
    const entry = this.find(key);
    if (entry < 0) return -1;
    const slot = this.slotAt(entry);
    this.deleteAt(entry);
    return slot;
  }

  /**
   * Empties `entry` and shifts later entries of its cluster back so that every key stays reachable
   * from its home position without a gap: an entry moves into the hole when its home is not
   * (cyclically) after the hole.
   */
  private deleteAt(entry: number): void {
    const cells = this.cells;
    const mask = this.mask;
    let hole = entry;
    let next = (hole + 1) & mask;
    while (cells[next * cellsPerEntry + 2] !== 0) {
      const base = next * cellsPerEntry;
      const home = hashWords(cells[base]!, cells[base + 1]!) & mask;
      if (((next - home) & mask) >= ((next - hole) & mask)) {
        cells.copyWithin(hole * cellsPerEntry, base, base + cellsPerEntry);
        hole = next;
      }
      next = (next + 1) & mask;
    }
    cells.fill(0, hole * cellsPerEntry, hole * cellsPerEntry + cellsPerEntry);
    this.count--;
  }

  insertColumn(
    keys: BigInt64Array,
    slot: number,
    firstRow: number,
    deleteTimestamps: BigUint64Array | undefined,
    onClash: (entry: number, row: number) => void,
  ): number {
    if (!(keys instanceof BigInt64Array))
      throw new TypeError('Int64 primary keys must come as a BigInt64Array');
    // Room for every key up front, so the loop never resizes (and `cells` stays the same array).
    this.reserve(this.count + keys.length);
    const cells = this.cells;
    const mask = this.mask;
    const keyWords = wordsOf(keys);
    const deleteWords = deleteTimestamps === undefined ? undefined : wordsOf(deleteTimestamps);
    const tag = slot + 1;
    const before = this.count;
    for (let i = 0; i < keys.length; i++) {
      const row = firstRow + i;
      if (deleteWords !== undefined && (deleteWords[2 * row]! | deleteWords[2 * row + 1]!) !== 0) continue;
      const word0 = keyWords[2 * i]!;
      const word1 = keyWords[2 * i + 1]!;
      let position = hashWords(word0, word1) & mask;
      for (;;) {
        const base = position * cellsPerEntry;
        if (cells[base + 2] === 0) {
          cells[base] = word0;
          cells[base + 1] = word1;
          cells[base + 2] = tag;
          cells[base + 3] = row;
          this.count++;
          break;
        }
        if (cells[base] === word0 && cells[base + 1] === word1) {
          onClash(position, row);
          break;
        }
        position = (position + 1) & mask;
      }
    }
    return this.count - before;
  }

  /**
   * One pass over the table. A deletion shifts entries back into the position just examined, so
   * that position is examined again. The shift never moves an unexamined entry to an examined
   * position other than that one: the hole travels forward from it, and once it wraps past the end
   * it only takes entries from the examined start of the table (an entry wrapped back to the end is
   * merely examined twice). The table always has an empty position, so the hole stops before it
   * comes round to the current position.
   */
  deleteSlots(dropped: Uint8Array): number {
    let removed = 0;
    for (let position = 0; position <= this.mask; position++) {
      for (;;) {
        const tag = this.cells[position * cellsPerEntry + 2]!;
        if (tag === 0 || dropped[tag - 1] !== 1) break;
        this.deleteAt(position);
        removed++;
      }
    }
    return removed;
  }
}
