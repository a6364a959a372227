import type { LeafPlan } from './plan-leaf.js';

/**
 * Rows grouped by key position: key k's rows are rows[offsets[k]] .. rows[offsets[k + 1] - 1], or
 * with `offsets` undefined, key position k is row entry k itself (STL_SORT: one key per row).
 */
export interface PostingsLayout {
  readonly numRows: number;
  readonly offsets: Uint32Array | undefined;
  readonly rows: Uint32Array;
  readonly nullRows: Uint32Array;
  readonly nanRows: Uint32Array;
}

function setRows(mask: Uint8Array, rows: Uint32Array, from: number, to: number, value: number): void {
  for (let i = from; i < to; i++) mask[rows[i]!] = value;
}

/** Entry positions of key positions [start, end). */
function entries(layout: PostingsLayout, start: number, end: number): [number, number] {
  const { offsets } = layout;
  return offsets === undefined ? [start, end] : [offsets[start]!, offsets[end]!];
}

/** The byte mask (1 = match) of a plan over a postings layout. */
export function postingsMask(plan: LeafPlan, layout: PostingsLayout): Uint8Array {
  const { numRows, rows, nullRows, nanRows } = layout;
  const mask = new Uint8Array(numRows);
  switch (plan.kind) {
    case 'none':
      return mask;
    case 'nulls':
      setRows(mask, nullRows, 0, nullRows.length, 1);
      return mask;
    case 'notNulls':
      mask.fill(1);
      setRows(mask, nullRows, 0, nullRows.length, 0);
      return mask;
    case 'keyRanges': {
      const { ranges } = plan;
      for (let i = 0; i < ranges.length; i += 2) {
        const [from, to] = entries(layout, ranges[i]!, ranges[i + 1]!);
        setRows(mask, rows, from, to, 1);
      }
      return mask;
    }
    case 'notInKeyRange': {
      // Usually far fewer rows are equal than not: start from every row and clear.
      mask.fill(1);
      setRows(mask, nullRows, 0, nullRows.length, 0);
      setRows(mask, nanRows, 0, nanRows.length, 0);
      const [from, to] = entries(layout, plan.start, plan.end);
      setRows(mask, rows, from, to, 0);
      return mask;
    }
    case 'selectedKeys': {
      const { selected } = plan;
      for (let key = 0; key < selected.length; key++) {
        if (selected[key] === 0) continue;
        const [from, to] = entries(layout, key, key + 1);
        setRows(mask, rows, from, to, 1);
      }
      if (plan.nan) setRows(mask, nanRows, 0, nanRows.length, 1);
      return mask;
    }
    case 'everyGroup':
      return everyGroupMask(plan.groups, layout, mask);
  }
}

/**
 * Rows present in every group. Group g promotes rows whose count is g to g + 1, so a row listed
 * twice within one group (under -0 and +0, say) is still counted once.
 */
function everyGroupMask(
  groups: readonly (readonly number[])[],
  layout: PostingsLayout,
  mask: Uint8Array,
): Uint8Array {
  const counts = groups.length < 255 ? mask : new Uint32Array(layout.numRows);
  const { rows } = layout;
  for (let g = 0; g < groups.length; g++) {
    const ranges = groups[g]!;
    for (let r = 0; r < ranges.length; r += 2) {
      const [from, to] = entries(layout, ranges[r]!, ranges[r + 1]!);
      for (let i = from; i < to; i++) {
        const row = rows[i]!;
        if (counts[row] === g) counts[row] = g + 1;
      }
    }
  }
  const target = groups.length;
  for (let row = 0; row < layout.numRows; row++) mask[row] = counts[row] === target ? 1 : 0;
  return mask;
}
