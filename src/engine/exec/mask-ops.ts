/**
 * Row masks: one byte per row of a segment, 1 = selected, 0 = not (never any other value).
 * Masks are taken from a MaskAllocator (the evaluator's per-call context, backed by a pool) and
 * given back when done; "owned" masks are the caller's to modify and release, "borrowed" ones
 * (undefined = every row) are only read.
 */
export interface MaskAllocator {
  readonly numRows: number;
  /** A zero-filled mask of numRows bytes, owned by the caller. */
  take(): Uint8Array;
  /** Gives an owned mask back (no-op for undefined or a mask not taken from this allocator). */
  release(mask: Uint8Array | undefined): void;
}

/** An owned copy of a borrowed mask; all ones for undefined. */
export function copyMask(allocator: MaskAllocator, mask: Uint8Array | undefined): Uint8Array {
  const out = allocator.take();
  if (mask === undefined) out.fill(1);
  else out.set(mask.subarray(0, out.length));
  return out;
}

/**
 * Four rows per step through Uint32Array views when both masks start 4-byte aligned (pooled and
 * freshly allocated masks do): bytes hold only 0 or 1, so word-wise AND / OR / AND-NOT are exact.
 */
function words(mask: Uint8Array): Uint32Array | undefined {
  return mask.byteOffset % 4 === 0
    ? new Uint32Array(mask.buffer, mask.byteOffset, mask.length >>> 2)
    : undefined;
}

/** target &= other (other undefined = all ones). Returns target. */
export function andInto(target: Uint8Array, other: Uint8Array | undefined): Uint8Array {
  if (other === undefined) return target;
  let start = 0;
  const a = words(target);
  const b = a === undefined ? undefined : words(other);
  if (a !== undefined && b !== undefined) {
    for (let i = 0; i < a.length; i++) a[i] = a[i]! & b[i]!;
    start = a.length * 4;
  }
  for (let i = start; i < target.length; i++) target[i] = target[i]! & other[i]!;
  return target;
}

/** target |= other. Returns target. */
export function orInto(target: Uint8Array, other: Uint8Array): Uint8Array {
  let start = 0;
  const a = words(target);
  const b = a === undefined ? undefined : words(other);
  if (a !== undefined && b !== undefined) {
    for (let i = 0; i < a.length; i++) a[i] = a[i]! | b[i]!;
    start = a.length * 4;
  }
  for (let i = start; i < target.length; i++) target[i] = target[i]! | other[i]!;
  return target;
}

/** target &= ~other. Returns target. */
export function andNotInto(target: Uint8Array, other: Uint8Array): Uint8Array {
  let start = 0;
  const a = words(target);
  const b = a === undefined ? undefined : words(other);
  if (a !== undefined && b !== undefined) {
    for (let i = 0; i < a.length; i++) a[i] = a[i]! & (b[i]! ^ 0x01010101);
    start = a.length * 4;
  }
  for (let i = start; i < target.length; i++) target[i] = target[i]! & (other[i]! ^ 1);
  return target;
}

/** The intersection of two borrowed masks as an owned mask, or undefined when both are undefined. */
export function intersect(
  allocator: MaskAllocator,
  a: Uint8Array | undefined,
  b: Uint8Array | undefined,
): Uint8Array | undefined {
  if (a === undefined && b === undefined) return undefined;
  return andInto(copyMask(allocator, a ?? b), a === undefined ? undefined : b);
}

/** Whether any row is selected. */
export function anySelected(mask: Uint8Array): boolean {
  return mask.indexOf(1) !== -1;
}
