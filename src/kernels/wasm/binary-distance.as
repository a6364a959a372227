// Binary-vector pair kernels on packed bits. A vector of dimBits bits occupies ceil(dimBits / 8) bytes,
// MSB-first (dimension j is bit 7 - j % 8 of byte j >> 3, as numpy.packbits and Milvus pack them).
// When dimBits is not a multiple of 8, the unused low bits of the last byte are masked off, so
// whatever they hold does not change the result.

// Popcount of 16-byte blocks: i8x16.popcnt, then pairwise widening into i16 lanes. Each block adds at
// most 16 to a lane, so a lane cannot overflow within POPCOUNT_BLOCKS_PER_FLUSH blocks
// (16 * 2048 = 32768 < 65536); the i16 lanes are widened into the i32 total before that.
const POPCOUNT_BLOCKS_PER_FLUSH: i32 = 2048;

@inline
function sumU16Lanes(v: v128): i32 {
  const wide = i32x4.extadd_pairwise_i16x8_u(v);
  return i32x4.extract_lane(wide, 0) + i32x4.extract_lane(wide, 1) + i32x4.extract_lane(wide, 2) + i32x4.extract_lane(wide, 3);
}

// Mask of the used bits of the last byte when dimBits % 8 != 0, else 0.
@inline
export function lastByteMask(dimBits: i32): i32 {
  const rest = dimBits & 7;
  return rest == 0 ? 0 : (0xff00 >> rest) & 0xff;
}

@inline
export function hammingBits(a: usize, b: usize, fullBytes: i32, tailMask: i32): i32 {
  let total = 0;
  let i = 0;
  while (i + 16 <= fullBytes) {
    let acc = i16x8.splat(0);
    let blocks = 0;
    for (; i + 16 <= fullBytes && blocks < POPCOUNT_BLOCKS_PER_FLUSH; i += 16) {
      const x = v128.xor(v128.load(a + <usize>i), v128.load(b + <usize>i));
      acc = i16x8.add(acc, i16x8.extadd_pairwise_i8x16_u(i8x16.popcnt(x)));
      blocks++;
    }
    total += sumU16Lanes(acc);
  }
  for (; i + 8 <= fullBytes; i += 8) {
    total += <i32>popcnt<u64>(load<u64>(a + <usize>i) ^ load<u64>(b + <usize>i));
  }
  for (; i < fullBytes; i++) {
    total += popcnt<u32>(<u32>(load<u8>(a + <usize>i) ^ load<u8>(b + <usize>i)));
  }
  if (tailMask != 0) {
    total += popcnt<u32>(<u32>((load<u8>(a + <usize>i) ^ load<u8>(b + <usize>i)) & tailMask));
  }
  return total;
}

// Jaccard distance 1 - |a AND b| / |a OR b|. Two all-zero vectors are identical, so their distance is 0
// (instead of 0/0).
@inline
export function jaccardDistance(a: usize, b: usize, fullBytes: i32, tailMask: i32): f32 {
  let both = 0;
  let either = 0;
  let i = 0;
  while (i + 16 <= fullBytes) {
    let accAnd = i16x8.splat(0);
    let accOr = i16x8.splat(0);
    let blocks = 0;
    for (; i + 16 <= fullBytes && blocks < POPCOUNT_BLOCKS_PER_FLUSH; i += 16) {
      const va = v128.load(a + <usize>i);
      const vb = v128.load(b + <usize>i);
      accAnd = i16x8.add(accAnd, i16x8.extadd_pairwise_i8x16_u(i8x16.popcnt(v128.and(va, vb))));
      accOr = i16x8.add(accOr, i16x8.extadd_pairwise_i8x16_u(i8x16.popcnt(v128.or(va, vb))));
      blocks++;
    }
    both += sumU16Lanes(accAnd);
    either += sumU16Lanes(accOr);
  }
  for (; i + 8 <= fullBytes; i += 8) {
    const x = load<u64>(a + <usize>i);
    const y = load<u64>(b + <usize>i);
    both += <i32>popcnt<u64>(x & y);
    either += <i32>popcnt<u64>(x | y);
  }
  for (; i < fullBytes; i++) {
    const x = <u32>load<u8>(a + <usize>i);
    const y = <u32>load<u8>(b + <usize>i);
    both += popcnt<u32>(x & y);
    either += popcnt<u32>(x | y);
  }
  if (tailMask != 0) {
    const x = <u32>load<u8>(a + <usize>i) & tailMask;
    const y = <u32>load<u8>(b + <usize>i) & tailMask;
    both += popcnt<u32>(x & y);
    either += popcnt<u32>(x | y);
  }
  return either == 0 ? 0 : <f32>(1.0 - <f64>both / <f64>either);
}
