import { type Column, DataType, type FieldSchema } from '../../schema/index.js';
import { emptyColumn, vectorWidth } from './column-ops.js';
import { GrowableArray, type GrowableStorage } from './growable-array.js';

type NumericKind =
  | Uint8ArrayConstructor
  | Int8ArrayConstructor
  | Int16ArrayConstructor
  | Uint16ArrayConstructor
  | Int32ArrayConstructor
  | Float32ArrayConstructor
  | Float64ArrayConstructor
  | BigInt64ArrayConstructor;

function numericKind(type: DataType): NumericKind | undefined {
  switch (type) {
    case DataType.Bool:
    case DataType.BinaryVector:
      return Uint8Array;
    case DataType.Int8:
    case DataType.Int8Vector:
      return Int8Array;
    case DataType.Int16:
      return Int16Array;
    case DataType.Int32:
      return Int32Array;
    case DataType.Int64:
      return BigInt64Array;
    case DataType.Float:
    case DataType.FloatVector:
      return Float32Array;
    case DataType.Double:
      return Float64Array;
    case DataType.Float16Vector:
    case DataType.BFloat16Vector:
      return Uint16Array;
    default:
      return undefined;
  }
}

/**
 * One field's values in a growing segment: typed arrays for numbers and vectors (vectors in
 * SharedArrayBuffer), plain arrays for strings, JSON, arrays and sparse vectors. `view()` returns
 * a Column over everything appended so far; it is cached until the next append.
 */
export class ColumnStore {
  private readonly numeric: GrowableArray<Uint8Array> | undefined;
  private readonly plain: unknown[] | undefined;
  private readonly valid: GrowableArray<Uint8Array> | undefined;
  private readonly width: number;
  private rows = 0;
  private cached: Column | undefined;

  /** `vectorStorage`: where float32 and binary vectors go (kernel memory), see GrowableStorage. */
  constructor(
    private readonly field: FieldSchema,
    initialRows = 1024,
    vectorStorage?: GrowableStorage,
  ) {
    const kind = numericKind(field.dataType);
    const dim = Number(field.typeParams.dim ?? '0');
    this.width =
      field.dataType === DataType.BinaryVector
        ? dim / 8
        : [
              DataType.FloatVector,
              DataType.Float16Vector,
              DataType.BFloat16Vector,
              DataType.Int8Vector,
            ].includes(field.dataType)
          ? dim
          : 1;
    const isVector = this.width > 1 || field.dataType === DataType.BinaryVector;
    if (kind) {
      const scannedInPlace =
        field.dataType === DataType.FloatVector || field.dataType === DataType.BinaryVector;
      this.numeric = new GrowableArray(
        kind as never,
        initialRows * this.width,
        isVector,
        scannedInPlace ? vectorStorage : undefined,
      ) as never;
    } else {
      this.plain = [];
    }
    if (field.nullable) this.valid = new GrowableArray(Uint8Array, initialRows);
  }

  get length(): number {
    return this.rows;
  }

  /** Appends all rows of `column` (which has `rows` rows); a missing column appends nulls or defaults. */
  append(column: Column | undefined, rows: number): void {
    const source = column ?? emptyColumn(this.field, rows, this.field.nullable ? 'null' : 'zero');
    if (this.numeric) {
      this.numeric.append(source.values as Uint8Array);
    } else {
      for (const value of source.values as unknown[]) this.plain!.push(value);
    }
    if (this.valid) {
      if (source.valid) this.valid.append(source.valid);
      else this.valid.append(new Uint8Array(rows).fill(1));
    }
    this.rows += rows;
    this.cached = undefined;
  }

  view(): Column {
    if (this.cached) return this.cached;
    const dim = Number(this.field.typeParams.dim ?? '0');
    // Plain arrays only ever grow by push, so the array itself is exactly `rows` long.
    const values = this.numeric ? this.numeric.view() : this.plain!;
    const column = {
      type: this.field.dataType,
      ...(this.field.dataType === DataType.Array ? { elementType: this.field.elementType } : {}),
      ...(this.width > 1 || this.field.dataType === DataType.BinaryVector ? { dim } : {}),
      values,
      ...(this.valid ? { valid: this.valid.view() } : {}),
    } as Column;
    this.cached = column;
    return column;
  }

  /** Elements per row in the backing array (vector dim, bytes per binary vector, or 1). */
  get rowWidth(): number {
    return this.width;
  }

  static widthOf(column: Column): number {
    return vectorWidth(column);
  }
}
