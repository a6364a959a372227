/** What visibility needs from a segment (a Segment satisfies it). */
export interface SegmentTimestamps {
  readonly numRows: number;
  insertTimestamps(): BigUint64Array;
  deleteTimestamps(): BigUint64Array;
}

/**
 * MVCC visibility of every row at `readTs` as a mask: a row is visible when insertTs ≤ readTs and
 * it is not deleted at readTs (deleteTs = 0 or deleteTs > readTs), the rule of Segment.isVisible.
 * Written into `out` when given (at least numRows long; a view of its first numRows bytes is
 * returned), so a caller can reuse one buffer instead of touching fresh memory per call.
 */
export function visibleMask(segment: SegmentTimestamps, readTs: bigint, out?: Uint8Array): Uint8Array {
  const numRows = segment.numRows;
  const inserted = segment.insertTimestamps();
  const deleted = segment.deleteTimestamps();
  const mask = out === undefined ? new Uint8Array(numRows) : out.subarray(0, numRows);
  for (let i = 0; i < numRows; i++) {
    // A delete-timestamp array shorter than the segment means "not deleted" for the rows past its end.
    const deleteTs = deleted[i] ?? 0n;
    mask[i] = inserted[i]! <= readTs && (deleteTs === 0n || deleteTs > readTs) ? 1 : 0;
  }
  return mask;
}
