import { evaluateRow, type FilterIr, type GenericValue } from '../../expr/index.js';
import type { CollectionData, PkValue, RowRef } from '../collection/collection-data.js';
import { referencedFields } from './referenced-fields.js';
import { cellValue } from './row-object.js';

function keyOf(value: GenericValue): PkValue | undefined {
  if (value.kind === 'int64') return value.value;
  if (value.kind === 'string') return value.value;
  return undefined;
}

/** `pk in [...]` and `pk == x` are answered from the primary-key index, without a scan. */
function primaryKeyLookup(ir: FilterIr): PkValue[] | undefined {
  if (ir.kind === 'term' && ir.column.isPrimaryKey && ir.column.nestedPath.length === 0) {
    const keys = ir.values.map(keyOf);
    return keys.every((k) => k !== undefined) ? (keys as PkValue[]) : undefined;
  }
  if (
    ir.kind === 'compare' &&
    ir.op === '==' &&
    ir.column.isPrimaryKey &&
    ir.column.nestedPath.length === 0
  ) {
    const key = keyOf(ir.value);
    return key === undefined ? undefined : [key];
  }
  return undefined;
}

/**
 * Rows visible at `readTs` (in the given partitions) that match the filter. Primary-key filters use
 * the index; anything else is scanned row by row with the reference evaluator.
 */
export function filterRows(
  data: CollectionData,
  ir: FilterIr,
  readTs: bigint,
  partitionIds?: ReadonlySet<number>,
): RowRef[] {
  const keys = primaryKeyLookup(ir);
  if (keys) {
    return data.lookup(keys, partitionIds).filter((ref) => ref.segment.isVisible(ref.row, readTs));
  }
  if (ir.kind === 'alwaysFalse') return [];
  const fields = [...referencedFields(ir)];
  const matched: RowRef[] = [];
  for (const partition of data.partitions.values()) {
    if (partitionIds && !partitionIds.has(partition.id)) continue;
    for (const segment of partition.segments) {
      const columns = fields.map((name) => [name, segment.column(name)] as const);
      for (let row = 0; row < segment.numRows; row++) {
        if (!segment.isVisible(row, readTs)) continue;
        if (ir.kind !== 'alwaysTrue') {
          const values: Record<string, unknown> = {};
          for (const [name, column] of columns) values[name] = column ? cellValue(column, row) : null;
          if (!evaluateRow(ir, values)) continue;
        }
        matched.push({ segment, row });
      }
    }
  }
  return matched;
}
