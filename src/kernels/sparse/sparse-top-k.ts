/**
 * A bounded top-k of (score, row) pairs for similarity scores: the root is the worst kept entry
 * (lowest score, and among equal scores the highest row), so "better" means a higher score, ties
 * broken by the lower row, the order Milvus reports. Reused across queries of one index.
 */
export class SparseTopK {
  private readonly scores: Float64Array;
  private readonly rows: Int32Array;
  private capacity = 0;
  size = 0;

  constructor(maxK: number) {
    this.scores = new Float64Array(maxK);
    this.rows = new Int32Array(maxK);
  }

  get maxK(): number {
    return this.scores.length;
  }

  reset(k: number): void {
    this.capacity = k;
    this.size = 0;
  }

  get full(): boolean {
    return this.size === this.capacity;
  }

  /** Score of the worst kept entry; -Infinity until k entries are kept. */
  get threshold(): number {
    return this.size === this.capacity ? this.scores[0]! : -Infinity;
  }

  /** Offers a row; kept when the heap is not full or it beats the current worst entry. */
  push(score: number, row: number): void {
    const scores = this.scores;
    const rows = this.rows;
    if (this.size < this.capacity) {
      // Sift up: parents must be worse than or equal to children.
      let i = this.size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        const ps = scores[parent]!;
        if (ps < score || (ps === score && rows[parent]! > row)) break;
        scores[i] = ps;
        rows[i] = rows[parent]!;
        i = parent;
      }
      scores[i] = score;
      rows[i] = row;
      return;
    }
    const rs = scores[0]!;
    if (score < rs || (score === rs && row > rows[0]!)) return;
    // Replace the root and sift down.
    this.siftDown(score, row, this.size);
  }

  /** Writes the kept entries best first into ids/scores at `offset`, pads to k; returns the count. */
  drainInto(ids: Int32Array, out: Float32Array, offset: number, k: number): number {
    const count = this.size;
    // Pop the worst repeatedly, filling from the back.
    for (let slot = count - 1; slot >= 0; slot--) {
      ids[offset + slot] = this.rows[0]!;
      out[offset + slot] = this.scores[0]!;
      this.popRoot();
    }
    for (let slot = count; slot < k; slot++) {
      ids[offset + slot] = -1;
      out[offset + slot] = Number.NaN;
    }
    return count;
  }

  private popRoot(): void {
    const n = --this.size;
    if (n === 0) return;
    this.siftDown(this.scores[n]!, this.rows[n]!, n);
  }

  /** Puts (score, row) at the root of the first n entries and sifts it down to its place. */
  private siftDown(score: number, row: number, n: number): void {
    const scores = this.scores;
    const rows = this.rows;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      let worst = left;
      const right = left + 1;
      if (right < n) {
        const ls = scores[left]!;
        const rs = scores[right]!;
        if (rs < ls || (rs === ls && rows[right]! > rows[left]!)) worst = right;
      }
      const ws = scores[worst]!;
      if (score < ws || (score === ws && row > rows[worst]!)) break;
      scores[i] = ws;
      rows[i] = rows[worst]!;
      i = worst;
    }
    scores[i] = score;
    rows[i] = row;
  }
}
