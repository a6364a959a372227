import type { ColumnRef } from '../../expr/index.js';
import { DataType } from '../../schema/index.js';

/** The type of the value a column reference reads: the element type for `arr[i]`, else the field's type. */
export function valueTypeOf(column: ColumnRef): DataType {
  if (column.dataType === DataType.Array && column.nestedPath.length > 0) return column.elementType;
  return column.dataType;
}
