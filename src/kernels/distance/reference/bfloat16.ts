import { binaryExponent } from './binary-exponent.js';
import { roundHalfEven } from './round-half-even.js';

// Reference bfloat16 (1 sign, 8 exponent bits with bias 127, 7 mantissa bits: the top half of a
// float32) codecs, written from the format's definition with float64 arithmetic.

/** The value bfloat16 `bits` denote. */
export function bfloat16ToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 7) & 0xff;
  const mantissa = bits & 0x7f;
  if (exponent === 0) return sign * mantissa * 2 ** -133;
  if (exponent === 255) return mantissa === 0 ? sign * Infinity : Number.NaN;
  return sign * (1 + mantissa / 128) * 2 ** (exponent - 127);
}

/**
 * bfloat16 bits of the float32 `value`, rounded to nearest, ties to even (overflow becomes Infinity);
 * NaN becomes the quiet NaN 0x7fc0.
 */
export function float32ToBfloat16Bits(value: number): number {
  if (Number.isNaN(value)) return 0x7fc0;
  const sign = value < 0 || Object.is(value, -0) ? 0x8000 : 0;
  const magnitude = Math.abs(value);
  if (magnitude === Infinity) return sign | 0x7f80;
  if (magnitude < 2 ** -126) return sign | roundHalfEven(magnitude * 2 ** 133); // 128 is the smallest normal
  let exponent = binaryExponent(magnitude);
  let mantissa = roundHalfEven((magnitude / 2 ** exponent - 1) * 128);
  if (mantissa === 128) {
    mantissa = 0;
    exponent++;
  }
  if (exponent > 127) return sign | 0x7f80;
  return sign | ((exponent + 127) << 7) | mantissa;
}
