import type { FilterIr, GenericValue } from '../../expr/index.js';
import type { CollectionData, PkValue, RowRef } from '../collection/collection-data.js';
import type { ScalarIndex } from '../scalar-index/scalar-index.js';
import type { Segment } from '../segment/segment.js';
import { evaluateFilter } from './evaluate-filter.js';
import { maskToRows } from './mask-to-rows.js';
import { visibleMask } from './visible-mask.js';

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

/** The scalar indexes of a segment, by field name (empty for growing segments). */
export type SegmentIndexes = (segment: Segment) => ReadonlyMap<string, ScalarIndex>;

/**
 * Rows visible at `readTs` (in the given partitions) that match the filter. Primary-key filters use
 * the key index; anything else is evaluated a column at a time per segment (evaluateFilter), over
 * the visible rows only, asking the segment's scalar indexes first.
 */
export function filterRows(
  data: CollectionData,
  ir: FilterIr,
  readTs: bigint,
  partitionIds?: ReadonlySet<number>,
  indexesOf?: SegmentIndexes,
): RowRef[] {
  const keys = primaryKeyLookup(ir);
  if (keys) {
    return data.lookup(keys, partitionIds).filter((ref) => ref.segment.isVisible(ref.row, readTs));
  }
  if (ir.kind === 'alwaysFalse') return [];
  const matched: RowRef[] = [];
  for (const partition of data.partitions.values()) {
    if (partitionIds && !partitionIds.has(partition.id)) continue;
    for (const segment of partition.segments) {
      if (segment.numRows === 0) continue;
      const visible = visibleMask(segment, readTs);
      const mask =
        ir.kind === 'alwaysTrue'
          ? visible
          : evaluateFilter(ir, segment, { candidates: visible, indexes: indexesOf?.(segment) });
      for (const row of maskToRows(mask)) matched.push({ segment, row });
    }
  }
  return matched;
}
