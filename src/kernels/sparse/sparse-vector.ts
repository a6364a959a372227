/**
 * A sparse vector as Milvus's SPARSE_FLOAT_VECTOR: strictly ascending uint32 dimensions with float32
 * values. Structurally identical to `SparseVector` in src/schema/column.ts (kernels may not import
 * schema, so the shape is declared again here).
 */
export interface SparseVector {
  indices: Uint32Array;
  values: Float32Array;
}

/** Throws a RangeError unless `vector` has equal-length, strictly ascending indices and finite values. */
export function validateSparseVector(vector: SparseVector, what: string): void {
  const { indices, values } = vector;
  if (!(indices instanceof Uint32Array) || !(values instanceof Float32Array)) {
    throw new RangeError(`${what}: indices must be a Uint32Array and values a Float32Array`);
  }
  if (indices.length !== values.length) {
    throw new RangeError(`${what}: ${indices.length} indices but ${values.length} values`);
  }
  for (let i = 0; i < indices.length; i++) {
    if (i > 0 && indices[i]! <= indices[i - 1]!) {
      throw new RangeError(`${what}: indices must be strictly ascending (position ${i})`);
    }
    if (!Number.isFinite(values[i]!)) throw new RangeError(`${what}: value at position ${i} is not finite`);
  }
}

/**
 * Knowhere's drop rule (drop_ratio_build / drop_ratio_search): sort the magnitudes, take the one at
 * position floor(count * ratio) as the threshold and keep every value whose magnitude is >= it (ties at
 * the threshold are kept). Zero values are dropped too: they contribute nothing to any inner product.
 * Returns the threshold (0 when nothing is dropped by magnitude).
 */
export function dropThreshold(values: Float32Array, ratio: number): number {
  if (ratio === 0 || values.length === 0) return 0;
  const magnitudes = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) magnitudes[i] = Math.abs(values[i]!);
  magnitudes.sort();
  return magnitudes[Math.floor(values.length * ratio)]!;
}

export function validateDropRatio(ratio: number, name: string): void {
  if (!(ratio >= 0 && ratio < 1)) throw new RangeError(`${name} must be in [0, 1), got ${ratio}`);
}
