/**
 * Walks the selected rows of a mask in order (every row when the mask is undefined), skipping
 * four unselected rows at a time through a Uint32Array view. Leaves that do real work per row
 * (strings, JSON, arrays) iterate with it, so the rows an `and` has already ruled out cost
 * little: `for (let row = cursor.first(); row < n; row = cursor.next(row))`.
 */
export class RowCursor {
  private readonly words: Uint32Array | undefined;

  constructor(
    private readonly rows: Uint8Array | undefined,
    private readonly numRows: number,
  ) {
    this.words =
      rows !== undefined && rows.byteOffset % 4 === 0
        ? new Uint32Array(rows.buffer, rows.byteOffset, numRows >>> 2)
        : undefined;
  }

  first(): number {
    return this.seek(0);
  }

  next(row: number): number {
    return this.seek(row + 1);
  }

  /** The first selected row at or after `from`, or numRows. */
  private seek(from: number): number {
    const rows = this.rows;
    if (rows === undefined) return from;
    const words = this.words;
    const n = this.numRows;
    let row = from;
    while (row < n) {
      if (words !== undefined && (row & 3) === 0) {
        let word = row >>> 2;
        while (word < words.length && words[word] === 0) word++;
        row = word << 2;
        if (row >= n) return n;
      }
      if (rows[row] !== 0) return row;
      row++;
    }
    return n;
  }
}
