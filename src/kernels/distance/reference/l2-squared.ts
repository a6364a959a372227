/**
 * Reference squared Euclidean distance between a[aOffset .. aOffset+dim) and b[bOffset .. bOffset+dim),
 * accumulated in float64 (the WASM kernel accumulates in float32, so the two agree within rounding).
 */
export function l2Squared(
  a: Float32Array,
  aOffset: number,
  b: Float32Array,
  bOffset: number,
  dim: number,
): number {
  let sum = 0;
  for (let i = 0; i < dim; i++) {
    const d = a[aOffset + i]! - b[bOffset + i]!;
    sum += d * d;
  }
  return sum;
}
