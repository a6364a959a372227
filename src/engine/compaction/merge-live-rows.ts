import type { Column } from '../../schema/index.js';
import { concatColumns, gatherColumn } from '../segment/column-ops.js';
import type { Segment } from '../segment/segment.js';

export interface MergeInput {
  segment: Segment;
  /** Rows of `segment` to keep, ascending. */
  rows: Uint32Array;
}

export interface MergedRows {
  numRows: number;
  columns: Map<string, Column>;
  insertTimestamps: BigUint64Array;
  maxLsn: bigint;
}

/** Rows of a segment that are live now (no delete timestamp). */
export function liveRowsOf(segment: Segment): Uint32Array {
  const deleted = segment.deleteTimestamps();
  const rows = new Uint32Array(segment.liveRows);
  let j = 0;
  for (let row = 0; row < segment.numRows; row++) if (deleted[row] === 0n) rows[j++] = row;
  return j === rows.length ? rows : rows.subarray(0, j);
}

/**
 * Concatenates the kept rows of several segments into the columns of one new segment. Pure: reads
 * the inputs, allocates the output, touches nothing else.
 */
export function mergeLiveRows(inputs: readonly MergeInput[], fieldNames: readonly string[]): MergedRows {
  let numRows = 0;
  let maxLsn = 0n;
  for (const input of inputs) {
    numRows += input.rows.length;
    if (input.segment.maxLsn > maxLsn) maxLsn = input.segment.maxLsn;
  }
  const insertTimestamps = new BigUint64Array(numRows);
  let offset = 0;
  for (const { segment, rows } of inputs) {
    const source = segment.insertTimestamps();
    for (let i = 0; i < rows.length; i++) insertTimestamps[offset + i] = source[rows[i]!]!;
    offset += rows.length;
  }
  const columns = new Map<string, Column>();
  for (const name of fieldNames) {
    const parts: Column[] = [];
    for (const { segment, rows } of inputs) {
      const column = segment.column(name);
      if (column) parts.push(gatherColumn(column, rows));
    }
    if (parts.length > 0) columns.set(name, concatColumns(parts));
  }
  return { numRows, columns, insertTimestamps, maxLsn };
}
