import type { FilterIr } from '../../expr/index.js';
import { type Column, DataType, isIntegerType } from '../../schema/index.js';
import { type KeyArray, keyArrayBytes } from './index-keys.js';
import { type LeafPlan, type PlanTarget, planLeaf } from './plan-leaf.js';
import { columnTypes, refuseColumn } from './postings-index.js';
import type { ScalarIndex, ScalarIndexFactory } from './scalar-index.js';
import { bytesOf, decodeScalarIndexFile, encodeScalarIndexFile, keySections } from './scalar-index-file.js';
import { buildSortedPostings, type SortedPostings } from './sorted-postings.js';

/** Container kinds: the sorted rows, or one bit per row. */
const listContainer = 0;
const bitmapContainer = 1;

/**
 * BITMAP: per distinct value (per distinct element of an Array field) the set of rows holding it,
 * for low-cardinality Bool, integer and VarChar fields. Predicates become word-wide OR / AND / AND
 * NOT of those sets, expanded into the byte mask once at the end.
 *
 * A set is kept as a bitmap (numRows bits) when that is no larger than its row list, i.e. when at
 * least 1 row in 32 holds the value, and as the sorted row list otherwise (the two containers of
 * Roaring bitmaps). A high-cardinality field therefore costs O(rows), not O(rows x values).
 *
 * Answers ==, !=, in, ranges, prefix LIKE (VarChar), array_contains / _all / _any, is [not] null,
 * and on low-cardinality fields any predicate of the field alone (evaluated once per value).
 *
 * Payload sections: null rows, NaN rows (always empty: no float keys), keys, container kinds (one
 * byte per key), container offsets (in u32 words, keys + 1), container words.
 */
export class BitmapIndex implements ScalarIndex {
  readonly type = 'BITMAP' as const;
  readonly numRows: number;
  readonly sizeBytes: number;
  private readonly target: PlanTarget;
  private readonly words: number;

  constructor(
    readonly dataType: DataType,
    readonly elementType: DataType,
    private readonly keys: KeyArray,
    private readonly kinds: Uint8Array,
    private readonly containerOffsets: Uint32Array,
    private readonly data: Uint32Array,
    private readonly nullRows: Uint32Array,
    numRows: number,
  ) {
    this.numRows = numRows;
    this.words = Math.ceil(numRows / 32);
    this.sizeBytes =
      keyArrayBytes(keys) +
      kinds.byteLength +
      containerOffsets.byteLength +
      data.byteLength +
      nullRows.byteLength;
    this.target = {
      dataType,
      elementType,
      keyType: dataType === DataType.Array ? elementType : dataType,
      keys,
      numRows,
      hasNanRows: false,
      evaluatePerKey: keys.length <= Math.max(256, numRows >>> 3),
    };
  }

  static fromPostings(dataType: DataType, elementType: DataType, postings: SortedPostings): BitmapIndex {
    const { keys, offsets, rows, nullRows, numRows } = postings;
    const words = Math.ceil(numRows / 32);
    const kinds = new Uint8Array(keys.length);
    const containerOffsets = new Uint32Array(keys.length + 1);
    let total = 0;
    for (let k = 0; k < keys.length; k++) {
      const count = offsets[k + 1]! - offsets[k]!;
      kinds[k] = count * 32 >= numRows ? bitmapContainer : listContainer;
      total += kinds[k] === bitmapContainer ? words : count;
      containerOffsets[k + 1] = total;
    }
    const data = new Uint32Array(total);
    for (let k = 0; k < keys.length; k++) {
      const at = containerOffsets[k]!;
      if (kinds[k] === listContainer) {
        // A plain loop: a subarray per key would allocate once per distinct value.
        for (let i = offsets[k]!, to = at; i < offsets[k + 1]!; i++) data[to++] = rows[i]!;
        continue;
      }
      for (let i = offsets[k]!; i < offsets[k + 1]!; i++) {
        const row = rows[i]!;
        data[at + (row >>> 5)]! |= 1 << (row & 31);
      }
    }
    return new BitmapIndex(dataType, elementType, keys, kinds, containerOffsets, data, nullRows, numRows);
  }

  evaluate(leaf: FilterIr): Uint8Array | undefined {
    const plan = planLeaf(leaf, this.target);
    return plan === undefined ? undefined : this.mask(plan);
  }

  private mask(plan: LeafPlan): Uint8Array {
    const { numRows, nullRows } = this;
    switch (plan.kind) {
      case 'none':
        return new Uint8Array(numRows);
      case 'nulls': {
        const mask = new Uint8Array(numRows);
        for (const row of nullRows) mask[row] = 1;
        return mask;
      }
      case 'notNulls': {
        const mask = new Uint8Array(numRows).fill(1);
        for (const row of nullRows) mask[row] = 0;
        return mask;
      }
      case 'keyRanges': {
        const keys: number[] = [];
        for (let i = 0; i < plan.ranges.length; i += 2) {
          for (let k = plan.ranges[i]!; k < plan.ranges[i + 1]!; k++) keys.push(k);
        }
        return this.union(keys);
      }
      case 'selectedKeys': {
        const keys: number[] = [];
        for (let k = 0; k < plan.selected.length; k++) if (plan.selected[k] === 1) keys.push(k);
        return this.union(keys);
      }
      case 'notInKeyRange': {
        const bits = new Uint32Array(this.words).fill(0xffff_ffff);
        if (numRows % 32 !== 0) bits[this.words - 1] = 2 ** (numRows % 32) - 1;
        for (const row of nullRows) bits[row >>> 5]! &= ~(1 << (row & 31));
        const excluded = new Uint32Array(this.words);
        for (let k = plan.start; k < plan.end; k++) this.orKey(excluded, k);
        for (let w = 0; w < bits.length; w++) bits[w]! &= ~excluded[w]!;
        return this.expand(bits);
      }
      case 'everyGroup': {
        let bits: Uint32Array | undefined;
        for (const ranges of plan.groups) {
          const group = new Uint32Array(this.words);
          for (let i = 0; i < ranges.length; i += 2) {
            for (let k = ranges[i]!; k < ranges[i + 1]!; k++) this.orKey(group, k);
          }
          if (bits === undefined) bits = group;
          else for (let w = 0; w < bits.length; w++) bits[w]! &= group[w];
        }
        return this.expand(bits ?? new Uint32Array(this.words));
      }
    }
  }

  /**
   * Rows of any of `keys`: bitmap containers are ORed word by word (or, when there is just one,
   * expanded as they are), then the row lists are written into the expanded mask directly.
   */
  private union(keys: readonly number[]): Uint8Array {
    const { data, containerOffsets, kinds } = this;
    let single: Uint32Array | undefined;
    let bits: Uint32Array | undefined;
    for (const k of keys) {
      if (kinds[k] !== bitmapContainer) continue;
      const container = data.subarray(containerOffsets[k]!, containerOffsets[k + 1]!);
      if (single === undefined && bits === undefined) {
        single = container;
        continue;
      }
      if (bits === undefined) {
        bits = single!.slice();
        single = undefined;
      }
      for (let w = 0; w < bits.length; w++) bits[w]! |= container[w];
    }
    const bitmapRows = bits ?? single;
    const mask = bitmapRows === undefined ? new Uint8Array(this.numRows) : this.expand(bitmapRows);
    for (const k of keys) {
      if (kinds[k] !== listContainer) continue;
      for (let i = containerOffsets[k]!; i < containerOffsets[k + 1]!; i++) mask[data[i]!] = 1;
    }
    return mask;
  }

  /** bits |= the rows of key k. */
  private orKey(bits: Uint32Array, k: number): void {
    const { data } = this;
    const start = this.containerOffsets[k]!;
    const end = this.containerOffsets[k + 1]!;
    if (this.kinds[k] === bitmapContainer) {
      for (let w = 0; w < bits.length; w++) bits[w]! |= data[start + w];
    } else {
      for (let i = start; i < end; i++) {
        const row = data[i]!;
        bits[row >>> 5]! |= 1 << (row & 31);
      }
    }
  }

  /**
   * One byte per bit, eight bytes at a time through two u32 writes from a 256-entry table. The mask
   * is a view of the first numRows bytes of a buffer rounded up to whole words (bits past numRows
   * are always 0).
   */
  private expand(bits: Uint32Array): Uint8Array {
    const buffer = new ArrayBuffer(this.words * 32);
    const out = new Uint32Array(buffer);
    const bytes = new Uint8Array(bits.buffer, bits.byteOffset, bits.byteLength);
    for (let i = 0; i < bytes.length; i++) {
      const byte = bytes[i]!;
      if (byte === 0) continue;
      out[2 * i] = lowNibbleBytes[byte]!;
      out[2 * i + 1] = highNibbleBytes[byte]!;
    }
    return new Uint8Array(buffer, 0, this.numRows);
  }

  serialize(): Uint8Array[] {
    return encodeScalarIndexFile(
      { indexType: this.type, dataType: this.dataType, elementType: this.elementType, numRows: this.numRows },
      [
        bytesOf(this.nullRows),
        new Uint8Array(0),
        ...keySections(this.keys),
        this.kinds,
        bytesOf(this.containerOffsets),
        bytesOf(this.data),
      ],
    );
  }
}

/** For byte b, the little-endian u32 whose bytes are bits 0..3 (low) or 4..7 (high) of b, as 0/1. */
const lowNibbleBytes = new Uint32Array(256);
const highNibbleBytes = new Uint32Array(256);
for (let b = 0; b < 256; b++) {
  for (let bit = 0; bit < 4; bit++) {
    lowNibbleBytes[b]! |= ((b >>> bit) & 1) << (8 * bit);
    highNibbleBytes[b]! |= ((b >>> (bit + 4)) & 1) << (8 * bit);
  }
}

/** Bool, integers and VarChar, as fields or Array elements (Milvus: not Float, Double or JSON). */
function bitmapKeyType(type: DataType): boolean {
  return type === DataType.Bool || isIntegerType(type) || type === DataType.VarChar;
}

function accepts(dataType: DataType, elementType: DataType): boolean {
  return dataType === DataType.Array ? bitmapKeyType(elementType) : bitmapKeyType(dataType);
}

export const bitmapIndexFactory: ScalarIndexFactory = {
  type: 'BITMAP',
  build(column: Column): BitmapIndex {
    const { dataType, elementType } = columnTypes(column);
    if (!accepts(dataType, elementType)) refuseColumn('BITMAP', column);
    return BitmapIndex.fromPostings(dataType, elementType, buildSortedPostings(column));
  },
  deserialize(bytes: Uint8Array, source?: string): BitmapIndex {
    const { header, sections } = decodeScalarIndexFile(bytes, 'BITMAP', source);
    const { dataType, elementType, numRows } = header;
    if (!accepts(dataType, elementType)) sections.fail('the header names a column type BITMAP does not hold');
    const nullRows = sections.rowList('null rows');
    if (sections.u8('NaN rows').byteLength !== 0) sections.fail('NaN rows in a BITMAP index');
    const keys = sections.keys('keys', true);
    const kinds = sections.u8('container kinds');
    if (kinds.length !== keys.length)
      sections.fail(`${kinds.length} container kinds for ${keys.length} keys`);
    const containerOffsets = sections.offsets('container offsets', keys.length);
    const data = sections.u32('container words');
    sections.finish();
    if (containerOffsets[keys.length] !== data.length) {
      sections.fail(
        `container offsets end at ${containerOffsets[keys.length]}, the words are ${data.length}`,
      );
    }
    const words = Math.ceil(numRows / 32);
    const tail = numRows % 32 === 0 ? 0 : ~(2 ** (numRows % 32) - 1);
    for (let k = 0; k < keys.length; k++) {
      const start = containerOffsets[k]!;
      const end = containerOffsets[k + 1]!;
      if (kinds[k] === bitmapContainer) {
        if (end - start !== words)
          sections.fail(`container ${k} is a bitmap of ${end - start} words, not ${words}`);
        if (words > 0 && (data[end - 1]! & tail) !== 0)
          sections.fail(`container ${k} has bits past the last row`);
      } else if (kinds[k] === listContainer) {
        let previous = -1;
        for (let i = start; i < end; i++) {
          if (data[i]! <= previous || data[i]! >= numRows)
            sections.fail(`container ${k} lists row ${data[i]} out of order or range`);
          previous = data[i]!;
        }
      } else {
        sections.fail(`container ${k} has unknown kind ${kinds[k]}`);
      }
    }
    return new BitmapIndex(dataType, elementType, keys, kinds, containerOffsets, data, nullRows, numRows);
  },
};
