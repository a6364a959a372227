import {
  type ArrayCell,
  type Column,
  DataType,
  dataTypeName,
  type FieldSchema,
} from '../../../schema/index.js';
import { encodeSparseVector, sparseVectorDim } from './sparse-vector-codec.js';
import {
  memberFor,
  type ScalarMember,
  type WireFieldData,
  type WireScalarField,
  type WireVectorField,
} from './wire-field-data.js';

/* Quiver's columns back into schema.FieldData, for Query and Search results. */

function rowCountOf(column: Column): number {
  switch (column.type) {
    case DataType.FloatVector:
    case DataType.Float16Vector:
    case DataType.BFloat16Vector:
    case DataType.Int8Vector:
      return column.dim > 0 ? column.values.length / column.dim : 0;
    case DataType.BinaryVector:
      return column.dim > 0 ? column.values.length / (column.dim / 8) : 0;
    default:
      return column.values.length;
  }
}

function scalarsOf(member: ScalarMember, values: unknown[]): WireScalarField {
  return { [member]: { data: values }, data: member } as WireScalarField;
}

function arrayCellToWire(elementType: DataType, cell: ArrayCell | undefined): WireScalarField {
  const member = memberFor(elementType) ?? 'string_data';
  const values = cell ? Array.from(cell as ArrayLike<unknown>) : [];
  if (elementType === DataType.Int64) return scalarsOf(member, values.map(String));
  if (elementType === DataType.Bool)
    return scalarsOf(
      member,
      values.map((value) => value === 1 || value === true),
    );
  return scalarsOf(member, values);
}

/** Row-major rows of `rowSize` elements, picked by `rows`. */
function pickRows<T extends Uint8Array | Uint16Array | Int8Array | Float32Array>(
  values: T,
  rowSize: number,
  rows: readonly number[],
): T {
  const picked = new (values.constructor as new (length: number) => T)(rows.length * rowSize);
  rows.forEach((row, i) => {
    picked.set(values.subarray(row * rowSize, (row + 1) * rowSize), i * rowSize);
  });
  return picked;
}

function halfFloatBytes(halves: Uint16Array): Buffer {
  const bytes = Buffer.alloc(halves.length * 2);
  halves.forEach((half, i) => {
    bytes.writeUInt16LE(half, i * 2);
  });
  return bytes;
}

function asBuffer(bytes: Uint8Array | Int8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * One output column as schema.FieldData (Query / Search results). The typed oneof is always set,
 * even for zero rows, because clients read one typed FieldData per output field. Nullable fields
 * carry valid_data with one flag per row and a zero placeholder in null rows, as Milvus sends them.
 * `rowIndices` picks and orders rows; without it every row is sent in order.
 */
export function encodeFieldData(
  field: FieldSchema,
  column: Column,
  rowIndices?: ArrayLike<number>,
): WireFieldData {
  const rows = rowIndices === undefined ? [...Array(rowCountOf(column)).keys()] : Array.from(rowIndices);
  const base = {
    type: dataTypeName(field.dataType),
    field_name: field.name,
    field_id: String(field.fieldId),
    is_dynamic: field.isDynamic,
    valid_data: field.nullable ? rows.map((row) => (column.valid ? column.valid[row] === 1 : true)) : [],
  };
  const scalar = (member: ScalarMember, values: unknown[]): WireFieldData => ({
    ...base,
    scalars: scalarsOf(member, values),
    field: 'scalars',
  });
  const vector = (vectors: WireVectorField): WireFieldData => ({ ...base, vectors, field: 'vectors' });
  switch (column.type) {
    case DataType.Bool:
      return scalar(
        'bool_data',
        rows.map((row) => column.values[row] === 1),
      );
    case DataType.Int8:
    case DataType.Int16:
    case DataType.Int32:
      return scalar(
        'int_data',
        rows.map((row) => column.values[row] ?? 0),
      );
    case DataType.Int64:
      return scalar(
        'long_data',
        rows.map((row) => String(column.values[row] ?? 0n)),
      );
    case DataType.Float:
      return scalar(
        'float_data',
        rows.map((row) => column.values[row] ?? 0),
      );
    case DataType.Double:
      return scalar(
        'double_data',
        rows.map((row) => column.values[row] ?? 0),
      );
    case DataType.VarChar:
      return scalar(
        'string_data',
        rows.map((row) => column.values[row] ?? ''),
      );
    case DataType.JSON:
      return scalar(
        'json_data',
        rows.map((row) => Buffer.from(column.values[row] ?? '', 'utf8')),
      );
    case DataType.Array:
      return {
        ...base,
        scalars: {
          array_data: {
            data: rows.map((row) => arrayCellToWire(column.elementType, column.values[row])),
            element_type: dataTypeName(column.elementType),
          },
          data: 'array_data',
        },
        field: 'scalars',
      };
    case DataType.FloatVector:
      return vector({
        dim: String(column.dim),
        float_vector: { data: Array.from(pickRows(column.values, column.dim, rows)) },
        data: 'float_vector',
      });
    case DataType.Float16Vector:
      return vector({
        dim: String(column.dim),
        float16_vector: halfFloatBytes(pickRows(column.values, column.dim, rows)),
        data: 'float16_vector',
      });
    case DataType.BFloat16Vector:
      return vector({
        dim: String(column.dim),
        bfloat16_vector: halfFloatBytes(pickRows(column.values, column.dim, rows)),
        data: 'bfloat16_vector',
      });
    case DataType.BinaryVector:
      return vector({
        dim: String(column.dim),
        binary_vector: asBuffer(pickRows(column.values, column.dim / 8, rows)),
        data: 'binary_vector',
      });
    case DataType.Int8Vector:
      return vector({
        dim: String(column.dim),
        int8_vector: asBuffer(pickRows(column.values, column.dim, rows)),
        data: 'int8_vector',
      });
    case DataType.SparseFloatVector: {
      const picked = rows.map(
        (row) => column.values[row] ?? { indices: new Uint32Array(0), values: new Float32Array(0) },
      );
      const dim = String(picked.reduce((max, vector) => Math.max(max, sparseVectorDim(vector)), 0));
      return vector({
        dim,
        sparse_float_vector: { contents: picked.map(encodeSparseVector), dim },
        data: 'sparse_float_vector',
      });
    }
  }
}
