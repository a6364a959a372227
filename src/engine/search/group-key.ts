import { type Column, DataType } from '../../schema/index.js';

/** Field types a search can group by, as Milvus allows (integers, bool, VarChar). */
export const GROUPABLE_TYPES: ReadonlySet<DataType> = new Set([
  DataType.Bool,
  DataType.Int8,
  DataType.Int16,
  DataType.Int32,
  DataType.Int64,
  DataType.VarChar,
]);

/**
 * The group a row belongs to: its value (bigint, number, string or boolean), or null for a null
 * value, which forms a group of its own. Map keys compare these by value (SameValueZero).
 */
export function groupKeyAt(column: Column, row: number): unknown {
  if (column.valid && column.valid[row] === 0) return null;
  if (column.type === DataType.Bool) return column.values[row] === 1;
  return (column.values as ArrayLike<unknown>)[row];
}
