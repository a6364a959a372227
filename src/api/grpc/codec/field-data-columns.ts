import { errors } from '../../../errors/index.js';
import {
  type ArrayCell,
  type Column,
  DataType,
  dataTypeName,
  type FieldSchema,
} from '../../../schema/index.js';
import { dimOf, type Entry, utf8Text } from './field-data-entry.js';
import { decodeSparseVector } from './sparse-vector-codec.js';
import { cellValues, memberFor, type WireScalarField } from './wire-field-data.js';

/* A checked and filled request column turned into Quiver's columnar form (src/schema/column.ts). */

function toBigInt(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(Math.trunc(value));
  return BigInt(String(value));
}

function toArrayCell(elementType: DataType, cell: WireScalarField | undefined): ArrayCell {
  const values = cellValues(cell, memberFor(elementType));
  switch (elementType) {
    case DataType.Bool:
      return Uint8Array.from(values, (value) => (value ? 1 : 0));
    case DataType.Int8:
    case DataType.Int16:
    case DataType.Int32:
      return Int32Array.from(values, Number);
    case DataType.Int64:
      return BigInt64Array.from(values, toBigInt);
    case DataType.Float:
      return Float32Array.from(values, Number);
    case DataType.Double:
      return Float64Array.from(values, Number);
    default:
      return values.map(String);
  }
}

function copyBytes(bytes: Uint8Array): Uint8Array {
  return Uint8Array.from(bytes);
}

function halfFloats(bytes: Uint8Array): Uint16Array {
  const data = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const halves = new Uint16Array(bytes.byteLength / 2);
  for (let i = 0; i < halves.length; i++) halves[i] = data.getUint16(i * 2, true);
  return halves;
}

/** The checked, filled column in Quiver's columnar form (null slots hold the type's zero value). */
export function toColumn(entry: Entry, field: FieldSchema): Column {
  const values = entry.values;
  const valid = field.nullable ? Uint8Array.from(entry.valid, (flag) => (flag ? 1 : 0)) : undefined;
  const withValid = <T extends Column>(column: T): T => (valid ? { ...column, valid } : column);
  const dim = dimOf(field);
  switch (field.dataType) {
    case DataType.Bool:
      return withValid({ type: DataType.Bool, values: Uint8Array.from(values, (value) => (value ? 1 : 0)) });
    case DataType.Int8:
      return withValid({
        type: DataType.Int8,
        values: Int8Array.from(values, (value) => Number(value ?? 0)),
      });
    case DataType.Int16:
      return withValid({
        type: DataType.Int16,
        values: Int16Array.from(values, (value) => Number(value ?? 0)),
      });
    case DataType.Int32:
      return withValid({
        type: DataType.Int32,
        values: Int32Array.from(values, (value) => Number(value ?? 0)),
      });
    case DataType.Int64:
      return withValid({
        type: DataType.Int64,
        values: BigInt64Array.from(values, (value) => (value === undefined ? 0n : toBigInt(value))),
      });
    case DataType.Float:
      return withValid({
        type: DataType.Float,
        values: Float32Array.from(values, (value) => Number(value ?? 0)),
      });
    case DataType.Double:
      return withValid({
        type: DataType.Double,
        values: Float64Array.from(values, (value) => Number(value ?? 0)),
      });
    case DataType.VarChar:
      return withValid({
        type: DataType.VarChar,
        values: values.map((value) => (value === undefined ? '' : String(value))),
      });
    case DataType.JSON:
      return withValid({
        type: DataType.JSON,
        values: values.map((value, row) => (valid && !valid[row] ? '' : utf8Text(value))),
      });
    case DataType.Array:
      return withValid({
        type: DataType.Array,
        elementType: field.elementType,
        values: values.map((cell) => toArrayCell(field.elementType, cell as WireScalarField | undefined)),
      });
    case DataType.FloatVector:
      // The fast FloatArray decoder already produced a private Float32Array; reuse it.
      return {
        type: DataType.FloatVector,
        dim,
        values: entry.floats instanceof Float32Array ? entry.floats : Float32Array.from(entry.floats),
      };
    case DataType.Float16Vector:
      return { type: DataType.Float16Vector, dim, values: halfFloats(entry.bytes) };
    case DataType.BFloat16Vector:
      return { type: DataType.BFloat16Vector, dim, values: halfFloats(entry.bytes) };
    case DataType.BinaryVector:
      return { type: DataType.BinaryVector, dim, values: copyBytes(entry.bytes) };
    case DataType.Int8Vector: {
      const bytes = copyBytes(entry.bytes);
      return { type: DataType.Int8Vector, dim, values: new Int8Array(bytes.buffer) };
    }
    case DataType.SparseFloatVector:
      return { type: DataType.SparseFloatVector, values: entry.sparseRows.map(decodeSparseVector) };
    default:
      throw errors.unexpected(`no column form for data type ${dataTypeName(field.dataType)}`);
  }
}
