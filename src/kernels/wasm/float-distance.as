// Float32 pair kernels: squared L2, inner product and the sums of squares that cosine needs.
//
// Canonical accumulation order (every entry point goes through these helpers, so a pair's score is
// bit-identical whichever entry point computed it and however queries were batched):
//   8 f32x4 accumulators over 32-float chunks; then 4-float chunks into accumulator 0; then
//   ((a0+a1)+(a2+a3)) + ((a4+a5)+(a6+a7)); then lanes (l0+l1)+(l2+l3); then the scalar tail in order.
// Eight independent accumulators keep the adds from waiting on each other's latency.
// Pointers are byte offsets into linear memory; v128 loads need no alignment, so odd dims are fine.

@inline
export function horizontalSum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

@inline
function fold8(a0: v128, a1: v128, a2: v128, a3: v128, a4: v128, a5: v128, a6: v128, a7: v128): f32 {
  return horizontalSum(
    f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7))),
  );
}

@inline
export function l2Squared(a: usize, b: usize, dim: i32): f32 {
  let a0 = f32x4.splat(0);
  let a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
  let i = 0;
  for (; i + 32 <= dim; i += 32) {
    const pa = a + (<usize>i << 2);
    const pb = b + (<usize>i << 2);
    const d0 = f32x4.sub(v128.load(pa), v128.load(pb));
    const d1 = f32x4.sub(v128.load(pa, 16), v128.load(pb, 16));
    const d2 = f32x4.sub(v128.load(pa, 32), v128.load(pb, 32));
    const d3 = f32x4.sub(v128.load(pa, 48), v128.load(pb, 48));
    const d4 = f32x4.sub(v128.load(pa, 64), v128.load(pb, 64));
    const d5 = f32x4.sub(v128.load(pa, 80), v128.load(pb, 80));
    const d6 = f32x4.sub(v128.load(pa, 96), v128.load(pb, 96));
    const d7 = f32x4.sub(v128.load(pa, 112), v128.load(pb, 112));
    a0 = f32x4.add(a0, f32x4.mul(d0, d0));
    a1 = f32x4.add(a1, f32x4.mul(d1, d1));
    a2 = f32x4.add(a2, f32x4.mul(d2, d2));
    a3 = f32x4.add(a3, f32x4.mul(d3, d3));
    a4 = f32x4.add(a4, f32x4.mul(d4, d4));
    a5 = f32x4.add(a5, f32x4.mul(d5, d5));
    a6 = f32x4.add(a6, f32x4.mul(d6, d6));
    a7 = f32x4.add(a7, f32x4.mul(d7, d7));
  }
  for (; i + 4 <= dim; i += 4) {
    const d = f32x4.sub(v128.load(a + (<usize>i << 2)), v128.load(b + (<usize>i << 2)));
    a0 = f32x4.add(a0, f32x4.mul(d, d));
  }
  let sum = fold8(a0, a1, a2, a3, a4, a5, a6, a7);
  for (; i < dim; i++) {
    const d = load<f32>(a + (<usize>i << 2)) - load<f32>(b + (<usize>i << 2));
    sum += d * d;
  }
  return sum;
}

@inline
export function dot(a: usize, b: usize, dim: i32): f32 {
  let a0 = f32x4.splat(0);
  let a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
  let i = 0;
  for (; i + 32 <= dim; i += 32) {
    const pa = a + (<usize>i << 2);
    const pb = b + (<usize>i << 2);
    a0 = f32x4.add(a0, f32x4.mul(v128.load(pa), v128.load(pb)));
    a1 = f32x4.add(a1, f32x4.mul(v128.load(pa, 16), v128.load(pb, 16)));
    a2 = f32x4.add(a2, f32x4.mul(v128.load(pa, 32), v128.load(pb, 32)));
    a3 = f32x4.add(a3, f32x4.mul(v128.load(pa, 48), v128.load(pb, 48)));
    a4 = f32x4.add(a4, f32x4.mul(v128.load(pa, 64), v128.load(pb, 64)));
    a5 = f32x4.add(a5, f32x4.mul(v128.load(pa, 80), v128.load(pb, 80)));
    a6 = f32x4.add(a6, f32x4.mul(v128.load(pa, 96), v128.load(pb, 96)));
    a7 = f32x4.add(a7, f32x4.mul(v128.load(pa, 112), v128.load(pb, 112)));
  }
  for (; i + 4 <= dim; i += 4) {
    a0 = f32x4.add(a0, f32x4.mul(v128.load(a + (<usize>i << 2)), v128.load(b + (<usize>i << 2))));
  }
  let sum = fold8(a0, a1, a2, a3, a4, a5, a6, a7);
  for (; i < dim; i++) {
    sum += load<f32>(a + (<usize>i << 2)) * load<f32>(b + (<usize>i << 2));
  }
  return sum;
}

@inline
export function sumSquares(a: usize, dim: i32): f32 {
  let a0 = f32x4.splat(0);
  let a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
  let i = 0;
  for (; i + 32 <= dim; i += 32) {
    const pa = a + (<usize>i << 2);
    const v0 = v128.load(pa);
    const v1 = v128.load(pa, 16);
    const v2 = v128.load(pa, 32);
    const v3 = v128.load(pa, 48);
    const v4 = v128.load(pa, 64);
    const v5 = v128.load(pa, 80);
    const v6 = v128.load(pa, 96);
    const v7 = v128.load(pa, 112);
    a0 = f32x4.add(a0, f32x4.mul(v0, v0));
    a1 = f32x4.add(a1, f32x4.mul(v1, v1));
    a2 = f32x4.add(a2, f32x4.mul(v2, v2));
    a3 = f32x4.add(a3, f32x4.mul(v3, v3));
    a4 = f32x4.add(a4, f32x4.mul(v4, v4));
    a5 = f32x4.add(a5, f32x4.mul(v5, v5));
    a6 = f32x4.add(a6, f32x4.mul(v6, v6));
    a7 = f32x4.add(a7, f32x4.mul(v7, v7));
  }
  for (; i + 4 <= dim; i += 4) {
    const v = v128.load(a + (<usize>i << 2));
    a0 = f32x4.add(a0, f32x4.mul(v, v));
  }
  let sum = fold8(a0, a1, a2, a3, a4, a5, a6, a7);
  for (; i < dim; i++) {
    const v = load<f32>(a + (<usize>i << 2));
    sum += v * v;
  }
  return sum;
}

// Cosine without precomputed base norms: the dot product and the base row's sum of squares in one
// pass over the row. The second result goes out through a global (per instance, so safe when several
// instances share one memory). Same accumulation order as dot() and sumSquares(), so the result is
// bit-identical to using inverseNormsF32() output.
let dotBaseSquares: f32 = 0;

@inline
export function dotAndBaseSquares(q: usize, b: usize, dim: i32): f32 {
  let a0 = f32x4.splat(0);
  let a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
  let s0 = a0, s1 = a0, s2 = a0, s3 = a0, s4 = a0, s5 = a0, s6 = a0, s7 = a0;
  let i = 0;
  for (; i + 32 <= dim; i += 32) {
    const pq = q + (<usize>i << 2);
    const pb = b + (<usize>i << 2);
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    const b2 = v128.load(pb, 32);
    const b3 = v128.load(pb, 48);
    const b4 = v128.load(pb, 64);
    const b5 = v128.load(pb, 80);
    const b6 = v128.load(pb, 96);
    const b7 = v128.load(pb, 112);
    a0 = f32x4.add(a0, f32x4.mul(v128.load(pq), b0));
    a1 = f32x4.add(a1, f32x4.mul(v128.load(pq, 16), b1));
    a2 = f32x4.add(a2, f32x4.mul(v128.load(pq, 32), b2));
    a3 = f32x4.add(a3, f32x4.mul(v128.load(pq, 48), b3));
    a4 = f32x4.add(a4, f32x4.mul(v128.load(pq, 64), b4));
    a5 = f32x4.add(a5, f32x4.mul(v128.load(pq, 80), b5));
    a6 = f32x4.add(a6, f32x4.mul(v128.load(pq, 96), b6));
    a7 = f32x4.add(a7, f32x4.mul(v128.load(pq, 112), b7));
    s0 = f32x4.add(s0, f32x4.mul(b0, b0));
    s1 = f32x4.add(s1, f32x4.mul(b1, b1));
    s2 = f32x4.add(s2, f32x4.mul(b2, b2));
    s3 = f32x4.add(s3, f32x4.mul(b3, b3));
    s4 = f32x4.add(s4, f32x4.mul(b4, b4));
    s5 = f32x4.add(s5, f32x4.mul(b5, b5));
    s6 = f32x4.add(s6, f32x4.mul(b6, b6));
    s7 = f32x4.add(s7, f32x4.mul(b7, b7));
  }
  for (; i + 4 <= dim; i += 4) {
    const bv = v128.load(b + (<usize>i << 2));
    a0 = f32x4.add(a0, f32x4.mul(v128.load(q + (<usize>i << 2)), bv));
    s0 = f32x4.add(s0, f32x4.mul(bv, bv));
  }
  let sum = fold8(a0, a1, a2, a3, a4, a5, a6, a7);
  let squares = fold8(s0, s1, s2, s3, s4, s5, s6, s7);
  for (; i < dim; i++) {
    const bs = load<f32>(b + (<usize>i << 2));
    sum += load<f32>(q + (<usize>i << 2)) * bs;
    squares += bs * bs;
  }
  dotBaseSquares = squares;
  return sum;
}

@inline
export function lastBaseSquares(): f32 {
  return dotBaseSquares;
}

// 1 / ||v|| from a sum of squares, computed in f64 and rounded once. A zero vector gets 0, which makes
// its cosine with anything 0 instead of NaN.
@inline
export function inverseNorm(squares: f32): f32 {
  return squares > 0 ? <f32>(1.0 / Math.sqrt(<f64>squares)) : 0;
}
