import { hugePageInt32Array } from '../../kernels/huge-pages.js';
import type { KeyTable } from './key-table.js';

/** Int32 cells per entry: the key's hash, segment slot + 1 (0 = empty), row. */
const cellsPerEntry = 3;
const minimumCapacity = 16;
/** Grow past 3/4 full, as Int64KeyTable does. */
const maxLoadNumerator = 3;
const maxLoadDenominator = 4;

/**
 * FNV-1a over the UTF-16 code units, then murmur3's fmix32 so that the low bits (the table
 * position) depend on every character.
 */
export function hashString(key: string): number {
  let h = 0x811c9dc5 ^ key.length;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * VarChar keys → (slot, row): open addressing with linear probing and backward-shift deletion, like
 * Int64KeyTable (whose probing it mirrors; the two stay separate so each hot loop sees one key
 * type). Each entry keeps the key's hash beside its pair, so a probe compares strings only when the
 * hashes match and a deletion finds an entry's home without rehashing. The key strings are the
 * segments' own, not copies. An entry is the key's position in the table.
 *
 * Why not a Map<string, entry number> (tried first): on 1M keys (bench/pk-index.ts, a loaded
 * machine) it filled in 0.75-1 s against ~0.4 s here and missed in ~0.8 µs against ~0.2 µs, for
 * 37 bytes per key against 42.
 */
export class StringKeyTable implements KeyTable<string, readonly string[]> {
  private cells: Int32Array;
  private keys: Array<string | undefined>;
  private mask: number;
  private count = 0;
  private growAt: number;

  constructor(expectedKeys = 0) {
    const capacity = StringKeyTable.capacityFor(expectedKeys);
    this.cells = hugePageInt32Array(capacity * cellsPerEntry);
    this.keys = new Array<string | undefined>(capacity).fill(undefined);
    this.mask = capacity - 1;
    this.growAt = StringKeyTable.limitFor(capacity);
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
    while (StringKeyTable.limitFor(capacity) < keys) capacity *= 2;
    return capacity;
  }

  private static limitFor(capacity: number): number {
    return Math.floor((capacity * maxLoadNumerator) / maxLoadDenominator);
  }

  /** Grows so that `keys` keys fit without another resize. */
  reserve(keys: number): void {
    if (keys <= this.growAt) return;
    const capacity = StringKeyTable.capacityFor(keys);
    const oldCells = this.cells;
    const oldKeys = this.keys;
    const cells = hugePageInt32Array(capacity * cellsPerEntry);
    const newKeys = new Array<string | undefined>(capacity).fill(undefined);
    const mask = capacity - 1;
    for (let old = 0; old < oldKeys.length; old++) {
      const base = old * cellsPerEntry;
      if (oldCells[base + 1] === 0) continue;
      let position = oldCells[base]! & mask;
      while (cells[position * cellsPerEntry + 1] !== 0) position = (position + 1) & mask;
      cells.set(oldCells.subarray(base, base + cellsPerEntry), position * cellsPerEntry);
      newKeys[position] = oldKeys[old];
    }
    this.cells = cells;
    this.keys = newKeys;
    this.mask = mask;
    this.growAt = StringKeyTable.limitFor(capacity);
  }

  find(key: string): number {
    if (typeof key !== 'string') return -1;
    const hash = hashString(key);
    const cells = this.cells;
    const mask = this.mask;
    let position = hash & mask;
    for (;;) {
      const base = position * cellsPerEntry;
      if (cells[base + 1] === 0) return -1;
      if (cells[base] === hash && this.keys[position] === key) return position;
      position = (position + 1) & mask;
    }
  }

  insert(key: string, slot: number, row: number): number {
    if (typeof key !== 'string') throw new TypeError(`not a VarChar primary key: ${String(key)}`);
    this.reserve(this.count + 1);
    return this.insertHashed(key, hashString(key), slot + 1, row);
  }

  /** Adds the key at its first free position and returns -1, or returns its entry when present. */
  private insertHashed(key: string, hash: number, tag: number, row: number): number {
    const cells = this.cells;
    const mask = this.mask;
    let position = hash & mask;
    for (;;) {
      const base = position * cellsPerEntry;
      if (cells[base + 1] === 0) {
        cells[base] = hash;
        cells[base + 1] = tag;
        cells[base + 2] = row;
        this.keys[position] = key;
        this.count++;
        return -1;
      }
      if (cells[base] === hash && this.keys[position] === key) return position;
      position = (position + 1) & mask;
    }
  }

  slotAt(entry: number): number {
    return this.cells[entry * cellsPerEntry + 1]! - 1;
  }

  rowAt(entry: number): number {
    return this.cells[entry * cellsPerEntry + 2]!;
  }

  setAt(entry: number, slot: number, row: number): void {
    this.cells[entry * cellsPerEntry + 1] = slot + 1;
    this.cells[entry * cellsPerEntry + 2] = row;
  }

  delete(key: string): number {
    const entry = this.find(key);
    if (entry < 0) return -1;
    const slot = this.slotAt(entry);
    this.deleteAt(entry);
    return slot;
  }

  /** Backward-shift deletion, as in Int64KeyTable.deleteAt. */
  private deleteAt(entry: number): void {
    const cells = this.cells;
    const keys = this.keys;
    const mask = this.mask;
    let hole = entry;
    let next = (hole + 1) & mask;
    while (cells[next * cellsPerEntry + 1] !== 0) {
      const base = next * cellsPerEntry;
      const home = cells[base]! & mask;
      if (((next - home) & mask) >= ((next - hole) & mask)) {
        cells.copyWithin(hole * cellsPerEntry, base, base + cellsPerEntry);
        keys[hole] = keys[next];
        hole = next;
      }
      next = (next + 1) & mask;
    }
    cells.fill(0, hole * cellsPerEntry, hole * cellsPerEntry + cellsPerEntry);
    keys[hole] = undefined;
    this.count--;
  }

  insertColumn(
    keys: readonly string[],
    slot: number,
    firstRow: number,
    deleteTimestamps: BigUint64Array | undefined,
    onClash: (entry: number, row: number) => void,
  ): number {
    // Checked before any change, so that a bad column leaves the table as it was.
    if (!Array.isArray(keys) || !keys.every((key) => typeof key === 'string')) {
      throw new TypeError('VarChar primary keys must come as an array of strings');
    }
    // Room for every key up front, so the loop never resizes.
    this.reserve(this.count + keys.length);
    const deleteWords =
      deleteTimestamps === undefined
        ? undefined
        : new Int32Array(deleteTimestamps.buffer, deleteTimestamps.byteOffset, deleteTimestamps.length * 2);
    const tag = slot + 1;
    const before = this.count;
    for (let i = 0; i < keys.length; i++) {
      const row = firstRow + i;
      if (deleteWords !== undefined && (deleteWords[2 * row]! | deleteWords[2 * row + 1]!) !== 0) continue;
      const key = keys[i]!;
      const existing = this.insertHashed(key, hashString(key), tag, row);
      if (existing >= 0) onClash(existing, row);
    }
    return this.count - before;
  }

  /** One pass, as Int64KeyTable.deleteSlots (see there why no entry is skipped). */
  deleteSlots(dropped: Uint8Array): number {
    let removed = 0;
    for (let position = 0; position <= this.mask; position++) {
      for (;;) {
        const tag = this.cells[position * cellsPerEntry + 1]!;
        if (tag === 0 || dropped[tag - 1] !== 1) break;
        this.deleteAt(position);
        removed++;
      }
    }
    return removed;
  }
}
