/**
 * Top-k results of a block of queries. Query j's results are entries [j * k, j * k + count) of ids and
 * scores, best first (distances ascending, similarities descending, ties by lower row); entries from
 * count to k are padding: id -1, score NaN.
 */
export interface TopKResult {
  readonly nq: number;
  readonly k: number;
  /** Results per query: min(k, number of candidate rows). The same for every query of a scan. */
  count: number;
  /** Row offsets into the base vectors. */
  readonly ids: Int32Array;
  readonly scores: Float32Array;
}

export function createTopKResult(nq: number, k: number): TopKResult {
  return { nq, k, count: 0, ids: new Int32Array(nq * k), scores: new Float32Array(nq * k) };
}
