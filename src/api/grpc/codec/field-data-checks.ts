import { errors } from '../../../errors/index.js';
import { DataType, dataTypeName, type FieldSchema } from '../../../schema/index.js';
import { bytesOf, type Entry, typeParamNumber } from './field-data-entry.js';
import { goJsonError } from './go-json-error.js';
import { nonFiniteFloatError, sparseVectorError } from './sparse-vector-codec.js';
import {
  cellValues,
  memberFor,
  type ScalarMember,
  scalarMemberOf,
  type WireScalarField,
} from './wire-field-data.js';

/*
 * The per-type checks of Milvus's validateUtil.Validate (internal/proxy/validate_util.go), run on
 * the columns as sent, before nulls and defaults are filled in. WrapErrParameterInvalid(expected,
 * actual, msg) is errors.parameterInvalidValue; plain Go errors are errors.uncoded.
 */

/** Milvus's common.JSONMaxLength default (64 KiB), the limit of one JSON / dynamic row. */
export const JSON_MAX_LENGTH_BYTES = 64 << 10;

/** Go's reflect name of a ScalarField oneof wrapper, e.g. "*schemapb.ScalarField_IntData". */
function goScalarWrapperName(member: string): string {
  const pascal = member
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
  return `*schemapb.ScalarField_${pascal}`;
}

function illegal(expected: string, detail: string) {
  return errors.parameterInvalidValue(expected, 'got nil', detail);
}

function present(entry: Entry, member: ScalarMember): unknown[] | undefined {
  // Go's getters return nil both for another member and for an empty repeated field.
  return entry.scalar === member && entry.values.length > 0 ? entry.values : undefined;
}

function checkFloats(values: ArrayLike<unknown>): void {
  if (values instanceof Float32Array) {
    // Bulk vectors arrive as Float32Array (see milvus-proto.ts); x - x is 0 only for finite x.
    for (let i = 0; i < values.length; i++) {
      const value = values[i]!;
      if (value - value !== 0) throw errors.uncoded(nonFiniteFloatError(value) ?? `invalid float ${value}`);
    }
    return;
  }
  for (const value of Array.from(values)) {
    const problem = nonFiniteFloatError(Math.fround(Number(value)));
    if (problem !== undefined) throw errors.uncoded(problem);
  }
}

function checkDoubles(values: readonly unknown[]): void {
  for (const value of values) {
    const problem = nonFiniteFloatError(Number(value));
    if (problem !== undefined) throw errors.uncoded(problem);
  }
}

/** typeutil.VerifyFloats16 / VerifyBFloats16: an all-ones exponent is NaN or infinity. */
function checkHalfFloats(bytes: Uint8Array, exponentMask: number, kind: 'float16' | 'bfloat16'): void {
  if (bytes.byteLength % 2 !== 0) {
    throw errors.uncoded(
      kind === 'float16'
        ? 'The length of float16 is not aligned to 2.'
        : 'The length of bfloat16 in not aligned to 2',
    );
  }
  const data = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let offset = 0; offset < bytes.byteLength; offset += 2) {
    if ((data.getUint16(offset, true) & exponentMask) === exponentMask) {
      throw errors.uncoded(`${kind} vector contain nan or infinity value.`);
    }
  }
}

/** verifyOverflowByRange. */
function checkRange(values: readonly unknown[], lower: number, upper: number): void {
  values.forEach((value, index) => {
    const number = Number(value);
    if (number < lower || number > upper) {
      throw errors.parameterInvalidValue(
        "integer doesn't overflow",
        'out of range',
        `the ${index}th element (${number}) out of range: [${lower}, ${upper}]`,
      );
    }
  });
}

function integerRange(type: DataType): [number, number] | undefined {
  if (type === DataType.Int8) return [-128, 127];
  if (type === DataType.Int16) return [-32768, 32767];
  return undefined;
}

/** The element type's word in checkArrayElement's "insert data does not match" errors. */
function elementWord(type: DataType): string | undefined {
  switch (type) {
    case DataType.Bool:
      return 'bool';
    case DataType.Int8:
    case DataType.Int16:
    case DataType.Int32:
      return 'int';
    case DataType.Int64:
      return 'int64';
    case DataType.Float:
      return 'float';
    case DataType.Double:
      return 'double';
    case DataType.VarChar:
    case DataType.String:
      return 'string';
    default:
      return undefined;
  }
}

function checkArrayFieldData(entry: Entry, field: FieldSchema, checkCapacity: boolean): void {
  const elementType = field.elementType;
  if (entry.scalar !== 'array_data') {
    throw illegal(
      `need ${dataTypeName(elementType)} array`,
      `array field '${entry.name}' is illegal, array type mismatch`,
    );
  }
  const rows = entry.values as (WireScalarField | undefined)[];
  const member = memberFor(elementType);
  const word = elementWord(elementType);
  if (checkCapacity) {
    // verifyCapacityPerRow
    const capacity = typeParamNumber(field, 'max_capacity');
    rows.forEach((row, index) => {
      if (word === undefined) {
        throw errors.parameterInvalidValue(
          'valid array element type',
          'array element type is not supported',
          `array element type: ${dataTypeName(elementType)} is not supported`,
        );
      }
      const length = cellValues(row, member).length;
      if (capacity !== undefined && length > capacity) {
        throw errors.parameterInvalidValue(
          'valid length array',
          'array length exceeds max capacity',
          `the length (${length}) of ${index}th array exceeds max capacity (${capacity})`,
        );
      }
    });
  }
  // checkArrayElement
  if (word === undefined || member === undefined) return;
  const range = integerRange(elementType);
  const maxLength = typeParamNumber(field, 'max_length');
  rows.forEach((row, rowIndex) => {
    const actual = row ? scalarMemberOf(row) : undefined;
    if (actual === undefined) {
      throw errors.parameterInvalidValue(`${word} array`, 'nil array', 'insert data does not match');
    }
    if (actual !== member) {
      throw errors.parameterInvalidValue(
        `${word} array`,
        `${goScalarWrapperName(actual)} array`,
        'insert data does not match',
      );
    }
    const values = cellValues(row, member);
    if (range) checkRange(values, range[0], range[1]);
    if (member === 'string_data' && maxLength !== undefined) {
      values.forEach((value, index) => {
        const length = Buffer.byteLength(String(value), 'utf8');
        if (length > maxLength) {
          // Milvus prints the field's own type here, which is always Array.
          throw errors.parameterInvalid(
            `length of ${dataTypeName(field.dataType)} array field "${field.name}" exceeds max length, ` +
              `row number: ${rowIndex}, array index: ${index}, length: ${length}, max length: ${maxLength}`,
          );
        }
      });
    }
  });
}

/** validateUtil.Validate's per-type checks, run on the data as sent (before filling). */
export function checkFieldData(entry: Entry, field: FieldSchema, upsert: boolean): void {
  const name = entry.name;
  const optional = field.defaultValue !== undefined || field.nullable;
  switch (field.dataType) {
    case DataType.FloatVector: {
      const floats = entry.vector === 'float_vector' && entry.floats.length > 0 ? entry.floats : undefined;
      if (!floats)
        throw illegal('need float vector', `float vector field '${name}' is illegal, array type mismatch`);
      checkFloats(floats);
      return;
    }
    case DataType.Float16Vector: {
      if (entry.vector !== 'float16_vector' || entry.bytes.byteLength === 0) {
        throw illegal(
          'need vector_float16 array',
          `float16 float field '${name}' is illegal, nil Vector_Float16 type`,
        );
      }
      checkHalfFloats(entry.bytes, 0x7c00, 'float16');
      return;
    }
    case DataType.BFloat16Vector: {
      if (entry.vector !== 'bfloat16_vector' || entry.bytes.byteLength === 0) {
        throw illegal(
          'need vector_bfloat16 array',
          `bfloat16 float field '${name}' is illegal, nil Vector_BFloat16 type`,
        );
      }
      checkHalfFloats(entry.bytes, 0x7f80, 'bfloat16');
      return;
    }
    case DataType.BinaryVector:
      if (entry.vector !== 'binary_vector' || entry.bytes.byteLength === 0) {
        throw illegal(
          'need bytes array',
          `binary float vector field '${name}' is illegal, array type mismatch`,
        );
      }
      return;
    case DataType.Int8Vector:
      if (entry.vector !== 'int8_vector' || entry.bytes.byteLength === 0) {
        throw illegal(
          'need vector_int8 array',
          `int8 vector field '${name}' is illegal, nil Vector_Int8 type`,
        );
      }
      return;
    case DataType.SparseFloatVector: {
      if (entry.vector !== 'sparse_float_vector') {
        throw illegal(
          'need sparse float array',
          `sparse float field '${name}' is illegal, nil SparseFloatVector`,
        );
      }
      if (entry.sparseRows.length === 0) {
        throw illegal(
          'need sparse float array',
          `sparse float field '${name}' is illegal, array type mismatch`,
        );
      }
      for (const row of entry.sparseRows) {
        const problem = sparseVectorError(row);
        if (problem !== undefined) throw errors.uncoded(problem);
      }
      return;
    }
    case DataType.VarChar: {
      const strings = present(entry, 'string_data');
      if (!strings && !optional) {
        throw illegal('need string array', `varchar field '${name}' is illegal, array type mismatch`);
      }
      // An auto_id key is generated server-side; Milvus skips its length check (issue 25580).
      const maxLength = typeParamNumber(field, 'max_length');
      if (!strings || field.autoId || maxLength === undefined) return;
      strings.forEach((value, row) => {
        const length = Buffer.byteLength(String(value), 'utf8');
        if (length > maxLength) {
          throw errors.parameterInvalid(
            `length of varchar field ${field.name} exceeds max length, row number: ${row}, ` +
              `length: ${length}, max length: ${maxLength}`,
          );
        }
      });
      return;
    }
    case DataType.JSON: {
      const documents = present(entry, 'json_data');
      if (!documents && !optional) {
        throw illegal('need json array', `json field '${name}' is illegal, array type mismatch`);
      }
      for (const document of documents ?? []) {
        const length = bytesOf(document).byteLength;
        if (length <= JSON_MAX_LENGTH_BYTES) continue;
        if (entry.isDynamic) {
          throw errors.parameterInvalidValue(
            'valid length dynamic field',
            'length exceeds max length',
            `the length (${length}) of dynamic field exceeds max length (${JSON_MAX_LENGTH_BYTES})`,
          );
        }
        throw errors.parameterInvalidValue(
          'valid length json string',
          'length exceeds max length',
          `the length (${length}) of json field (${name}) exceeds max length (${JSON_MAX_LENGTH_BYTES})`,
        );
      }
      return;
    }
    case DataType.Int8:
    case DataType.Int16:
    case DataType.Int32: {
      const integers = present(entry, 'int_data');
      if (!integers && !optional)
        throw illegal('need int array', `field '${name}' is illegal, array type mismatch`);
      const range = integerRange(field.dataType);
      if (integers && range) checkRange(integers, range[0], range[1]);
      return;
    }
    case DataType.Int64:
      if (!present(entry, 'long_data') && !optional) {
        throw illegal('need long int array', `field '${name}' is illegal, array type mismatch`);
      }
      return;
    case DataType.Float: {
      const floats = present(entry, 'float_data');
      if (!floats && !optional)
        throw illegal('need float32 array', `field '${name}' is illegal, array type mismatch`);
      if (floats) checkFloats(floats);
      return;
    }
    case DataType.Double: {
      const doubles = present(entry, 'double_data');
      if (!doubles && !optional) {
        throw illegal('need float64(double) array', `field '${name}' is illegal, array type mismatch`);
      }
      if (doubles) checkDoubles(doubles);
      return;
    }
    case DataType.Array:
      checkArrayFieldData(entry, field, !upsert);
      return;
    case DataType.Bool:
      return;
    default:
      // Geometry, Timestamptz, Text and struct types pass the schema check but have no column form.
      throw errors.parameterInvalid(
        `field ${field.name} is of type ${dataTypeName(field.dataType)}, which Quiver does not store yet`,
      );
  }
}

/**
 * Quiver stores JSON as validated text, which Milvus's proxy does not check (it only limits the
 * size). The Node SDK sends a null JSON value as empty bytes marked valid; in a nullable field that
 * row is taken as null.
 */
export function checkJsonDocuments(entry: Entry, field: FieldSchema): void {
  entry.values.forEach((document, row) => {
    if (field.nullable && !entry.valid[row]) return;
    const bytes = bytesOf(document);
    if (field.nullable && bytes.byteLength === 0) {
      entry.valid[row] = false;
      return;
    }
    const problem = goJsonError(bytes, 'any');
    if (problem !== undefined) {
      throw errors.parameterInvalid(`invalid JSON in field ${field.name} at row ${row}: ${problem}`);
    }
  });
}
