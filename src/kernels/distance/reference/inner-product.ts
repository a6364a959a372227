/** Reference inner product of a[aOffset .. aOffset+dim) and b[bOffset .. bOffset+dim), in float64. */
export function innerProduct(
  a: Float32Array,
  aOffset: number,
  b: Float32Array,
  bOffset: number,
  dim: number,
): number {
  let sum = 0;
  for (let i = 0; i < dim; i++) sum += a[aOffset + i]! * b[bOffset + i]!;
  return sum;
}
