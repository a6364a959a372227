import {
  type ArrayCell,
  type Column,
  DataType,
  type FieldSchema,
  type SparseVector,
} from '../../schema/index.js';

type TypedArray =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Float32Array
  | Float64Array
  | BigInt64Array;

function gatherTyped<T extends TypedArray>(values: T, rows: ArrayLike<number>, width = 1): T {
  const out = new (values.constructor as new (length: number) => T)(rows.length * width);
  if (width === 1) {
    for (let i = 0; i < rows.length; i++)
      (out as unknown as number[])[i] = (values as unknown as number[])[rows[i]!]!;
  } else {
    for (let i = 0; i < rows.length; i++) {
      const start = rows[i]! * width;
      (out as unknown as { set(source: T, offset: number): void }).set(
        values.subarray(start, start + width) as T,
        i * width,
      );
    }
  }
  return out;
}

function gatherPlain<T>(values: readonly T[], rows: ArrayLike<number>): T[] {
  const out = new Array<T>(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = values[rows[i]!]!;
  return out;
}

/** Bytes (or elements) per row of a dense vector column's backing array. */
export function vectorWidth(column: Column): number {
  switch (column.type) {
    case DataType.FloatVector:
    case DataType.Float16Vector:
    case DataType.BFloat16Vector:
    case DataType.Int8Vector:
      return column.dim;
    case DataType.BinaryVector:
      return column.dim / 8;
    default:
      return 1;
  }
}

/** A new column holding `rows` of `column`, in that order. */
export function gatherColumn(column: Column, rows: ArrayLike<number>): Column {
  const valid = column.valid ? gatherTyped(column.valid, rows) : undefined;
  const withValid = <C extends Column>(c: C): C => (valid ? { ...c, valid } : c);
  switch (column.type) {
    case DataType.VarChar:
    case DataType.JSON:
      return withValid({ ...column, values: gatherPlain(column.values, rows) });
    case DataType.Array:
      return withValid({ ...column, values: gatherPlain(column.values, rows) });
    case DataType.SparseFloatVector:
      return withValid({ ...column, values: gatherPlain(column.values, rows) });
    case DataType.FloatVector:
    case DataType.Float16Vector:
    case DataType.BFloat16Vector:
    case DataType.BinaryVector:
    case DataType.Int8Vector:
      return withValid({
        ...column,
        values: gatherTyped(column.values, rows, vectorWidth(column)),
      } as Column);
    default:
      return withValid({ ...column, values: gatherTyped(column.values as TypedArray, rows) } as Column);
  }
}

function concatTyped<T extends TypedArray>(parts: T[]): T {
  let total = 0;
  for (const part of parts) total += part.length;
  const out = new (parts[0]!.constructor as new (length: number) => T)(total);
  let offset = 0;
  for (const part of parts) {
    (out as unknown as { set(source: T, offset: number): void }).set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Concatenates columns of one field, in order. `parts` must be non-empty. */
export function concatColumns(parts: Column[]): Column {
  if (parts.length === 1) return parts[0]!;
  const first = parts[0]!;
  const anyValid = parts.some((p) => p.valid);
  const valid = anyValid
    ? concatTyped(parts.map((p) => p.valid ?? new Uint8Array(rowCount(p)).fill(1)))
    : undefined;
  let values: unknown;
  switch (first.type) {
    case DataType.VarChar:
    case DataType.JSON:
    case DataType.Array:
    case DataType.SparseFloatVector:
      values = (parts as Array<{ values: unknown[] }>).flatMap((p) => p.values);
      break;
    default:
      values = concatTyped(parts.map((p) => p.values as TypedArray));
  }
  return { ...first, values, ...(valid ? { valid } : {}) } as Column;
}

export function rowCount(column: Column): number {
  return column.values.length / vectorWidth(column);
}

/** A column of `rows` nulls (nullable fields) or zero values, used when a batch lacks a field. */
export function emptyColumn(field: FieldSchema, rows: number, fill: 'null' | 'zero'): Column {
  const valid = fill === 'null' ? new Uint8Array(rows) : undefined;
  const dim = Number(field.typeParams.dim ?? '0');
  const base = (() => {
    switch (field.dataType) {
      case DataType.Bool:
        return { type: field.dataType, values: new Uint8Array(rows) };
      case DataType.Int8:
        return { type: field.dataType, values: new Int8Array(rows) };
      case DataType.Int16:
        return { type: field.dataType, values: new Int16Array(rows) };
      case DataType.Int32:
        return { type: field.dataType, values: new Int32Array(rows) };
      case DataType.Int64:
        return { type: field.dataType, values: new BigInt64Array(rows) };
      case DataType.Float:
        return { type: field.dataType, values: new Float32Array(rows) };
      case DataType.Double:
        return { type: field.dataType, values: new Float64Array(rows) };
      case DataType.VarChar:
        return { type: field.dataType, values: new Array<string>(rows).fill('') };
      case DataType.JSON:
        return {
          type: field.dataType,
          values: new Array<string>(rows).fill(field.isDynamic ? '{}' : 'null'),
        };
      case DataType.Array:
        return {
          type: field.dataType,
          elementType: field.elementType,
          values: new Array<ArrayCell>(rows).fill([]),
        };
      case DataType.FloatVector:
        return { type: field.dataType, dim, values: new Float32Array(rows * dim) };
      case DataType.Float16Vector:
      case DataType.BFloat16Vector:
        return { type: field.dataType, dim, values: new Uint16Array(rows * dim) };
      case DataType.BinaryVector:
        return { type: field.dataType, dim, values: new Uint8Array((rows * dim) / 8) };
      case DataType.Int8Vector:
        return { type: field.dataType, dim, values: new Int8Array(rows * dim) };
      case DataType.SparseFloatVector:
        return {
          type: field.dataType,
          values: new Array<SparseVector>(rows).fill({
            indices: new Uint32Array(0),
            values: new Float32Array(0),
          }),
        };
      default:
        throw new Error(`unsupported data type ${field.dataType} for field ${field.name}`);
    }
  })();
  return (valid ? { ...base, valid } : base) as Column;
}
