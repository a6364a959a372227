import { errors } from '../../../errors/index.js';
import { DataType, type DefaultValue, dataTypeName, type FieldSchema } from '../../../schema/index.js';
import { dimOf, type Entry, noBytes } from './field-data-entry.js';
import { memberFor, type ScalarMember } from './wire-field-data.js';

/*
 * The second and third passes of Milvus's validateUtil.Validate (internal/proxy/validate_util.go):
 * fillWithValue spreads nulls and defaults over the rows, checkAligned compares every column's
 * row count (and vector dim) with num_rows.
 */

function numRowsMismatch(name: string, fieldRows: number, numRows: number) {
  return errors.parameterInvalidValue(
    numRows,
    fieldRows,
    `the num_rows (${fieldRows}) of field (${name}) is not equal to passed num_rows (${numRows})`,
  );
}

function dimMismatch(name: string, dataDim: number, schemaDim: number) {
  return errors.parameterInvalidValue(
    schemaDim,
    dataDim,
    `the dim (${dataDim}) of field data(${name}) is not equal to schema dim (${schemaDim})`,
  );
}

function undefinedDataType(field: FieldSchema) {
  return errors.parameterInvalid(`undefined data type:${dataTypeName(field.dataType)}`);
}

function validDataLengthWrong(name: string, expected: number, actual: number) {
  return errors.parameterInvalidValue(
    expected,
    actual,
    `the length of valid_data of field(${name}) is wrong`,
  );
}

function countValid(valid: readonly boolean[]): number {
  let count = 0;
  for (const flag of valid) if (flag) count++;
  return count;
}

/**
 * fillWithNullValueImpl / fillWithDefaultValueImpl: spreads the values of valid rows over all rows,
 * putting `fill` in invalid ones. Milvus accepts only the compacted form (one value per valid row);
 * Quiver also accepts the dense form (one slot per row, as query results carry nullable columns),
 * since both are unambiguous and a dense request can only have come from re-sending such data.
 */
function spread(values: unknown[], valid: readonly boolean[], fill: unknown): unknown[] {
  const validCount = countValid(valid);
  if (values.length === validCount) {
    if (validCount === valid.length) return values;
    const dense = new Array<unknown>(valid.length);
    let next = 0;
    for (let row = 0; row < valid.length; row++) dense[row] = valid[row] ? values[next++] : fill;
    return dense;
  }
  if (values.length === valid.length) return values.map((value, row) => (valid[row] ? value : fill));
  throw errors.parameterInvalidValue(validCount, values.length, 'the length of field is wrong');
}

/** The default as the Go getter of `member` reads it from schema.ValueField (zero when absent). */
function defaultFor(member: ScalarMember, value: DefaultValue): unknown {
  switch (member) {
    case 'bool_data':
      return value.kind === 'bool' ? value.value : false;
    case 'int_data':
      return value.kind === 'int' ? value.value : 0;
    case 'long_data':
      return value.kind === 'long' ? value.value : '0';
    case 'float_data':
      return value.kind === 'float' ? value.value : 0;
    case 'double_data':
      return value.kind === 'double' ? value.value : 0;
    case 'string_data':
      return value.kind === 'string' ? value.value : '';
    case 'json_data':
      return value.kind === 'bytes' ? Buffer.from(value.value, 'base64') : noBytes;
    default:
      return undefined;
  }
}

const nullFillable: ReadonlySet<ScalarMember> = new Set<ScalarMember>([
  'bool_data',
  'int_data',
  'long_data',
  'float_data',
  'double_data',
  'timestamptz_data',
  'string_data',
  'array_data',
  'json_data',
  'geometry_data',
  'geometry_wkt_data',
]);

const defaultFillable: ReadonlySet<ScalarMember> = new Set<ScalarMember>([
  'bool_data',
  'int_data',
  'long_data',
  'float_data',
  'double_data',
  'timestamptz_data',
  'string_data',
  'json_data',
  'geometry_data',
]);

/** validateUtil.fillWithValue: nulls and defaults spread over the rows; valid_data checked. */
export function fillWithValue(entry: Entry, field: FieldSchema, numRows: number): void {
  const defaultValue = field.defaultValue;
  if ((field.nullable || defaultValue !== undefined) && entry.valid.length === 0) {
    entry.valid = new Array<boolean>(numRows).fill(true);
  }
  if (defaultValue === undefined) {
    // FillWithNullValue, after nullutil.CheckValidData
    const expected = field.nullable ? numRows : 0;
    if (entry.valid.length !== expected) throw validDataLengthWrong(field.name, expected, entry.valid.length);
    if (!field.nullable || entry.holder === 'vectors') return;
    if (entry.holder === 'scalars' && entry.scalar !== undefined && nullFillable.has(entry.scalar)) {
      entry.values = spread(entry.values, entry.valid, undefined);
      return;
    }
    throw undefinedDataType(field);
  }
  // FillWithDefaultValue
  if (entry.holder === 'vectors') throw errors.parameterInvalid('vector type not support default value');
  if (entry.holder !== 'scalars' || entry.scalar === undefined) throw undefinedDataType(field);
  if (entry.scalar === 'array_data') {
    throw errors.parameterInvalidValue('not set default value', '', 'array type not support default value');
  }
  if (!defaultFillable.has(entry.scalar)) throw undefinedDataType(field);
  if (entry.valid.length !== numRows) throw validDataLengthWrong(entry.name, numRows, entry.valid.length);
  entry.values = spread(entry.values, entry.valid, defaultFor(entry.scalar, defaultValue));
  // Defaulted rows hold a value: only a nullable field keeps valid_data, all true.
  entry.valid = field.nullable ? new Array<boolean>(numRows).fill(true) : [];
}

/** validateUtil.checkAligned: vector dims and every column's row count against num_rows. */
export function checkAligned(entry: Entry, field: FieldSchema, numRows: number): void {
  const name = entry.name;
  const dim = dimOf(field);
  const byteLength = entry.bytes.byteLength;
  switch (field.dataType) {
    case DataType.FloatVector: {
      const length = entry.floats.length;
      if (dim <= 0) throw errors.uncoded(`dim(${dim}) should be greater than 0`);
      if (length % dim !== 0) {
        throw errors.uncoded(`the length(${length}) of float data should divide the dim(${dim})`);
      }
      if (entry.dim !== dim) throw dimMismatch(name, entry.dim, dim);
      if (length / dim !== numRows) throw numRowsMismatch(name, length / dim, numRows);
      return;
    }
    case DataType.BinaryVector: {
      if (entry.dim !== dim) throw dimMismatch(name, entry.dim, dim);
      if (dim <= 0) throw errors.uncoded(`dim(${dim}) should be greater than 0`);
      if (dim % 8 !== 0) throw errors.uncoded(`dim(${dim}) should divide 8`);
      if ((8 * byteLength) % dim !== 0) {
        throw errors.uncoded(`the num(${8 * byteLength}) of all bits should divide the dim(${dim})`);
      }
      const rows = (8 * byteLength) / dim;
      if (rows !== numRows) throw numRowsMismatch(name, rows, numRows);
      return;
    }
    case DataType.Float16Vector:
    case DataType.BFloat16Vector: {
      if (entry.dim !== dim) throw dimMismatch(name, entry.dim, dim);
      if (dim <= 0) throw errors.uncoded(`dim(${dim}) should be greater than 0`);
      // Milvus only checks divisibility by dim and then divides by 2 (keeping a stray half row);
      // Quiver requires whole rows so no partial vector is ever stored.
      if (byteLength % (2 * dim) !== 0) {
        const what = field.dataType === DataType.Float16Vector ? 'float16' : 'bfloat';
        throw errors.uncoded(`the length(${byteLength}) of ${what} data should divide the dim(${dim})`);
      }
      const rows = byteLength / dim / 2;
      if (rows !== numRows) throw numRowsMismatch(name, rows, numRows);
      return;
    }
    case DataType.Int8Vector: {
      if (dim <= 0) throw errors.uncoded(`dim(${dim}) should be greater than 0`);
      if (byteLength % dim !== 0) {
        throw errors.uncoded(`the length(${byteLength}) of int8 data should divide the dim(${dim})`);
      }
      if (entry.dim !== dim) throw dimMismatch(name, entry.dim, dim);
      if (byteLength / dim !== numRows) throw numRowsMismatch(name, byteLength / dim, numRows);
      return;
    }
    case DataType.SparseFloatVector: {
      const rows = entry.vector === 'sparse_float_vector' ? entry.sparseRows.length : 0;
      if (rows !== numRows) throw numRowsMismatch(name, rows, numRows);
      return;
    }
    default: {
      // funcutil.GetNumRowOfFieldDataWithSchema counts the member the schema type calls for.
      const member = memberFor(field.dataType);
      const rows = member !== undefined && entry.scalar === member ? entry.values.length : 0;
      if (rows !== numRows) throw numRowsMismatch(name, rows, numRows);
    }
  }
}
