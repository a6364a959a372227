/** `value` rounded to `digits` decimal places, for the figures a bench prints. */
export function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
