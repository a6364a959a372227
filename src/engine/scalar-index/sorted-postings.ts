import { errors } from '../../errors/index.js';
import { type ArrayCell, type Column, DataType, dataTypeName } from '../../schema/index.js';
import {
  isKeyType,
  type KeyArray,
  type NumericKeyKind,
  newKeyArray,
  numericKeyKind,
  sortStringsByteOrder,
} from './index-keys.js';
import { radixSort } from './radix-sort.js';

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  throw new Error('scalar indexes reinterpret typed arrays as u32 words and need a little-endian host');
}

/**
 * A column's values grouped by key: the distinct keys in ascending order and, for each, the rows
 * that hold it. Every index type is built from this. For an Array column the keys are the elements
 * and a row is listed under each distinct element it contains (once, however often it repeats).
 *
 * Invariants: keys are distinct and ascending (compareStrings order for VarChar; -0 and +0 are
 * distinct keys, adjacent and equal under `<`); NaN is never a key; rows are ascending within a key;
 * null rows appear only in nullRows; NaN rows (Float/Double columns) only in nanRows.
 */
export interface SortedPostings {
  /** The column's data type, or the element type of an Array column. */
  readonly keyType: DataType;
  readonly numRows: number;
  readonly keys: KeyArray;
  /** Length keys.length + 1: key k's rows are rows[offsets[k]] .. rows[offsets[k + 1] - 1]. */
  readonly offsets: Uint32Array;
  readonly rows: Uint32Array;
  readonly nullRows: Uint32Array;
  readonly nanRows: Uint32Array;
}

const wide = (kind: NumericKeyKind): boolean => kind === 'i64' || kind === 'f64';

/**
 * Radix keys: u32 words whose unsigned order is the values' order. Signed integers flip the sign
 * bit; IEEE floats flip the sign bit of positives and every bit of negatives.
 */
class RadixKeys {
  readonly lo: Uint32Array;
  readonly hi: Uint32Array | undefined;
  readonly rows: Uint32Array;
  count = 0;

  constructor(
    readonly kind: NumericKeyKind,
    capacity: number,
  ) {
    this.lo = new Uint32Array(capacity);
    this.hi = wide(kind) ? new Uint32Array(capacity) : undefined;
    this.rows = new Uint32Array(capacity);
  }

  /**
   * Appends `length` values starting at `start` (read as u32 words for 64-bit and float kinds),
   * owned by `row`, or by their own index when `row` is -1 (a whole scalar column). NaNs are
   * skipped: they never compare equal or ordered.
   */
  append(values: NumericValues, start: number, length: number, row: number): void {
    const { lo, hi, rows } = this;
    let at = this.count;
    switch (this.kind) {
      case 'bool': {
        for (let i = start; i < start + length; i++) {
          lo[at] = values[i] === 1 ? 1 : 0;
          rows[at++] = row < 0 ? i : row;
        }
        break;
      }
      case 'i8':
      case 'i16':
      case 'i32': {
        for (let i = start; i < start + length; i++) {
          lo[at] = ((values[i] as number) ^ 0x8000_0000) >>> 0;
          rows[at++] = row < 0 ? i : row;
        }
        break;
      }
      case 'f32': {
        const bits = wordsOf(values);
        for (let i = start; i < start + length; i++) {
          if (Number.isNaN(values[i])) continue;
          const b = bits[i]!;
          lo[at] = b & 0x8000_0000 ? ~b >>> 0 : (b ^ 0x8000_0000) >>> 0;
          rows[at++] = row < 0 ? i : row;
        }
        break;
      }
      case 'i64': {
        const words = wordsOf(values);
        for (let i = start; i < start + length; i++) {
          lo[at] = words[2 * i]!;
          hi![at] = (words[2 * i + 1]! ^ 0x8000_0000) >>> 0;
          rows[at++] = row < 0 ? i : row;
        }
        break;
      }
      case 'f64': {
        const words = wordsOf(values);
        for (let i = start; i < start + length; i++) {
          if (Number.isNaN(values[i])) continue;
          const low = words[2 * i]!;
          const high = words[2 * i + 1]!;
          if (high & 0x8000_0000) {
            lo[at] = ~low >>> 0;
            hi![at] = ~high >>> 0;
          } else {
            lo[at] = low;
            hi![at] = (high ^ 0x8000_0000) >>> 0;
          }
          rows[at++] = row < 0 ? i : row;
        }
        break;
      }
    }
    this.count = at;
  }
}

type NumericValues =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Float32Array
  | Float64Array;

/** The values' bytes as u32 words (typed arrays of 4- and 8-byte elements are 4-byte aligned). */
function wordsOf(values: NumericValues): Uint32Array {
  return new Uint32Array(values.buffer, values.byteOffset, values.byteLength >>> 2);
}

/** Writes the value whose radix key is (lo, hi) at `index` of `keys`: the inverse of RadixKeys. */
function storeKey(
  kind: NumericKeyKind,
  keys: Exclude<KeyArray, string[]>,
  words: Uint32Array,
  index: number,
  lo: number,
  hi: number,
): void {
  switch (kind) {
    case 'bool':
      keys[index] = lo;
      return;
    case 'i8':
    case 'i16':
    case 'i32':
      keys[index] = (lo ^ 0x8000_0000) | 0;
      return;
    case 'f32':
      words[index] = lo & 0x8000_0000 ? (lo ^ 0x8000_0000) >>> 0 : ~lo >>> 0;
      return;
    case 'i64':
      words[2 * index] = lo;
      words[2 * index + 1] = (hi ^ 0x8000_0000) >>> 0;
      return;
    case 'f64':
      if (hi & 0x8000_0000) {
        words[2 * index] = lo;
        words[2 * index + 1] = (hi ^ 0x8000_0000) >>> 0;
      } else {
        words[2 * index] = ~lo >>> 0;
        words[2 * index + 1] = ~hi >>> 0;
      }
      return;
  }
}

/** Sorts radix keys and groups them into distinct keys with their (deduplicated) rows. */
function groupNumeric(
  radix: RadixKeys,
  keyType: DataType,
  numRows: number,
  nullRows: Uint32Array,
  nanRows: Uint32Array,
): SortedPostings {
  const count = radix.count;
  const sorted = radixSort(
    radix.lo.subarray(0, count),
    radix.hi?.subarray(0, count),
    radix.rows.subarray(0, count),
  );
  const lo = sorted.lo;
  const hi = sorted.hi;
  const itemRows = sorted.payload;
  // Distinct keys first, so the key array is allocated at its size.
  let distinct = 0;
  for (let i = 0; i < count; i++) {
    if (i === 0 || lo[i] !== lo[i - 1] || (hi !== undefined && hi[i] !== hi[i - 1])) distinct++;
  }
  const keys = newKeyArray(radix.kind, distinct);
  const words = radix.kind === 'f32' || wide(radix.kind) ? wordsOf(keys) : new Uint32Array(0);
  const offsets = new Uint32Array(distinct + 1);
  const rows = new Uint32Array(count);
  let kept = 0;
  let key = 0;
  for (let i = 0; i < count; i++) {
    const keyLo = lo[i]!;
    const keyHi = hi === undefined ? 0 : hi[i]!;
    const row = itemRows[i]!;
    if (i === 0 || keyLo !== lo[i - 1] || (hi !== undefined && keyHi !== hi[i - 1])) {
      offsets[key] = kept;
      storeKey(radix.kind, keys, words, key++, keyLo, keyHi);
    } else if (row === itemRows[i - 1]) {
      continue; // the same element twice in one array
    }
    rows[kept++] = row;
  }
  offsets[distinct] = kept;
  return {
    keyType,
    numRows,
    keys,
    offsets,
    rows: kept === count ? rows : rows.slice(0, kept),
    nullRows,
    nanRows,
  };
}

function rowsWhere(numRows: number, test: (row: number) => boolean): Uint32Array {
  let count = 0;
  for (let row = 0; row < numRows; row++) if (test(row)) count++;
  const rows = new Uint32Array(count);
  let at = 0;
  for (let row = 0; row < numRows && at < count; row++) if (test(row)) rows[at++] = row;
  return rows;
}

function nullRowsOf(numRows: number, valid: Uint8Array | undefined): Uint32Array {
  return valid === undefined ? new Uint32Array(0) : rowsWhere(numRows, (row) => valid[row] === 0);
}

function buildScalarNumeric(
  keyType: DataType,
  values: NumericValues,
  valid: Uint8Array | undefined,
): SortedPostings {
  const numRows = values.length;
  const nullRows = nullRowsOf(numRows, valid);
  const isFloat = keyType === DataType.Float || keyType === DataType.Double;
  const nanRows = isFloat
    ? rowsWhere(numRows, (row) => valid?.[row] !== 0 && Number.isNaN(values[row]))
    : new Uint32Array(0);
  const radix = new RadixKeys(numericKeyKind(keyType, false), numRows - nullRows.length);
  if (nullRows.length === 0) {
    radix.append(values, 0, numRows, -1);
  } else {
    for (let row = 0; row < numRows; row++) if (valid![row] !== 0) radix.append(values, row, 1, row);
  }
  return groupNumeric(radix, keyType, numRows, nullRows, nanRows);
}

function buildArrayNumeric(
  elementType: DataType,
  cells: readonly ArrayCell[],
  valid: Uint8Array | undefined,
): SortedPostings {
  const numRows = cells.length;
  const nullRows = nullRowsOf(numRows, valid);
  let total = 0;
  for (let row = 0; row < numRows; row++) if (valid?.[row] !== 0) total += cells[row]!.length;
  const radix = new RadixKeys(numericKeyKind(elementType, true), total);
  for (let row = 0; row < numRows; row++) {
    if (valid?.[row] === 0) continue;
    const cell = cells[row]! as NumericValues;
    if (cell.length > 0) radix.append(cell, 0, cell.length, row);
  }
  return groupNumeric(radix, elementType, numRows, nullRows, new Uint32Array(0));
}

/**
 * Strings: a dictionary of distinct values (Map), sorted in byte order, then a counting sort of the
 * (key, row) items by key rank, which keeps rows ascending within a key.
 */
function buildStrings(
  numRows: number,
  valid: Uint8Array | undefined,
  forEachString: (visit: (text: string, row: number) => void) => void,
): SortedPostings {
  const nullRows = nullRowsOf(numRows, valid);
  const ids = new Map<string, number>();
  const distinct: string[] = [];
  let itemIds = new Int32Array(Math.max(16, numRows));
  let itemRows = new Uint32Array(itemIds.length);
  let count = 0;
  forEachString((text, row) => {
    let id = ids.get(text);
    if (id === undefined) {
      id = distinct.length;
      ids.set(text, id);
      distinct.push(text);
    }
    if (count === itemIds.length) {
      const grownIds = new Int32Array(2 * count);
      grownIds.set(itemIds);
      itemIds = grownIds;
      const grownRows = new Uint32Array(2 * count);
      grownRows.set(itemRows);
      itemRows = grownRows;
    }
    itemIds[count] = id;
    itemRows[count++] = row;
  });
  const keys = sortStringsByteOrder(distinct.slice());
  const rank = new Uint32Array(keys.length);
  for (let position = 0; position < keys.length; position++) rank[ids.get(keys[position]!)!] = position;
  // Counting sort by rank; items come in row order, so rows stay ascending within a key. A row
  // listed twice under one key (a repeated array element) is dropped: it would be adjacent.
  const starts = new Uint32Array(keys.length + 1);
  for (let i = 0; i < count; i++) starts[rank[itemIds[i]!]! + 1]!++;
  for (let k = 0; k < keys.length; k++) starts[k + 1]! += starts[k];
  const cursor = starts.slice(0, keys.length);
  const sorted = new Uint32Array(count);
  for (let i = 0; i < count; i++) sorted[cursor[rank[itemIds[i]!]!]!++] = itemRows[i]!;
  const offsets = new Uint32Array(keys.length + 1);
  const rows = new Uint32Array(count);
  let kept = 0;
  for (let k = 0; k < keys.length; k++) {
    offsets[k] = kept;
    let previous = -1;
    for (let i = starts[k]!; i < starts[k + 1]!; i++) {
      const row = sorted[i]!;
      if (row !== previous) rows[kept++] = row;
      previous = row;
    }
  }
  offsets[keys.length] = kept;
  return {
    keyType: DataType.VarChar,
    numRows,
    keys,
    offsets,
    rows: kept === count ? rows : rows.slice(0, kept),
    nullRows,
    nanRows: new Uint32Array(0),
  };
}

/** The key type of a column: its data type, or its element type for an Array column. */
export function keyTypeOf(column: Column): DataType {
  return column.type === DataType.Array ? column.elementType : column.type;
}

/** Groups a column by key. Throws for columns no scalar index can hold (JSON, vectors, ...). */
export function buildSortedPostings(column: Column): SortedPostings {
  switch (column.type) {
    case DataType.Bool:
    case DataType.Int8:
    case DataType.Int16:
    case DataType.Int32:
    case DataType.Int64:
    case DataType.Float:
    case DataType.Double:
      return buildScalarNumeric(column.type, column.values, column.valid);
    case DataType.VarChar: {
      const { values, valid } = column;
      return buildStrings(values.length, valid, (visit) => {
        for (let row = 0; row < values.length; row++) if (valid?.[row] !== 0) visit(values[row]!, row);
      });
    }
    case DataType.Array: {
      const { elementType, values, valid } = column;
      if (!isKeyType(elementType)) break;
      if (elementType !== DataType.VarChar) return buildArrayNumeric(elementType, values, valid);
      return buildStrings(values.length, valid, (visit) => {
        for (let row = 0; row < values.length; row++) {
          if (valid?.[row] === 0) continue;
          for (const text of values[row] as string[]) visit(text, row);
        }
      });
    }
    default:
      break;
  }
  const what =
    column.type === DataType.Array
      ? `Array of ${dataTypeName(column.elementType)}`
      : dataTypeName(column.type);
  throw errors.unexpected(`a scalar index cannot be built on a ${what} column`);
}
