import type { IrExpr } from '../../expr/index.js';
import type { Column } from '../../schema/index.js';

/** Milvus's scalar index types (AUTOINDEX on a scalar field resolves to one of these). */
export type ScalarIndexType = 'INVERTED' | 'STL_SORT' | 'Trie' | 'BITMAP';

/**
 * A per-segment index over one scalar field, built from the segment's column and read-only after.
 * The vectorized filter evaluator asks it to answer leaf predicates; an index answers the ones it
 * can and returns undefined for the rest (the evaluator then scans the column).
 */
export interface ScalarIndex {
  readonly type: ScalarIndexType;
  /** Rows covered (the segment's row count when built). */
  readonly numRows: number;
  /**
   * Rows matching `leaf` as a byte mask (1 = match, 0 = no match, length numRows), or undefined
   * when this index cannot answer that predicate. Nulls never match (as in Milvus).
   *
   * The answer is exactly evaluateRow's for that leaf on every row (the tests compare every bit),
   * type-mixing rules included. A leaf on another field, on a JSON path or array element, or of a
   * kind the index does not know gives undefined. The mask is a fresh array the caller owns (its
   * buffer may be a few bytes longer than numRows). Synchronous, no I/O.
   */
  evaluate(leaf: IrExpr): Uint8Array | undefined;
  /**
   * The index in its on-disk form (docs/FORMATS.md, "Scalar index file"); chunks are written in
   * order. Chunks are views of the index's arrays, not copies.
   */
  serialize(): Uint8Array[];
  /** Approximate memory held, for metrics and DescribeIndex. */
  readonly sizeBytes: number;
}

/** Builds and loads one index type; registered in scalar-index-registry.ts. */
export interface ScalarIndexFactory {
  readonly type: ScalarIndexType;
  /**
   * Builds the index of a segment column. Throws IndexNotSupported for a column type the index type
   * does not hold (checkScalarIndexApplicable gives Milvus's CreateIndex errors before that).
   */
  build(column: Column): ScalarIndex;
  /**
   * Loads an index from its file bytes, verifying checksums and structure; a damaged file throws
   * ScalarIndexFileCorruptError, whose message names `source` (the file path) when given. The index
   * may keep views of `bytes`: the caller must not modify them afterwards.
   */
  deserialize(bytes: Uint8Array, source?: string): ScalarIndex;
}
