// Bulk conversions between float32 and the 16-bit float formats Milvus stores (float16 = IEEE binary16,
// bfloat16 = the top half of a float32). Values are moved as raw bits (u16 in, u32 out and back), so
// NaN payloads are not canonicalised by float arithmetic on the way.
// Float32 -> 16-bit rounds to nearest, ties to even; overflow becomes Infinity; NaN stays a quiet NaN.

// 2^112: rescales a float16 exponent field placed in float32 position (bias 15 -> bias 127). The
// multiplication also turns float16 subnormals (exponent field 0) into the right normal float32.
const HALF_TO_FLOAT_SCALE: f32 = reinterpret<f32>(0x77800000);

@inline
function halfToFloatBits(h: u32): u32 {
  const sign = (h & 0x8000) << 16;
  const magnitude = h & 0x7fff;
  const shifted = magnitude << 13;
  if (magnitude >= 0x7c00) return shifted | 0x7f800000 | sign;
  return reinterpret<u32>(reinterpret<f32>(shifted) * HALF_TO_FLOAT_SCALE) | sign;
}

@inline
function halfToFloatBitsX4(h: v128): v128 {
  const sign = i32x4.shl(v128.and(h, i32x4.splat(0x8000)), 16);
  const magnitude = v128.and(h, i32x4.splat(0x7fff));
  const shifted = i32x4.shl(magnitude, 13);
  const finite = f32x4.mul(shifted, f32x4.splat(HALF_TO_FLOAT_SCALE));
  const special = v128.or(shifted, i32x4.splat(0x7f800000));
  const isSpecial = i32x4.ge_s(magnitude, i32x4.splat(0x7c00));
  return v128.or(v128.bitselect(special, finite, isSpecial), sign);
}

// dst[i] (f32) = src[i] (float16 bits), for i < count.
export function f16ToF32(src: usize, dst: usize, count: i32): void {
  let i = 0;
  for (; i + 8 <= count; i += 8) {
    const h = v128.load(src + (<usize>i << 1));
    const out = dst + (<usize>i << 2);
    v128.store(out, halfToFloatBitsX4(i32x4.extend_low_i16x8_u(h)));
    v128.store(out, halfToFloatBitsX4(i32x4.extend_high_i16x8_u(h)), 16);
  }
  for (; i < count; i++) {
    store<u32>(dst + (<usize>i << 2), halfToFloatBits(<u32>load<u16>(src + (<usize>i << 1))));
  }
}

// Round-to-nearest-even float32 -> float16 (after F. Giesen's float_to_half_fast3_rtne).
@inline
function floatToHalfBits(bits: u32): u32 {
  const sign = (bits >> 16) & 0x8000;
  let x = bits & 0x7fffffff;
  let half: u32;
  if (x >= 0x47800000) {
    // >= 65536, Infinity or NaN. (Values in [65520, 65536) overflow to Infinity below, by rounding.)
    half = x > 0x7f800000 ? 0x7e00 : 0x7c00;
  } else if (x < 0x38800000) {
    // Below the smallest normal float16 (2^-14): adding 0.5 leaves exactly the float16 subnormal
    // units in the low mantissa bits, rounded to nearest even by the float addition itself.
    const magic: u32 = 0x3f000000;
    half = reinterpret<u32>(reinterpret<f32>(x) + reinterpret<f32>(magic)) - magic;
  } else {
    const mantissaOdd = (x >> 13) & 1;
    x += 0xc8000fff; // rebias the exponent (15 - 127) << 23, plus the rounding bias 0xfff
    x += mantissaOdd;
    half = x >> 13;
  }
  return half | sign;
}

// dst[i] (float16 bits) = src[i] (f32), for i < count.
export function f32ToF16(src: usize, dst: usize, count: i32): void {
  for (let i = 0; i < count; i++) {
    store<u16>(dst + (<usize>i << 1), <u16>floatToHalfBits(load<u32>(src + (<usize>i << 2))));
  }
}

// dst[i] (f32) = src[i] (bfloat16 bits), for i < count.
export function bf16ToF32(src: usize, dst: usize, count: i32): void {
  let i = 0;
  for (; i + 8 <= count; i += 8) {
    const h = v128.load(src + (<usize>i << 1));
    const out = dst + (<usize>i << 2);
    v128.store(out, i32x4.shl(i32x4.extend_low_i16x8_u(h), 16));
    v128.store(out, i32x4.shl(i32x4.extend_high_i16x8_u(h), 16), 16);
  }
  for (; i < count; i++) {
    store<u32>(dst + (<usize>i << 2), (<u32>load<u16>(src + (<usize>i << 1))) << 16);
  }
}

@inline
function floatToBfloatBits(bits: u32): u32 {
  if ((bits & 0x7fffffff) > 0x7f800000) return (bits >> 16) | 0x40;
  return (bits + 0x7fff + ((bits >> 16) & 1)) >> 16;
}

@inline
function floatToBfloatBitsX4(x: v128): v128 {
  const lsb = v128.and(i32x4.shr_u(x, 16), i32x4.splat(1));
  const rounded = i32x4.shr_u(i32x4.add(i32x4.add(x, i32x4.splat(0x7fff)), lsb), 16);
  const quietNaN = v128.or(i32x4.shr_u(x, 16), i32x4.splat(0x40));
  const isNaN = i32x4.gt_s(v128.and(x, i32x4.splat(0x7fffffff)), i32x4.splat(0x7f800000));
  return v128.bitselect(quietNaN, rounded, isNaN);
}

// dst[i] (bfloat16 bits) = src[i] (f32), for i < count.
export function f32ToBf16(src: usize, dst: usize, count: i32): void {
  let i = 0;
  for (; i + 8 <= count; i += 8) {
    const p = src + (<usize>i << 2);
    const low = floatToBfloatBitsX4(v128.load(p));
    const high = floatToBfloatBitsX4(v128.load(p, 16));
    // Every lane is in [0, 0xffff], so the saturating narrow is an exact truncation.
    v128.store(dst + (<usize>i << 1), i16x8.narrow_i32x4_u(low, high));
  }
  for (; i < count; i++) {
    store<u16>(dst + (<usize>i << 1), <u16>floatToBfloatBits(load<u32>(src + (<usize>i << 2))));
  }
}
