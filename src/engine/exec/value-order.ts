import { compareStrings } from '../../expr/constant-ops.js';
import type { CompareOp, GenericValue } from '../../expr/index.js';
import { DataType, isIntegerType } from '../../schema/index.js';

/**
 * Comparison rules of filters on single values, as the row evaluator (expr/row-values.ts) and
 * segcore apply them, precomputed per constant so that the per-row work is one type test and one
 * comparison. Used where values are read one at a time (JSON paths, array elements, whole arrays);
 * typed columns have their own loops in compare-leaf.ts and term-leaf.ts.
 */

/** Exact order of two numbers (number or bigint, mixed allowed); undefined when either is NaN. */
export function orderNumbers(a: number | bigint, b: number | bigint): number | undefined {
  // Relational operators between number and bigint compare the exact mathematical values.
  if (a < b) return -1;
  if (a > b) return 1;
  return a <= b ? 0 : undefined;
}

/** op applied to an order; an undefined order (values that do not compare) satisfies only `!=`. */
export function applyOrder(op: CompareOp, order: number | undefined): boolean {
  if (order === undefined) return op === '!=';
  switch (op) {
    case '==':
      return order === 0;
    case '!=':
      return order !== 0;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
  }
}

/** Whether `type` holds numbers (integers, float, double). */
export function isNumericType(type: DataType): boolean {
  return isIntegerType(type) || type === DataType.Float || type === DataType.Double;
}

/**
 * The number a value of `type` is compared with: float32-rounded for Float, the int64 as bigint,
 * the double as is; undefined for a non-numeric constant.
 */
export function numberFor(type: DataType, constant: GenericValue): number | bigint | undefined {
  if (constant.kind === 'int64')
    return type === DataType.Float ? Math.fround(Number(constant.value)) : constant.value;
  if (constant.kind === 'float')
    return type === DataType.Float ? Math.fround(constant.value) : constant.value;
  return undefined;
}

export type Order = (value: unknown) => number | undefined;

const never: Order = () => undefined;

/**
 * Order of a value of `type` against `constant` (negative, zero, positive), or undefined when they
 * do not compare: numbers exactly (Float in float32), strings byte-wise (UTF-8 order), booleans
 * false < true, arrays only equal (0) or not (1). JSON values compare by their runtime kind.
 */
export function orderAgainst(type: DataType, constant: GenericValue): Order {
  if (isNumericType(type)) {
    const number = numberFor(type, constant);
    if (number === undefined) return never;
    return (value) =>
      typeof value === 'number' || typeof value === 'bigint' ? orderNumbers(value, number) : undefined;
  }
  if (type === DataType.VarChar || type === DataType.String) {
    if (constant.kind !== 'string') return never;
    const text = constant.value;
    return (value) => (typeof value === 'string' ? compareStrings(value, text) : undefined);
  }
  if (type === DataType.Bool) {
    if (constant.kind !== 'bool') return never;
    const bit = Number(constant.value);
    return (value) => (typeof value === 'boolean' ? Number(value) - bit : undefined);
  }
  if (type === DataType.Array) {
    if (constant.kind !== 'array') return never;
    const elements = constant.elements;
    return (value) => (Array.isArray(value) ? (arrayEqualsConstants(value, elements) ? 0 : 1) : undefined);
  }
  return jsonOrderAgainst(constant);
}

/** Order of a JSON value against a constant: by the constant's kind, whatever the JSON value is. */
export function jsonOrderAgainst(constant: GenericValue): Order {
  switch (constant.kind) {
    case 'int64':
    case 'float': {
      const number = constant.value;
      return (value) =>
        typeof value === 'number' || typeof value === 'bigint' ? orderNumbers(value, number) : undefined;
    }
    case 'string': {
      const text = constant.value;
      return (value) => (typeof value === 'string' ? compareStrings(value, text) : undefined);
    }
    case 'bool': {
      const bit = Number(constant.value);
      return (value) => (typeof value === 'boolean' ? Number(value) - bit : undefined);
    }
    case 'array': {
      const elements = constant.elements;
      return (value) => (Array.isArray(value) ? (arrayEqualsConstants(value, elements) ? 0 : 1) : undefined);
    }
  }
}

/** Element-wise equality of a plain array with an array constant (elements compared as JSON). */
export function arrayEqualsConstants(
  values: readonly unknown[],
  constants: readonly GenericValue[],
): boolean {
  if (values.length !== constants.length) return false;
  for (let i = 0; i < values.length; i++) {
    if (!jsonEqualsConstant(values[i], constants[i]!)) return false;
  }
  return true;
}

/** A JSON value equals a constant (numbers by value whatever their form). */
export function jsonEqualsConstant(value: unknown, constant: GenericValue): boolean {
  switch (constant.kind) {
    case 'int64':
    case 'float':
      return (
        (typeof value === 'number' || typeof value === 'bigint') && orderNumbers(value, constant.value) === 0
      );
    case 'string':
      return value === constant.value;
    case 'bool':
      return value === constant.value;
    case 'array':
      return Array.isArray(value) && arrayEqualsConstants(value, constant.elements);
  }
}

/**
 * `value op constant` for a value of `type` (compareRowValue): a value that does not compare is
 * false, except for `!=` on JSON; ordering against an array constant is false.
 */
export function compareTester(
  type: DataType,
  op: CompareOp,
  constant: GenericValue,
): (value: unknown) => boolean {
  if (constant.kind === 'array' && op !== '==' && op !== '!=') return () => false;
  const order = orderAgainst(type, constant);
  const mismatch = op === '!=' && type === DataType.JSON;
  return (value) => {
    const result = order(value);
    return result === undefined ? mismatch : applyOrder(op, result);
  };
}
