/** The row offsets a mask selects, in increasing order. */
export function maskToRows(mask: Uint8Array): Uint32Array {
  let count = 0;
  for (let i = 0; i < mask.length; i++) count += mask[i]!;
  const rows = new Uint32Array(count);
  let next = 0;
  for (let i = 0; i < mask.length && next < count; i++) {
    if (mask[i] !== 0) rows[next++] = i;
  }
  return rows;
}
