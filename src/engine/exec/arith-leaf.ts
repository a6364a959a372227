import type { ArithOp, CompareOp, FilterIr, GenericValue } from '../../expr/index.js';
import { type Column, DataType, isIntegerType } from '../../schema/index.js';
import type { FilterContext } from './filter-context.js';
import { andInto } from './mask-ops.js';
import { floatInterval, type Interval, int64Interval } from './numeric-interval.js';
import { RowCursor } from './row-cursor.js';
import { scanInterval } from './typed-scan.js';
import { applyOrder, orderNumbers } from './value-order.js';
import { valueTypeOf } from './value-type.js';

type ArithLeaf = Extract<FilterIr, { kind: 'arithCompare' }>;

/**
 * `(column arithOp operand) op value` over `rows`, computed as segcore does: wrapping int64
 * arithmetic with truncating division on integer columns (and integral JSON numbers) with an
 * integer operand, float32 arithmetic on Float columns, double otherwise; `%` exists only in the
 * integer form. A result that does not compare (NaN, non-numeric value) satisfies only `!=`.
 *
 * Whole numeric columns compute all results into a typed array and scan it with the comparison's
 * interval (`!=` as the complement of `==`, so NaN results count as different).
 */
export function evaluateArithCompare(
  leaf: ArithLeaf,
  context: FilterContext,
  rows: Uint8Array | undefined,
): Uint8Array {
  const column = context.column(leaf.column.fieldName)!;
  const n = context.numRows;
  if (leaf.column.nestedPath.length === 0) {
    const results = typedResults(column, leaf.arithOp, leaf.operand, context);
    if (results === 'none') return context.take();
    if (results !== undefined) {
      const op = leaf.op === '!=' ? '==' : leaf.op;
      const interval =
        results.column.type === DataType.Int64
          ? int64Interval(op, leaf.value)
          : floatInterval(column.type === DataType.Float ? DataType.Float : DataType.Double, op, leaf.value);
      const out = scanInterval(results.column, interval as Interval<number>, context.take());
      context.release(results.buffer);
      if (leaf.op === '!=') for (let row = 0; row < n; row++) out[row] = out[row]! ^ 1;
      return andInto(out, rows);
    }
  }
  const read = context.reader(leaf.column)!;
  const test = arithTester(valueTypeOf(leaf.column), leaf.arithOp, leaf.operand, leaf.op, leaf.value);
  const out = context.take();
  const cursor = new RowCursor(rows, n);
  for (let row = cursor.first(); row < n; row = cursor.next(row)) {
    out[row] = test(read(row)) ? 1 : 0;
  }
  return out;
}

/**
 * Every row's result as a column to scan, when the column and operand allow an exact typed
 * computation: Int64 with an int64 operand (BigInt64Array stores wrap like int64), Int8/16/32 with
 * an int64 operand small enough for exact doubles, Float (float32) and Double with any numeric
 * operand. undefined otherwise (the caller computes row by row); 'none' when no row can match
 * (`%` in floating point, which has no result).
 */
function typedResults(
  column: Column,
  op: ArithOp,
  operand: GenericValue,
  context: FilterContext,
): { column: Column; buffer: Uint8Array } | 'none' | undefined {
  const n = context.numRows;
  if (operand.kind !== 'int64' && operand.kind !== 'float') return undefined;
  const floating =
    column.type === DataType.Float || column.type === DataType.Double || operand.kind === 'float';
  if (op === '%' && floating && column.type !== DataType.Int64) return 'none';
  if (column.type === DataType.Int64) {
    if (operand.kind !== 'int64') return undefined;
    const y = operand.value;
    const x = column.values;
    const buffer = context.takeBytes(n * 8);
    const out = new BigInt64Array(buffer.buffer, 0, n);
    switch (op) {
      case '+':
        for (let i = 0; i < n; i++) out[i] = x[i]! + y;
        break;
      case '-':
        for (let i = 0; i < n; i++) out[i] = x[i]! - y;
        break;
      case '*':
        for (let i = 0; i < n; i++) out[i] = x[i]! * y;
        break;
      case '/':
        for (let i = 0; i < n; i++) out[i] = x[i]! / y;
        break;
      case '%':
        for (let i = 0; i < n; i++) out[i] = x[i]! % y;
        break;
    }
    return { column: { type: DataType.Int64, values: out }, buffer };
  }
  if (column.type === DataType.Int8 || column.type === DataType.Int16 || column.type === DataType.Int32) {
    if (operand.kind !== 'int64') {
      const buffer = context.takeBytes(n * 8);
      const out = new Float64Array(buffer.buffer, 0, n);
      return { column: floatResults(column.values, op, operand.value, n, out, DataType.Double), buffer };
    }
    const y = operand.value;
    // |x| < 2^31: sums stay below 2^53 for |y| ≤ 2^52, products for |y| ≤ 2^21; quotients and
    // remainders of safe integers are exact in doubles. Otherwise compute row by row in int64.
    const limit = op === '*' ? 2n ** 21n : 2n ** 52n;
    if (y > limit || y < -limit || ((op === '/' || op === '%') && y === 0n)) return undefined;
    const x = column.values;
    const yy = Number(y);
    const buffer = context.takeBytes(n * 8);
    const out = new Float64Array(buffer.buffer, 0, n);
    switch (op) {
      case '+':
        for (let i = 0; i < n; i++) out[i] = x[i]! + yy;
        break;
      case '-':
        for (let i = 0; i < n; i++) out[i] = x[i]! - yy;
        break;
      case '*':
        for (let i = 0; i < n; i++) out[i] = x[i]! * yy;
        break;
      case '/':
        for (let i = 0; i < n; i++) out[i] = Math.trunc(x[i]! / yy);
        break;
      case '%':
        for (let i = 0; i < n; i++) out[i] = x[i]! % yy;
        break;
    }
    return { column: { type: DataType.Double, values: out }, buffer };
  }
  if (column.type === DataType.Float || column.type === DataType.Double) {
    const y = operand.kind === 'int64' ? Number(operand.value) : operand.value;
    if (column.type === DataType.Float) {
      const buffer = context.takeBytes(n * 4);
      const out = new Float32Array(buffer.buffer, 0, n);
      return { column: floatResults(column.values, op, Math.fround(y), n, out, DataType.Float), buffer };
    }
    const buffer = context.takeBytes(n * 8);
    const out = new Float64Array(buffer.buffer, 0, n);
    return { column: floatResults(column.values, op, y, n, out, DataType.Double), buffer };
  }
  return undefined;
}

/**
 * x op y in doubles, stored into `out` (a Float32Array store rounds to float32, which is the
 * float32 operation's result). `%` is excluded by the caller.
 */
function floatResults(
  x: ArrayLike<number>,
  op: ArithOp,
  y: number,
  n: number,
  out: Float32Array | Float64Array,
  type: DataType.Float | DataType.Double,
): Column {
  switch (op) {
    case '+':
      for (let i = 0; i < n; i++) out[i] = x[i]! + y;
      break;
    case '-':
      for (let i = 0; i < n; i++) out[i] = x[i]! - y;
      break;
    case '*':
      for (let i = 0; i < n; i++) out[i] = x[i]! * y;
      break;
    case '/':
      for (let i = 0; i < n; i++) out[i] = x[i]! / y;
      break;
    case '%':
      throw new Error('no floating-point modulo');
  }
  return type === DataType.Float
    ? { type, values: out as Float32Array }
    : { type, values: out as Float64Array };
}

/** The row-at-a-time form, for JSON values and array elements (and operands the typed form skips). */
export function arithTester(
  type: DataType,
  arithOp: ArithOp,
  operand: GenericValue,
  op: CompareOp,
  value: GenericValue,
): (x: unknown) => boolean {
  const isFloat = type === DataType.Float;
  const target =
    value.kind === 'int64'
      ? isFloat
        ? Math.fround(Number(value.value))
        : value.value
      : value.kind === 'float'
        ? isFloat
          ? Math.fround(value.value)
          : value.value
        : Number.NaN;
  const integerForm = operand.kind === 'int64' && (isIntegerType(type) || type === DataType.JSON);
  const round = isFloat ? Math.fround : (v: number): number => v;
  const y = round(
    operand.kind === 'int64' ? Number(operand.value) : operand.kind === 'float' ? operand.value : Number.NaN,
  );
  return (x) => {
    if (typeof x !== 'number' && typeof x !== 'bigint') return false;
    if (integerForm && (typeof x === 'bigint' || Number.isInteger(x))) {
      const result = integerArithmetic(x, arithOp, (operand as { value: bigint }).value);
      return applyOrder(op, orderNumbers(result, target));
    }
    if (arithOp === '%') return false;
    const a = round(Number(x));
    let result: number;
    switch (arithOp) {
      case '+':
        result = round(a + y);
        break;
      case '-':
        result = round(a - y);
        break;
      case '*':
        result = round(a * y);
        break;
      case '/':
        result = round(a / y);
        break;
    }
    return applyOrder(op, orderNumbers(result, target));
  };
}

/** Wrapping int64 arithmetic; exact doubles when both sides are safe integers and so is the result. */
function integerArithmetic(x: number | bigint, op: ArithOp, y: bigint): number | bigint {
  if (typeof x === 'number' && Number.isSafeInteger(x) && y !== 0n && y >= -(2n ** 52n) && y <= 2n ** 52n) {
    const yy = Number(y);
    const result =
      op === '+'
        ? x + yy
        : op === '-'
          ? x - yy
          : op === '*'
            ? x * yy
            : op === '/'
              ? Math.trunc(x / yy)
              : x % yy;
    if (Number.isSafeInteger(result)) return result;
  }
  const big = BigInt(x);
  switch (op) {
    case '+':
      return BigInt.asIntN(64, big + y);
    case '-':
      return BigInt.asIntN(64, big - y);
    case '*':
      return BigInt.asIntN(64, big * y);
    case '/':
      return BigInt.asIntN(64, big / y);
    case '%':
      return big % y;
  }
}
