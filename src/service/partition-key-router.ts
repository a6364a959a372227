import { gatherColumn } from '../engine/segment/column-ops.js';
import { errors } from '../errors/index.js';
import { type ColumnBatch, DataType, type FieldSchema } from '../schema/index.js';
import type { PartitionInfo } from './catalog/catalog-model.js';

/** FNV-1a over bytes: stable across processes and versions, which routing must be. */
function fnv1a(bytes: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    hash ^= bytes[i]!;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

const int64Bytes = new BigInt64Array(1);
const int64View = new Uint8Array(int64Bytes.buffer);

/** Index of the partition a partition-key value belongs to, among `count` partitions. */
export function partitionIndexOf(value: bigint | string, count: number): number {
  if (typeof value === 'bigint') {
    int64Bytes[0] = value;
    return fnv1a(int64View) % count;
  }
  return fnv1a(Buffer.from(value, 'utf8')) % count;
}

/**
 * Splits a batch of a partition-key collection into one batch per partition, by hashing each row's
 * partition-key value. Partitions are `_default_0` … `_default_{n-1}`, in that order.
 */
export function routeByPartitionKey(
  batch: ColumnBatch,
  keyField: FieldSchema,
  partitions: readonly PartitionInfo[],
): Array<{ partitionId: number; batch: ColumnBatch }> {
  const column = batch.columns.get(keyField.name);
  if (!column) throw errors.parameterInvalid(`partition key field ${keyField.name} is missing`);
  const values: ArrayLike<bigint | string> =
    column.type === DataType.Int64 || column.type === DataType.VarChar
      ? (column.values as ArrayLike<bigint | string>)
      : [];
  const rowsByPartition = new Map<number, number[]>();
  for (let row = 0; row < batch.numRows; row++) {
    const index = partitionIndexOf(values[row]!, partitions.length);
    let rows = rowsByPartition.get(index);
    if (!rows) {
      rows = [];
      rowsByPartition.set(index, rows);
    }
    rows.push(row);
  }
  if (rowsByPartition.size === 1) {
    const [index] = rowsByPartition.keys();
    return [{ partitionId: partitions[index!]!.id, batch }];
  }
  return [...rowsByPartition].map(([index, rows]) => ({
    partitionId: partitions[index]!.id,
    batch: {
      numRows: rows.length,
      columns: new Map([...batch.columns].map(([name, c]) => [name, gatherColumn(c, rows)])),
    },
  }));
}
