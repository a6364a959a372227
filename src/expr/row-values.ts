import { DataType, isIntegerType } from '../schema/data-type.js';
import { compareStrings } from './constant-ops.js';
import type { GenericValue } from './generic-value.js';
import type { ColumnRef, CompareOp } from './ir.js';

/**
 * Value access and comparison rules of the row evaluator: reading a column (or a JSON path / array
 * element) from a plain row, and comparing a row value with a constant the way segcore does.
 */
export type RowValue = { kind: 'null' } | { kind: 'missing' } | { kind: 'value'; value: unknown };

const nullValue: RowValue = { kind: 'null' };
const missingValue: RowValue = { kind: 'missing' };

/** A JSON pointer step: array index (non-negative, no leading zeros) or object key. */
function step(current: unknown, key: string): RowValue {
  if (Array.isArray(current)) {
    if (!/^(0|[1-9][0-9]*)$/.test(key)) return missingValue;
    const index = Number(key);
    return index < current.length ? { kind: 'value', value: current[index] } : missingValue;
  }
  if (current !== null && typeof current === 'object' && Object.hasOwn(current, key)) {
    return { kind: 'value', value: (current as Record<string, unknown>)[key] };
  }
  return missingValue;
}

/**
 * The value `column` designates in `row`: `null` when the field itself is null (or absent),
 * `missing` when a JSON path or array index does not exist, else the value.
 */
export function readColumn(row: Readonly<Record<string, unknown>>, column: ColumnRef): RowValue {
  const raw = row[column.fieldName];
  if (raw === null || raw === undefined) return nullValue;
  let current: RowValue = { kind: 'value', value: raw };
  if (column.dataType === DataType.Array && column.nestedPath.length > 0) {
    const index = column.nestedPath[0]!;
    if (!Array.isArray(raw) || !/^[0-9]+$/.test(index)) return missingValue;
    const position = Number(index);
    return position < raw.length ? { kind: 'value', value: raw[position] } : missingValue;
  }
  for (const key of column.nestedPath) {
    if (current.kind !== 'value') return missingValue;
    current = step(current.value, key);
  }
  return current;
}

/** The data type the row value has: the element type for `arr[i]`, JSON for JSON paths. */
export function valueTypeOf(column: ColumnRef): DataType {
  if (column.dataType === DataType.Array && column.nestedPath.length > 0) return column.elementType;
  return column.dataType;
}

const isNumeric = (value: unknown): value is number | bigint =>
  typeof value === 'number' || typeof value === 'bigint';

/** Exact order of two numbers (number or bigint); undefined when either is NaN. */
export function compareNumbers(a: number | bigint, b: number | bigint): number | undefined {
  if (typeof a === 'number' && Number.isNaN(a)) return undefined;
  if (typeof b === 'number' && Number.isNaN(b)) return undefined;
  // Mixed number/bigint relational comparison is mathematically exact in JS.
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}

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

/** A constant as the number a column of `type` compares against (float32 for Float columns). */
function numberFor(type: DataType, constant: GenericValue): number | bigint | undefined {
  if (constant.kind === 'int64')
    return type === DataType.Float ? Math.fround(Number(constant.value)) : constant.value;
  if (constant.kind === 'float')
    return type === DataType.Float ? Math.fround(constant.value) : constant.value;
  return undefined;
}

/**
 * Order of a typed (schema) value against a constant: numbers exactly (Float columns in float32),
 * strings byte-wise, booleans false < true; undefined when they do not compare.
 */
export function orderTyped(type: DataType, value: unknown, constant: GenericValue): number | undefined {
  if (isIntegerType(type) || type === DataType.Float || type === DataType.Double) {
    const number = numberFor(type, constant);
    return isNumeric(value) && number !== undefined ? compareNumbers(value, number) : undefined;
  }
  if (type === DataType.VarChar || type === DataType.String) {
    return typeof value === 'string' && constant.kind === 'string'
      ? compareStrings(value, constant.value)
      : undefined;
  }
  if (type === DataType.Bool) {
    return typeof value === 'boolean' && constant.kind === 'bool'
      ? Number(value) - Number(constant.value)
      : undefined;
  }
  if (type === DataType.Array) {
    return Array.isArray(value) && constant.kind === 'array'
      ? arraysEqual(value, constant.elements)
        ? 0
        : 1
      : undefined;
  }
  return orderJson(value, constant);
}

/**
 * Order of a JSON value against a constant, as segcore reads it (`at<T>` of the constant's type):
 * numbers compare numerically whatever their int/double form, strings and booleans with their
 * own kind, arrays only for equality; anything else does not compare.
 */
export function orderJson(value: unknown, constant: GenericValue): number | undefined {
  switch (constant.kind) {
    case 'int64':
    case 'float':
      return isNumeric(value) ? compareNumbers(value, constant.value) : undefined;
    case 'string':
      return typeof value === 'string' ? compareStrings(value, constant.value) : undefined;
    case 'bool':
      return typeof value === 'boolean' ? Number(value) - Number(constant.value) : undefined;
    case 'array':
      return Array.isArray(value) ? (arraysEqual(value, constant.elements) ? 0 : 1) : undefined;
  }
}

/** Element-wise equality of a row array with an array constant. */
export function arraysEqual(values: readonly unknown[], constants: readonly GenericValue[]): boolean {
  if (values.length !== constants.length) return false;
  return values.every((value, i) => orderJson(value, constants[i]!) === 0);
}

/**
 * A comparison whose operands do not compare (type mismatch, missing JSON key) is false, except
 * `!=`, which segcore makes true for JSON values.
 */
export function compareRowValue(
  type: DataType,
  value: unknown,
  op: CompareOp,
  constant: GenericValue,
): boolean {
  const order = orderTyped(type, value, constant);
  if (order === undefined) return op === '!=' && type === DataType.JSON;
  if (constant.kind === 'array' && op !== '==' && op !== '!=') return false;
  return applyOrder(op, order);
}

/** Equality for `in` lists and contains: by the rules above. */
export function equalsConstant(type: DataType, value: unknown, constant: GenericValue): boolean {
  return orderTyped(type, value, constant) === 0;
}
