import type { Column } from '../../schema/index.js';
import type { RowRef } from '../collection/collection-data.js';
import { concatColumns, gatherColumn } from '../segment/column-ops.js';
import type { Segment } from '../segment/segment.js';

/**
 * One field's values for `refs`, in the order of `refs`: rows are gathered per segment (one copy
 * each), then put in request order. Returns undefined when no segment has the column.
 */
export function projectRows(refs: readonly RowRef[], fieldName: string): Column | undefined {
  const groups = new Map<Segment, { rows: number[]; positions: number[] }>();
  refs.forEach((ref, position) => {
    let group = groups.get(ref.segment);
    if (!group) {
      group = { rows: [], positions: [] };
      groups.set(ref.segment, group);
    }
    group.rows.push(ref.row);
    group.positions.push(position);
  });
  const parts: Column[] = [];
  const order = new Int32Array(refs.length);
  let offset = 0;
  for (const [segment, group] of groups) {
    const column = segment.column(fieldName);
    if (!column) return undefined;
    parts.push(gatherColumn(column, group.rows));
    group.positions.forEach((position, i) => {
      order[position] = offset + i;
    });
    offset += group.rows.length;
  }
  if (parts.length === 0) return undefined;
  const combined = concatColumns(parts);
  if (groups.size === 1) return combined;
  return gatherColumn(combined, order);
}
