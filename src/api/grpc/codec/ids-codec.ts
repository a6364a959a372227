import { errors } from '../../../errors/index.js';
import { type Column, DataType, dataTypeName } from '../../../schema/index.js';

/** schema.IDs as the codec hands it over and takes it back (oneof name in `id_field`). */
export interface WireIds {
  id_field?: string;
  int_id?: { data: (string | number)[] } | null;
  str_id?: { data: string[] } | null;
}

function rowCount(column: Column): number {
  return column.values.length;
}

/**
 * Primary keys as schema.IDs: Int64 keys as decimal strings in `int_id`, VarChar keys in `str_id`.
 * `rowIndices` picks and orders rows (search hits); without it every row is sent in order.
 */
export function encodeIds(column: Column, rowIndices?: ArrayLike<number>): WireIds {
  const count = rowIndices === undefined ? rowCount(column) : rowIndices.length;
  const rowAt = (i: number): number => (rowIndices === undefined ? i : (rowIndices[i] ?? 0));
  if (column.type === DataType.Int64) {
    const data = new Array<string>(count);
    for (let i = 0; i < count; i++) data[i] = String(column.values[rowAt(i)] ?? 0n);
    return { int_id: { data }, id_field: 'int_id' };
  }
  if (column.type === DataType.VarChar) {
    const data = new Array<string>(count);
    for (let i = 0; i < count; i++) data[i] = column.values[rowAt(i)] ?? '';
    return { str_id: { data }, id_field: 'str_id' };
  }
  throw errors.unexpected(`primary keys cannot be of type ${dataTypeName(column.type)}`);
}

/** The keys of a search-by-pk request; undefined when neither oneof member is set. */
export function decodeIds(wire: WireIds | null | undefined): Column | undefined {
  if (!wire) return undefined;
  const member = wire.id_field ?? (wire.int_id ? 'int_id' : wire.str_id ? 'str_id' : undefined);
  if (member === 'int_id' && wire.int_id) {
    const values = new BigInt64Array(wire.int_id.data.length);
    wire.int_id.data.forEach((id, i) => {
      values[i] = BigInt(id);
    });
    return { type: DataType.Int64, values };
  }
  if (member === 'str_id' && wire.str_id) return { type: DataType.VarChar, values: [...wire.str_id.data] };
  return undefined;
}
