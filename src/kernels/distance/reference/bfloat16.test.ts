import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bfloat16ToNumber, float32ToBfloat16Bits } from './bfloat16.js';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
function fromBits(bits: number): number {
  u32[0] = bits;
  return f32[0]!;
}

test('bfloat16ToNumber is the top half of a float32', () => {
  assert.equal(bfloat16ToNumber(0x3f80), 1);
  assert.equal(bfloat16ToNumber(0xc040), -3);
  assert.equal(bfloat16ToNumber(0x0001), 2 ** -133);
  assert.equal(bfloat16ToNumber(0x7f80), Infinity);
  assert.ok(Number.isNaN(bfloat16ToNumber(0x7fc0)));
  for (let bits = 0; bits < 0x10000; bits += 7) {
    const value = bfloat16ToNumber(bits);
    const expected = fromBits(bits << 16);
    if (Number.isNaN(expected)) assert.ok(Number.isNaN(value));
    else assert.ok(Object.is(value, expected), `bits 0x${bits.toString(16)}`);
  }
});

test('float32ToBfloat16Bits rounds to nearest with ties to even', () => {
  assert.equal(float32ToBfloat16Bits(1), 0x3f80);
  assert.equal(float32ToBfloat16Bits(fromBits(0x40490fdb)), 0x4049); // pi rounds down
  assert.equal(float32ToBfloat16Bits(fromBits(0x3f808000)), 0x3f80); // tie, even stays
  assert.equal(float32ToBfloat16Bits(fromBits(0x3f818000)), 0x3f82); // tie, odd goes up
  assert.equal(float32ToBfloat16Bits(fromBits(0x3f808001)), 0x3f81);
  assert.equal(float32ToBfloat16Bits(fromBits(0x00008000)), 0x0000); // subnormal tie to even zero
  assert.equal(float32ToBfloat16Bits(fromBits(0x00018000)), 0x0002);
  assert.equal(float32ToBfloat16Bits(fromBits(0x7f7fffff)), 0x7f80); // overflow to Infinity
  assert.equal(float32ToBfloat16Bits(fromBits(0xff7f7fff)), 0xff7f);
  assert.equal(float32ToBfloat16Bits(-0), 0x8000);
  assert.equal(float32ToBfloat16Bits(Number.NaN), 0x7fc0);
});
