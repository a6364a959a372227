import type { FilterIr, GenericValue } from '../../expr/index.js';
import { type Column, DataType } from '../../schema/index.js';
import { typedInterval } from './compare-leaf.js';
import type { FilterContext } from './filter-context.js';
import { andInto, orInto } from './mask-ops.js';
import { RowCursor } from './row-cursor.js';
import { scanInterval } from './typed-scan.js';
import { numberFor } from './value-order.js';
import { ValueSet } from './value-set.js';
import { valueTypeOf } from './value-type.js';
import { WordHashSet } from './word-hash-set.js';

type TermLeaf = Extract<FilterIr, { kind: 'term' }>;

/** Lists up to this long are tested as that many equality scans; longer ones through a hash set. */
const SCAN_LIST_MAX = 4;

/**
 * `column in [values]` over `rows`. Numeric columns test each value against a lookup table (Int8,
 * Int16), a few equality scans (short lists) or a hash set of the values' bit patterns read through
 * an Int32Array view (no per-row allocation); strings use a Set; JSON values and array elements
 * use a ValueSet of equality classes.
 */
export function evaluateTerm(
  leaf: TermLeaf,
  context: FilterContext,
  rows: Uint8Array | undefined,
): Uint8Array {
  const column = context.column(leaf.column.fieldName)!;
  const n = context.numRows;
  if (leaf.column.nestedPath.length === 0) {
    const typed = typedTerm(column, leaf.values, context);
    if (typed !== undefined) return andInto(typed, rows);
    if (column.type === DataType.VarChar) {
      const wanted = new Set<string>();
      for (const value of leaf.values) if (value.kind === 'string') wanted.add(value.value);
      const values = column.values as string[];
      const out = context.take();
      if (wanted.size === 0) return out;
      const cursor = new RowCursor(rows, n);
      for (let row = cursor.first(); row < n; row = cursor.next(row)) {
        out[row] = wanted.has(values[row]!) ? 1 : 0;
      }
      return out;
    }
  }
  const read = context.reader(leaf.column)!;
  const set = new ValueSet(valueTypeOf(leaf.column), leaf.values);
  const out = context.take();
  if (set.classCount === 0) return out;
  const cursor = new RowCursor(rows, n);
  for (let row = cursor.first(); row < n; row = cursor.next(row)) {
    out[row] = set.has(read(row)) ? 1 : 0;
  }
  return out;
}

function typedTerm(
  column: Column,
  constants: readonly GenericValue[],
  context: FilterContext,
): Uint8Array | undefined {
  const n = context.numRows;
  switch (column.type) {
    case DataType.Bool: {
      const table = new Uint8Array(2);
      for (const constant of constants) if (constant.kind === 'bool') table[Number(constant.value)] = 1;
      const out = context.take();
      const values = column.values;
      for (let row = 0; row < n; row++) out[row] = table[values[row]!]!;
      return out;
    }
    case DataType.Int8:
    case DataType.Int16: {
      const offset = column.type === DataType.Int8 ? 128 : 32768;
      const table = new Uint8Array(offset * 2);
      for (const value of integerConstants(column.type, constants)) {
        const slot = Number(value) + offset;
        if (slot >= 0 && slot < table.length) table[slot] = 1;
      }
      return lookupSmall(column.values, table, offset, context.take());
    }
    case DataType.Int32:
    case DataType.Int64:
    case DataType.Float:
    case DataType.Double: {
      const equalities = distinctEqualities(column, constants);
      if (equalities.length <= SCAN_LIST_MAX) {
        const out = context.take();
        for (const constant of equalities) {
          const equal = scanInterval(column, typedInterval(column, '==', constant)!, context.take());
          orInto(out, equal);
          context.release(equal);
        }
        return out;
      }
      return hashedTerm(column, equalities, context.take());
    }
    default:
      return undefined;
  }
}

function lookupSmall(
  values: Int8Array | Int16Array,
  table: Uint8Array,
  offset: number,
  out: Uint8Array,
): Uint8Array {
  const n = out.length;
  for (let row = 0; row < n; row++) out[row] = table[values[row]! + offset]!;
  return out;
}

/** Integral constants (as bigints) an integer column could equal. */
function integerConstants(type: DataType, constants: readonly GenericValue[]): bigint[] {
  const values: bigint[] = [];
  for (const constant of constants) {
    const number = numberFor(type, constant);
    if (typeof number === 'bigint') values.push(number);
    else if (number !== undefined && Number.isInteger(number) && Math.abs(number) < 2 ** 63)
      values.push(BigInt(number));
  }
  return values;
}

/** The constants as `==` operands, without those no value of the column can equal, deduplicated. */
function distinctEqualities(column: Column, constants: readonly GenericValue[]): GenericValue[] {
  const seen = new Set<number | bigint>();
  const out: GenericValue[] = [];
  for (const constant of constants) {
    const number = numberFor(column.type, constant);
    if (number === undefined || (typeof number === 'number' && Number.isNaN(number))) continue;
    const key = typeof number === 'number' && number === 0 ? 0 : number;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(constant);
  }
  return out;
}

/**
 * Tests each row's bit pattern against the patterns of the constants. An Int32 value is its own
 * low word; Float/Double constants are stored as their float32 / double bits, with both zeros.
 */
function hashedTerm(column: Column, constants: readonly GenericValue[], out: Uint8Array): Uint8Array {
  const keys: [number, number][] = [];
  const n = out.length;
  switch (column.type) {
    case DataType.Int32: {
      for (const value of integerConstants(column.type, constants)) {
        if (value >= -(2n ** 31n) && value < 2n ** 31n) keys.push([Number(value), 0]);
      }
      const set = new WordHashSet(keys);
      const values = column.values;
      for (let row = 0; row < n; row++) out[row] = set.has(values[row]!, 0) ? 1 : 0;
      return out;
    }
    case DataType.Int64: {
      const word = new BigInt64Array(1);
      const words = new Int32Array(word.buffer);
      for (const value of integerConstants(column.type, constants)) {
        word[0] = BigInt.asIntN(64, value);
        if (word[0] === value) keys.push([words[0]!, words[1]!]);
      }
      const set = new WordHashSet(keys);
      const values = column.values;
      const view = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
      for (let row = 0; row < n; row++) out[row] = set.has(view[2 * row]!, view[2 * row + 1]!) ? 1 : 0;
      return out;
    }
    case DataType.Float: {
      const word = new Float32Array(1);
      const bits = new Int32Array(word.buffer);
      for (const constant of constants) {
        for (const value of withBothZeros(Number(numberFor(DataType.Float, constant)))) {
          word[0] = value;
          keys.push([bits[0]!, 0]);
        }
      }
      const set = new WordHashSet(keys);
      const values = column.values;
      const view = new Int32Array(values.buffer, values.byteOffset, values.length);
      for (let row = 0; row < n; row++) out[row] = set.has(view[row]!, 0) ? 1 : 0;
      return out;
    }
    case DataType.Double: {
      const word = new Float64Array(1);
      const words = new Int32Array(word.buffer);
      for (const constant of constants) {
        const number = numberFor(DataType.Double, constant)!;
        const exact = Number(number);
        // An int64 that no double equals matches nothing.
        if (typeof number === 'bigint' && BigInt(exact) !== number) continue;
        for (const value of withBothZeros(exact)) {
          word[0] = value;
          keys.push([words[0]!, words[1]!]);
        }
      }
      const set = new WordHashSet(keys);
      const values = column.values;
      const view = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
      for (let row = 0; row < n; row++) out[row] = set.has(view[2 * row]!, view[2 * row + 1]!) ? 1 : 0;
      return out;
    }
    default:
      throw new Error(`no hashed term for column type ${column.type}`);
  }
}

/** 0 and -0 are equal but have different bits. */
function withBothZeros(value: number): number[] {
  return value === 0 ? [0, -0] : [value];
}
