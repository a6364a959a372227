import { ExpressionFailure } from './expression-error.js';
import { boolValue, floatValue, type GenericValue, int64Of, intValue } from './generic-value.js';

/**
 * Constant folding as Milvus's planparserv2/operators.go does it. A function returning undefined
 * marks the cases where Milvus gets a nil value and ends up reporting "unsupported expression".
 * Integer arithmetic wraps at 64 bits like Go's int64.
 */
type Arith = 'add' | 'subtract' | 'multiply';

function arithmetic(kind: Arith, a: GenericValue, b: GenericValue): GenericValue | undefined {
  if (a.kind === 'bool' || b.kind === 'bool' || a.kind === 'string' || b.kind === 'string') return undefined;
  const apply = (x: number, y: number): number =>
    kind === 'add' ? x + y : kind === 'subtract' ? x - y : x * y;
  if (a.kind === 'float' && b.kind === 'float') return floatValue(apply(a.value, b.value));
  if (a.kind === 'float' && b.kind === 'int64') return floatValue(apply(a.value, Number(b.value)));
  if (a.kind === 'int64' && b.kind === 'float') return floatValue(apply(Number(a.value), b.value));
  // Go's last branch: GetInt64Val() of both sides, which is 0 for an array.
  return intValue(intOp(kind, int64Of(a), int64Of(b)));
}

function intOp(kind: Arith, x: bigint, y: bigint): bigint {
  return BigInt.asIntN(64, kind === 'add' ? x + y : kind === 'subtract' ? x - y : x * y);
}

export const add = (a: GenericValue, b: GenericValue): GenericValue | undefined => arithmetic('add', a, b);
export const subtract = (a: GenericValue, b: GenericValue): GenericValue | undefined =>
  arithmetic('subtract', a, b);
export const multiply = (a: GenericValue, b: GenericValue): GenericValue | undefined =>
  arithmetic('multiply', a, b);

export function divide(a: GenericValue, b: GenericValue): GenericValue | undefined {
  if (a.kind === 'bool' || b.kind === 'bool')
    throw new ExpressionFailure('divide cannot apply on bool field');
  if (a.kind === 'string' || b.kind === 'string')
    throw new ExpressionFailure('divide cannot apply on string field');
  if ((b.kind === 'float' && b.value === 0) || (b.kind === 'int64' && b.value === 0n)) {
    throw new ExpressionFailure('cannot divide by zero');
  }
  if (a.kind === 'float' && b.kind === 'float') return floatValue(a.value / b.value);
  if (a.kind === 'float' && b.kind === 'int64') return floatValue(a.value / Number(b.value));
  if (a.kind === 'int64' && b.kind === 'float') return floatValue(Number(a.value) / b.value);
  const divisor = int64Of(b);
  // Go panics on an integer division by zero (an array divisor reads as 0).
  if (divisor === 0n) return undefined;
  return intValue(int64Of(a) / divisor);
}

export function modulo(a: GenericValue, b: GenericValue): GenericValue {
  if (a.kind !== 'int64' || b.kind !== 'int64')
    throw new ExpressionFailure('modulo can only apply on integer');
  if (b.value === 0n) throw new ExpressionFailure('cannot modulo by zero');
  return intValue(a.value % b.value);
}

export function power(a: GenericValue, b: GenericValue): GenericValue | undefined {
  if (a.kind === 'bool' || b.kind === 'bool' || a.kind === 'string' || b.kind === 'string') return undefined;
  const x = a.kind === 'float' ? a.value : Number(int64Of(a));
  const y = b.kind === 'float' ? b.value : Number(int64Of(b));
  return floatValue(goPow(x, y));
}

/** Go's math.Pow differs from JS's ** only for pow(±1, ±Inf) and pow(1, NaN), which are 1 in Go. */
function goPow(x: number, y: number): number {
  if (x === 1) return 1;
  if (x === -1 && !Number.isFinite(y) && !Number.isNaN(y)) return 1;
  return x ** y;
}

export function negate(a: GenericValue): GenericValue | undefined {
  if (a.kind === 'float') return floatValue(-a.value);
  if (a.kind === 'int64') return intValue(-a.value);
  return undefined;
}

export function not(a: GenericValue): GenericValue | undefined {
  return a.kind === 'bool' ? boolValue(!a.value) : undefined;
}

export function and(a: GenericValue, b: GenericValue): GenericValue {
  if (a.kind !== 'bool' || b.kind !== 'bool') throw new ExpressionFailure('and can only apply on boolean');
  return boolValue(a.value && b.value);
}

export function or(a: GenericValue, b: GenericValue): GenericValue {
  if (a.kind !== 'bool' || b.kind !== 'bool') throw new ExpressionFailure('or can only apply on boolean');
  return boolValue(a.value || b.value);
}

/** Byte-wise (UTF-8) string order, as Go compares strings: code point order. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xSurrogate = x >= 0xd800 && x <= 0xdfff;
    const ySurrogate = y >= 0xd800 && y <= 0xdfff;
    if (xSurrogate !== ySurrogate) return xSurrogate ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

type Relation = '<' | '<=' | '>' | '>=' | '==' | '!=';

/**
 * Less / LessEqual / Greater / GreaterEqual / Equal / NotEqual of two constants; undefined where
 * Milvus finds the operands incompatible. Order applies to strings and numbers, equality also to
 * booleans.
 */
export function compareConstants(op: Relation, a: GenericValue, b: GenericValue): GenericValue | undefined {
  let order: number | undefined;
  if (a.kind === 'string' && b.kind === 'string') order = compareStrings(a.value, b.value);
  else if ((a.kind === 'int64' || a.kind === 'float') && (b.kind === 'int64' || b.kind === 'float')) {
    if (a.kind === 'int64' && b.kind === 'int64') order = a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
    else {
      const x = a.kind === 'float' ? a.value : Number(a.value);
      const y = b.kind === 'float' ? b.value : Number(b.value);
      // Milvus's floatingEqual (2.5/2.6): equal within 1e-9, so 0.1 + 0.2 == 0.3 holds.
      if (op === '==' || op === '!=') {
        const equal = Math.abs(x - y) < 1e-9;
        return boolValue(op === '==' ? equal : !equal);
      }
      if (Number.isNaN(x) || Number.isNaN(y)) return boolValue(false);
      order = x < y ? -1 : x > y ? 1 : 0;
    }
  } else if (a.kind === 'bool' && b.kind === 'bool' && (op === '==' || op === '!=')) {
    order = a.value === b.value ? 0 : 1;
  }
  if (order === undefined) return undefined;
  switch (op) {
    case '<':
      return boolValue(order < 0);
    case '<=':
      return boolValue(order <= 0);
    case '>':
      return boolValue(order > 0);
    case '>=':
      return boolValue(order >= 0);
    case '==':
      return boolValue(order === 0);
    case '!=':
      return boolValue(order !== 0);
  }
}
