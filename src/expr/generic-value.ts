import { DataType, dataTypeName } from '../schema/data-type.js';
import { goFormatFloat } from './go-strconv.js';

/**
 * A constant of the filter language, shaped like Milvus's planpb.GenericValue: a bool, an int64
 * (bigint, never rounded), a double, a string, or an array of such values. Plain data; structured-
 * clone safe (bigint included), so plans can cross worker threads.
 */
export type GenericValue =
  | { kind: 'bool'; value: boolean }
  | { kind: 'int64'; value: bigint }
  | { kind: 'float'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'array'; elements: GenericValue[]; sameType: boolean; elementType: DataType };

export const boolValue = (value: boolean): GenericValue => ({ kind: 'bool', value });
export const intValue = (value: bigint): GenericValue => ({ kind: 'int64', value: BigInt.asIntN(64, value) });
export const floatValue = (value: number): GenericValue => ({ kind: 'float', value });
export const stringValue = (value: string): GenericValue => ({ kind: 'string', value });

/** The data type Milvus's toValueExpr assigns to a value (int64 → Int64, double → Double, ...). */
export function valueDataType(value: GenericValue): DataType {
  switch (value.kind) {
    case 'bool':
      return DataType.Bool;
    case 'int64':
      return DataType.Int64;
    case 'float':
      return DataType.Double;
    case 'string':
      return DataType.VarChar;
    case 'array':
      return DataType.Array;
  }
}

/** Builds an array value with Milvus's same_type / element_type bookkeeping. */
export function arrayValue(elements: GenericValue[], elementTypes?: readonly DataType[]): GenericValue {
  const types = elementTypes ?? elements.map(valueDataType);
  let elementType = DataType.None;
  let sameType = true;
  for (const type of types) {
    if (elementType === DataType.None) elementType = type;
    else if (elementType !== type) sameType = false;
  }
  return { kind: 'array', elements, sameType, elementType: sameType ? elementType : DataType.None };
}

/** GetInt64Val() of a protobuf GenericValue: the int64, or 0 for any other kind. */
export function int64Of(value: GenericValue): bigint {
  return value.kind === 'int64' ? value.value : 0n;
}

/** GetFloatVal(): the double, or 0 for any other kind. */
export function floatOf(value: GenericValue): number {
  return value.kind === 'float' ? value.value : 0;
}

/**
 * Go's protobuf text format of a GenericValue, as Milvus prints it with %s / e.String() in messages
 * such as "value 'int64_val:1' in list cannot be casted to VarChar". Zero-valued scalar fields of the
 * array message are omitted, as proto3 text output does.
 */
export function genericValueText(value: GenericValue): string {
  switch (value.kind) {
    case 'bool':
      return `bool_val:${value.value}`;
    case 'int64':
      return `int64_val:${value.value}`;
    case 'float':
      return `float_val:${protoFloat(value.value)}`;
    case 'string':
      return `string_val:${protoString(value.value)}`;
    case 'array': {
      const parts = value.elements.map((element) => `array:{${genericValueText(element)}}`);
      if (value.sameType) parts.push('same_type:true');
      if (value.elementType !== DataType.None) parts.push(`element_type:${dataTypeName(value.elementType)}`);
      return `array_val:{${parts.join(' ')}}`;
    }
  }
}

function protoFloat(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Number.POSITIVE_INFINITY) return 'inf';
  if (value === Number.NEGATIVE_INFINITY) return '-inf';
  return goFormatFloat(value);
}

/** Protobuf text string quoting: backslash escapes for quotes, backslashes and control bytes. */
function protoString(text: string): string {
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '"') out += '\\"';
    else if (char === '\\') out += '\\\\';
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\${code.toString(8).padStart(3, '0')}`;
    else out += char;
  }
  return `${out}"`;
}
