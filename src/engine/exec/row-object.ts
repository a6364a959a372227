import { type Column, DataType } from '../../schema/index.js';

/**
 * The value of one cell as the reference row evaluator expects it: Int64 as bigint, JSON parsed,
 * Array cells as plain arrays (bool elements as booleans), null for a null cell.
 */
export function cellValue(column: Column, row: number): unknown {
  if (column.valid && column.valid[row] === 0) return null;
  switch (column.type) {
    case DataType.Bool:
      return column.values[row] === 1;
    case DataType.JSON: {
      const text = column.values[row]!;
      return text === '' ? null : JSON.parse(text);
    }
    case DataType.Array: {
      const cell = column.values[row]!;
      if (column.elementType === DataType.Bool) return Array.from(cell as Uint8Array, (b) => b === 1);
      return Array.from(cell as ArrayLike<unknown>);
    }
    case DataType.FloatVector:
    case DataType.Float16Vector:
    case DataType.BFloat16Vector:
    case DataType.BinaryVector:
    case DataType.Int8Vector:
    case DataType.SparseFloatVector:
      return undefined; // vectors are never filtered on
    default:
      return (column.values as ArrayLike<unknown>)[row];
  }
}
