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
   */
  evaluate(leaf: IrExpr): Uint8Array | undefined;
  /** The index in its on-disk form (see docs/FORMATS.md); chunks are written in order. */
  serialize(): Uint8Array[];
  /** Approximate memory held, for metrics and DescribeIndex. */
  readonly sizeBytes: number;
}

/** Builds and loads one index type; registered in scalar-index-registry.ts. */
export interface ScalarIndexFactory {
  readonly type: ScalarIndexType;
  build(column: Column): ScalarIndex;
  deserialize(bytes: Uint8Array): ScalarIndex;
}
