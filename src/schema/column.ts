import type { DataType } from './data-type.js';

/**
 * Columnar data as Quiver moves it between layers: the wire codec decodes Milvus FieldData into
 * these, the engine stores them, and query results are built from them. One column per field;
 * every column of a batch has the same row count.
 *
 * Nullable fields carry `valid` (1 = value present, 0 = null); a null row's slot in `values`
 * holds the type's zero value so typed arrays stay dense.
 */
export type Column =
  | { type: DataType.Bool; values: Uint8Array; valid?: Uint8Array }
  | { type: DataType.Int8; values: Int8Array; valid?: Uint8Array }
  | { type: DataType.Int16; values: Int16Array; valid?: Uint8Array }
  | { type: DataType.Int32; values: Int32Array; valid?: Uint8Array }
  | { type: DataType.Int64; values: BigInt64Array; valid?: Uint8Array }
  | { type: DataType.Float; values: Float32Array; valid?: Uint8Array }
  | { type: DataType.Double; values: Float64Array; valid?: Uint8Array }
  | { type: DataType.VarChar; values: string[]; valid?: Uint8Array }
  /** JSON documents as their UTF-8 text (validated JSON), as Milvus stores them. */
  | { type: DataType.JSON; values: string[]; valid?: Uint8Array }
  | { type: DataType.Array; elementType: DataType; values: ArrayCell[]; valid?: Uint8Array }
  /** Row-major, `dim` floats per row. */
  | { type: DataType.FloatVector; dim: number; values: Float32Array; valid?: Uint8Array }
  /** Row-major raw IEEE half / bfloat16 bits, `dim` per row. */
  | { type: DataType.Float16Vector; dim: number; values: Uint16Array; valid?: Uint8Array }
  | { type: DataType.BFloat16Vector; dim: number; values: Uint16Array; valid?: Uint8Array }
  /** Row-major packed bits, `dim / 8` bytes per row. */
  | { type: DataType.BinaryVector; dim: number; values: Uint8Array; valid?: Uint8Array }
  | { type: DataType.Int8Vector; dim: number; values: Int8Array; valid?: Uint8Array }
  | { type: DataType.SparseFloatVector; values: SparseVector[]; valid?: Uint8Array };

/** One cell of an Array field: a typed array for numeric/bool elements, strings for VarChar. */
export type ArrayCell = Uint8Array | Int32Array | BigInt64Array | Float32Array | Float64Array | string[];

/** Sorted, unique indices with their values. */
export interface SparseVector {
  indices: Uint32Array;
  values: Float32Array;
}

/** A batch of rows in columnar form, keyed by field name. */
export interface ColumnBatch {
  numRows: number;
  columns: Map<string, Column>;
}
