import { compareStrings } from '../../expr/constant-ops.js';
import type { CompareOp, FilterIr, GenericValue } from '../../expr/index.js';
import { type Column, DataType, isIntegerType } from '../../schema/index.js';
import type { FilterContext } from './filter-context.js';
import { andInto } from './mask-ops.js';
import {
  floatInterval,
  hasIntervals,
  type Interval,
  int64Interval,
  intersectIntervals,
  smallIntInterval,
} from './numeric-interval.js';
import { RowCursor } from './row-cursor.js';
import { scanInterval } from './typed-scan.js';
import { applyOrder, compareTester, orderAgainst } from './value-order.js';
import { valueTypeOf } from './value-type.js';

type CompareLeaf = Extract<FilterIr, { kind: 'compare' }>;
type RangeLeaf = Extract<FilterIr, { kind: 'range' }>;

/**
 * `column op constant` over the rows in `rows` (non-null rows of the field, already restricted to
 * the active ones). Whole numeric and string columns are scanned in tight loops; JSON paths, array
 * elements and whole arrays are read one value at a time.
 */
export function evaluateCompare(
  leaf: CompareLeaf,
  context: FilterContext,
  rows: Uint8Array | undefined,
): Uint8Array {
  const column = context.column(leaf.column.fieldName)!;
  if (leaf.column.nestedPath.length === 0) {
    const interval = typedInterval(column, leaf.op, leaf.value);
    if (interval !== undefined) return andInto(scanInterval(column, interval, context.take()), rows);
    if (column.type === DataType.VarChar) {
      return compareStringsColumn(column.values as string[], leaf.op, leaf.value, rows, context.take());
    }
  }
  const read = context.reader(leaf.column)!;
  const test = compareTester(valueTypeOf(leaf.column), leaf.op, leaf.value);
  const out = context.take();
  const cursor = new RowCursor(rows, out.length);
  for (let row = cursor.first(); row < out.length; row = cursor.next(row)) {
    out[row] = test(read(row)) ? 1 : 0;
  }
  return out;
}

/** `lower <(=) column <(=) upper`, as two bounds of one scan on numeric columns. */
export function evaluateRange(
  leaf: RangeLeaf,
  context: FilterContext,
  rows: Uint8Array | undefined,
): Uint8Array {
  const column = context.column(leaf.column.fieldName)!;
  if (leaf.column.nestedPath.length === 0) {
    const lower = typedInterval(column, leaf.lowerInclusive ? '>=' : '>', leaf.lower);
    const upper = typedInterval(column, leaf.upperInclusive ? '<=' : '<', leaf.upper);
    if (lower !== undefined && upper !== undefined) {
      const both = intersectIntervals(lower as Interval<number>, upper as Interval<number>);
      return andInto(scanInterval(column, both, context.take()), rows);
    }
  }
  const read = context.reader(leaf.column)!;
  const type = valueTypeOf(leaf.column);
  const lowerOrder = orderAgainst(type, leaf.lower);
  const upperOrder = orderAgainst(type, leaf.upper);
  const out = context.take();
  const cursor = new RowCursor(rows, out.length);
  for (let row = cursor.first(); row < out.length; row = cursor.next(row)) {
    const value = read(row);
    const lower = lowerOrder(value);
    const upper = upperOrder(value);
    if (lower === undefined || upper === undefined) continue;
    const aboveLower = leaf.lowerInclusive ? lower >= 0 : lower > 0;
    const belowUpper = leaf.upperInclusive ? upper <= 0 : upper < 0;
    out[row] = aboveLower && belowUpper ? 1 : 0;
  }
  return out;
}

/** The interval scan of `column op constant` for numeric and Bool columns; undefined for others. */
export function typedInterval(
  column: Column,
  op: CompareOp,
  constant: GenericValue,
): Interval<number> | Interval<bigint> | undefined {
  if (!hasIntervals(column.type)) return undefined;
  if (column.type === DataType.Int64) return int64Interval(op, constant);
  if (isIntegerType(column.type) || column.type === DataType.Bool)
    return smallIntInterval(column.type, op, constant);
  return floatInterval(column.type, op, constant);
}

function compareStringsColumn(
  values: readonly string[],
  op: CompareOp,
  constant: GenericValue,
  rows: Uint8Array | undefined,
  out: Uint8Array,
): Uint8Array {
  const numRows = out.length;
  if (constant.kind !== 'string') return out;
  const text = constant.value;
  if (op === '==' || op === '!=') {
    const equal = op === '==' ? 1 : 0;
    const different = 1 - equal;
    const cursor = new RowCursor(rows, numRows);
    for (let row = cursor.first(); row < numRows; row = cursor.next(row)) {
      out[row] = values[row] === text ? equal : different;
    }
    return out;
  }
  const cursor = new RowCursor(rows, numRows);
  for (let row = cursor.first(); row < numRows; row = cursor.next(row)) {
    out[row] = applyOrder(op, compareStrings(values[row]!, text)) ? 1 : 0;
  }
  return out;
}
