import { DataType, dataTypeName, isIntegerType, isStringType } from '../schema/data-type.js';
import { ExpressionFailure } from './expression-error.js';
import { floatValue, type GenericValue, genericValueText } from './generic-value.js';

/**
 * Milvus's type rules for filters (planparserv2/utils.go, typeutil): which types compare, which
 * support arithmetic, and how a constant is cast to a column's type.
 */
export const isFloatingType = (type: DataType): boolean =>
  type === DataType.Float || type === DataType.Double;
export const isArithmeticType = (type: DataType): boolean => isIntegerType(type) || isFloatingType(type);
/** typeutil.IsStringType: VarChar, String and Text. */
export const isStringLike = (type: DataType): boolean => isStringType(type);

/** canBeComparedDataType. */
export function canBeComparedDataType(left: DataType, right: DataType): boolean {
  switch (left) {
    case DataType.Bool:
      return right === DataType.Bool || right === DataType.JSON;
    case DataType.Int8:
    case DataType.Int16:
    case DataType.Int32:
    case DataType.Int64:
    case DataType.Float:
    case DataType.Double:
      return isArithmeticType(right) || right === DataType.JSON;
    case DataType.String:
    case DataType.VarChar:
      return isStringLike(right) || right === DataType.JSON;
    case DataType.JSON:
      return true;
    default:
      return false;
  }
}

/** canArithmeticDataType. */
export function canArithmeticDataType(left: DataType, right: DataType): boolean {
  if (isIntegerType(left)) return isIntegerType(right) || right === DataType.JSON;
  if (isFloatingType(left)) return isArithmeticType(right) || right === DataType.JSON;
  if (left === DataType.JSON) return isArithmeticType(right);
  return false;
}

/** canArithmetic: element types stand in for arrays; operands swap when the constant is on the left. */
export function checkArithmetic(
  left: DataType,
  leftElement: DataType,
  right: DataType,
  rightElement: DataType,
  reverse: boolean,
): string | undefined {
  let l = left === DataType.Array ? leftElement : left;
  let r = right === DataType.Array ? rightElement : right;
  if (reverse) [l, r] = [r, l];
  if (!canArithmeticDataType(l, r)) {
    return `cannot perform arithmetic between ${dataTypeName(l)} field and ${dataTypeName(r)}`;
  }
  return undefined;
}

const canConvertToInteger = (type: DataType, element: DataType): boolean =>
  isIntegerType(type) || type === DataType.JSON || (type === DataType.Array && isIntegerType(element));

/** checkValidModArith: `%` needs integer operands. */
export function checkModulo(
  leftType: DataType,
  leftElement: DataType,
  rightType: DataType,
  rightElement: DataType,
): void {
  if (!canConvertToInteger(leftType, leftElement) || !canConvertToInteger(rightType, rightElement)) {
    throw new ExpressionFailure('modulo can only apply on integer types');
  }
}

/** getTargetType: the type arithmetic on these operands produces. */
export function targetType(left: DataType, right: DataType): DataType {
  if (left === DataType.JSON) {
    if (right === DataType.JSON) return DataType.JSON;
    if (isFloatingType(right)) return DataType.Double;
    if (isIntegerType(right)) return DataType.Int64;
  }
  if (isFloatingType(left) && (right === DataType.JSON || isArithmeticType(right))) return DataType.Double;
  if (isIntegerType(left)) {
    if (isFloatingType(right)) return DataType.Double;
    if (isIntegerType(right) || right === DataType.JSON) return DataType.Int64;
  }
  throw new ExpressionFailure(`incompatible data type, ${dataTypeName(left)}, ${dataTypeName(right)}`);
}

/** castValue: the constant as the column type expects it (ints widen to doubles for float columns). */
export function castValue(dataType: DataType, value: GenericValue): GenericValue {
  if (dataType === DataType.JSON) return value;
  if (dataType === DataType.Array && value.kind === 'array') return value;
  if (isStringLike(dataType) && value.kind === 'string') return value;
  if (dataType === DataType.Bool && value.kind === 'bool') return value;
  if (isFloatingType(dataType)) {
    if (value.kind === 'float') return value;
    if (value.kind === 'int64') return floatValue(Number(value.value));
  }
  if (isIntegerType(dataType) && value.kind === 'int64') return value;
  throw new ExpressionFailure(
    `cannot cast value to ${dataTypeName(dataType)}, value: ${genericValueText(value)}`,
  );
}

/** castRangeValue: bounds of `a < x < b`; other types (JSON...) pass through unchanged. */
export function castRangeValue(dataType: DataType, value: GenericValue): GenericValue {
  switch (dataType) {
    case DataType.String:
    case DataType.VarChar:
      if (value.kind !== 'string') throw new ExpressionFailure('invalid range operations');
      return value;
    case DataType.Bool:
      throw new ExpressionFailure('invalid range operations on boolean expr');
    case DataType.Int8:
    case DataType.Int16:
    case DataType.Int32:
    case DataType.Int64:
      if (value.kind !== 'int64') throw new ExpressionFailure('invalid range operations');
      return value;
    case DataType.Float:
    case DataType.Double:
      if (value.kind === 'int64') return floatValue(Number(value.value));
      if (value.kind !== 'float') throw new ExpressionFailure('invalid range operations');
      return value;
    default:
      return value;
  }
}
