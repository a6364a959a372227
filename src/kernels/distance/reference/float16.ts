import { binaryExponent } from './binary-exponent.js';
import { roundHalfEven } from './round-half-even.js';

// Reference float16 (IEEE binary16: 1 sign, 5 exponent bits with bias 15, 10 mantissa bits) codecs,
// written from the format's definition with float64 arithmetic rather than with bit tricks, so they
// check the WASM kernels independently.

/** The value float16 `bits` denote (every float16 value is exactly a float32). */
export function float16ToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 31) return mantissa === 0 ? sign * Infinity : Number.NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/**
 * float16 bits of `value`, rounded to nearest, ties to even. Magnitudes from 65520 (halfway between
 * the largest float16, 65504, and 2^16) up become Infinity; NaN becomes the quiet NaN 0x7e00.
 */
export function float32ToFloat16Bits(value: number): number {
  if (Number.isNaN(value)) return 0x7e00;
  const sign = value < 0 || Object.is(value, -0) ? 0x8000 : 0;
  const magnitude = Math.abs(value);
  if (magnitude >= 65520) return sign | 0x7c00;
  if (magnitude < 2 ** -14) return sign | roundHalfEven(magnitude * 2 ** 24); // 1024 is the smallest normal
  let exponent = binaryExponent(magnitude);
  let mantissa = roundHalfEven((magnitude / 2 ** exponent - 1) * 1024);
  if (mantissa === 1024) {
    mantissa = 0;
    exponent++;
  }
  return sign | ((exponent + 15) << 10) | mantissa;
}
