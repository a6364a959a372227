/**
 * Reference cosine similarity, in float64. A zero vector has cosine 0 with anything (the kernels'
 * convention, instead of 0/0 = NaN).
 */
export function cosineSimilarity(
  a: Float32Array,
  aOffset: number,
  b: Float32Array,
  bOffset: number,
  dim: number,
): number {
  let product = 0;
  let aSquares = 0;
  let bSquares = 0;
  for (let i = 0; i < dim; i++) {
    const x = a[aOffset + i]!;
    const y = b[bOffset + i]!;
    product += x * y;
    aSquares += x * x;
    bSquares += y * y;
  }
  if (aSquares === 0 || bSquares === 0) return 0;
  return product / (Math.sqrt(aSquares) * Math.sqrt(bSquares));
}
