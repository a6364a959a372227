import assert from 'node:assert/strict';
import { test } from 'node:test';
import { float16ToNumber, float32ToFloat16Bits } from './float16.js';

test('float16ToNumber decodes normals, subnormals, zeros, infinities and NaN', () => {
  assert.equal(float16ToNumber(0x3c00), 1);
  assert.equal(float16ToNumber(0xc000), -2);
  assert.equal(float16ToNumber(0x7bff), 65504);
  assert.equal(float16ToNumber(0x0400), 2 ** -14);
  assert.equal(float16ToNumber(0x0001), 2 ** -24);
  assert.equal(float16ToNumber(0x03ff), 1023 * 2 ** -24);
  assert.ok(Object.is(float16ToNumber(0x8000), -0));
  assert.equal(float16ToNumber(0x7c00), Infinity);
  assert.equal(float16ToNumber(0xfc00), -Infinity);
  assert.ok(Number.isNaN(float16ToNumber(0x7e00)));
  assert.ok(Number.isNaN(float16ToNumber(0x7c01)));
});

test('float32ToFloat16Bits rounds to nearest with ties to even', () => {
  assert.equal(float32ToFloat16Bits(1), 0x3c00);
  assert.equal(float32ToFloat16Bits(-2), 0xc000);
  assert.equal(float32ToFloat16Bits(Math.fround(0.1)), 0x2e66);
  // Halfway between 1 and 1 + 2^-10 goes to the even mantissa (1); halfway above an odd one goes up.
  assert.equal(float32ToFloat16Bits(1 + 2 ** -11), 0x3c00);
  assert.equal(float32ToFloat16Bits(1 + 3 * 2 ** -11), 0x3c02);
  assert.equal(float32ToFloat16Bits(1 + 2 ** -11 + 2 ** -20), 0x3c01);
  // Subnormals: half of the smallest subnormal rounds to 0 (even), just above it to the subnormal.
  assert.equal(float32ToFloat16Bits(2 ** -25), 0x0000);
  assert.equal(float32ToFloat16Bits(2 ** -25 + 2 ** -35), 0x0001);
  assert.equal(float32ToFloat16Bits(3 * 2 ** -25), 0x0002);
  // The largest subnormal rounds up into the smallest normal.
  assert.equal(float32ToFloat16Bits(2 ** -14 - 2 ** -26), 0x0400);
  assert.equal(float32ToFloat16Bits(65504), 0x7bff);
  assert.equal(float32ToFloat16Bits(65519), 0x7bff);
  assert.equal(float32ToFloat16Bits(65520), 0x7c00);
  assert.equal(float32ToFloat16Bits(-1e10), 0xfc00);
  assert.equal(float32ToFloat16Bits(-0), 0x8000);
  assert.equal(float32ToFloat16Bits(Number.NaN), 0x7e00);
});

test('float32ToFloat16Bits inverts float16ToNumber for every non-NaN float16', () => {
  for (let bits = 0; bits < 0x10000; bits++) {
    const value = float16ToNumber(bits);
    if (Number.isNaN(value)) continue;
    assert.equal(float32ToFloat16Bits(value), bits, `bits 0x${bits.toString(16)}`);
  }
});
