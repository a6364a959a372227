/** floor(log2(x)) for a finite x > 0, exact (Math.log2 alone can be off by one near powers of two). */
export function binaryExponent(x: number): number {
  let exponent = Math.floor(Math.log2(x));
  if (2 ** exponent > x) exponent--;
  else if (2 ** (exponent + 1) <= x) exponent++;
  return exponent;
}
