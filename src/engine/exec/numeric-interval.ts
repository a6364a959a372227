import type { CompareOp, GenericValue } from '../../expr/index.js';
import { DataType, isIntegerType } from '../../schema/index.js';
import { numberFor } from './value-order.js';

/**
 * A comparison of a typed numeric column with a constant, reduced to "lo ≤ x ≤ hi" (or its
 * negation, for `!=`) so that one tight loop per array type serves every operator, and a range
 * is the intersection of its two bounds. Exclusive bounds become inclusive ones: x > c is
 * x ≥ c + 1 on integers and x ≥ nextUp(c) on doubles (float32 values are doubles too). `none`
 * and `all` are the outcomes that need no scan ("all" = every non-null row).
 *
 * Semantics are the row evaluator's: exact comparison of integers with any constant (bigint
 * included), Float columns against the float32-rounded constant, NaN never compares (not even
 * for `!=`), and a non-numeric constant matches nothing.
 */
export type Interval<T extends number | bigint> = { lo: T; hi: T; negate: boolean } | 'none' | 'all';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const TWO_POW_63 = 2 ** 63;

/** The interval of `x op constant` for Int8/Int16/Int32/Bool (0/1) columns. */
export function smallIntInterval(type: DataType, op: CompareOp, constant: GenericValue): Interval<number> {
  let c: number;
  if (type === DataType.Bool) {
    if (constant.kind !== 'bool') return 'none';
    c = Number(constant.value);
  } else {
    const number = numberFor(type, constant);
    if (number === undefined) return 'none';
    // Beyond ±2^53 the double is still on the same side of every int32, and never equal to one.
    c = Number(number);
  }
  if (Number.isNaN(c)) return 'none';
  const integral = Number.isInteger(c);
  switch (op) {
    case '==':
      return integral ? { lo: c, hi: c, negate: false } : 'none';
    case '!=':
      return integral ? { lo: c, hi: c, negate: true } : 'all';
    case '>':
      return { lo: Math.floor(c) + 1, hi: Number.POSITIVE_INFINITY, negate: false };
    case '>=':
      return { lo: Math.ceil(c), hi: Number.POSITIVE_INFINITY, negate: false };
    case '<':
      return { lo: Number.NEGATIVE_INFINITY, hi: Math.ceil(c) - 1, negate: false };
    case '<=':
      return { lo: Number.NEGATIVE_INFINITY, hi: Math.floor(c), negate: false };
  }
}

/** The interval of `x op constant` for Float (float32) and Double columns. */
export function floatInterval(type: DataType, op: CompareOp, constant: GenericValue): Interval<number> {
  const number = numberFor(type, constant);
  if (number === undefined) return 'none';
  if (typeof number === 'bigint') {
    const exact = Number(number);
    if (BigInt(exact) !== number) return unrepresentableInterval(op, number, exact);
    return doubleInterval(op, exact);
  }
  return doubleInterval(op, number);
}

function doubleInterval(op: CompareOp, c: number): Interval<number> {
  if (Number.isNaN(c)) return 'none';
  const inf = Number.POSITIVE_INFINITY;
  switch (op) {
    case '==':
      return { lo: c, hi: c, negate: false };
    case '!=':
      return { lo: c, hi: c, negate: true };
    case '>':
      return c === inf ? 'none' : { lo: nextUp(c), hi: inf, negate: false };
    case '>=':
      return { lo: c, hi: inf, negate: false };
    case '<':
      return c === -inf ? 'none' : { lo: -inf, hi: nextDown(c), negate: false };
    case '<=':
      return { lo: -inf, hi: c, negate: false };
  }
}

/** A double column against an int64 no double equals: it lies strictly between two doubles. */
function unrepresentableInterval(op: CompareOp, c: bigint, nearest: number): Interval<number> {
  const above = BigInt(nearest) > c ? nearest : nextUp(nearest);
  const below = BigInt(nearest) > c ? nextDown(nearest) : nearest;
  const inf = Number.POSITIVE_INFINITY;
  switch (op) {
    case '==':
      return 'none';
    case '!=':
      // Every double differs from c, but NaN does not compare at all.
      return { lo: -inf, hi: inf, negate: false };
    case '>':
    case '>=':
      return { lo: above, hi: inf, negate: false };
    case '<':
    case '<=':
      return { lo: -inf, hi: below, negate: false };
  }
}

/** The interval of `x op constant` for Int64 columns, in int64 bounds. */
export function int64Interval(op: CompareOp, constant: GenericValue): Interval<bigint> {
  if (constant.kind === 'int64') return bigIntervalOf(op, constant.value);
  if (constant.kind !== 'float' || Number.isNaN(constant.value)) return 'none';
  const d = constant.value;
  if (op === '==' || op === '!=') {
    if (!Number.isInteger(d) || d < -TWO_POW_63 || d >= TWO_POW_63) return op === '==' ? 'none' : 'all';
    return bigIntervalOf(op, BigInt(d));
  }
  // x > d ⟺ x > floor(d); x ≥ d ⟺ x ≥ ceil(d); x < d ⟺ x < ceil(d); x ≤ d ⟺ x ≤ floor(d).
  const bound = op === '>' || op === '<=' ? Math.floor(d) : Math.ceil(d);
  if (bound >= TWO_POW_63) return op === '<' || op === '<=' ? 'all' : 'none';
  if (bound < -TWO_POW_63) return op === '>' || op === '>=' ? 'all' : 'none';
  return bigIntervalOf(op, BigInt(bound));
}

function bigIntervalOf(op: CompareOp, c: bigint): Interval<bigint> {
  let lo = INT64_MIN;
  let hi = INT64_MAX;
  switch (op) {
    case '==':
      return { lo: c, hi: c, negate: false };
    case '!=':
      return { lo: c, hi: c, negate: true };
    case '>':
      lo = c + 1n;
      break;
    case '>=':
      lo = c;
      break;
    case '<':
      hi = c - 1n;
      break;
    case '<=':
      hi = c;
      break;
  }
  if (lo < INT64_MIN) lo = INT64_MIN;
  if (hi > INT64_MAX) hi = INT64_MAX;
  return lo > hi ? 'none' : { lo, hi, negate: false };
}

/** Both intervals at once (for `lo < x < hi`); neither may be negated. */
export function intersectIntervals<T extends number | bigint>(a: Interval<T>, b: Interval<T>): Interval<T> {
  if (a === 'none' || b === 'none') return 'none';
  if (a === 'all') return b;
  if (b === 'all') return a;
  const lo = a.lo > b.lo ? a.lo : b.lo;
  const hi = a.hi < b.hi ? a.hi : b.hi;
  return lo > hi ? 'none' : { lo, hi, negate: false };
}

/** Whether the column type is scanned with numeric intervals. */
export function hasIntervals(type: DataType): boolean {
  return isIntegerType(type) || type === DataType.Float || type === DataType.Double || type === DataType.Bool;
}

const scratch = new Float64Array(1);
const scratchBits = new BigInt64Array(scratch.buffer);

/** The smallest double greater than `x` (x finite or -Infinity, not NaN). */
export function nextUp(x: number): number {
  if (x === Number.NEGATIVE_INFINITY) return -Number.MAX_VALUE;
  if (x === 0) return Number.MIN_VALUE;
  scratch[0] = x;
  scratchBits[0] = x > 0 ? scratchBits[0]! + 1n : scratchBits[0]! - 1n;
  return scratch[0]!;
}

/** The largest double smaller than `x` (x finite or +Infinity, not NaN). */
export function nextDown(x: number): number {
  return -nextUp(-x);
}
