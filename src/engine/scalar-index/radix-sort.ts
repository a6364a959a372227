/**
 * Stable LSD radix sort of items by an unsigned key of one or two u32 words (`hi` omitted for
 * 32-bit keys), carrying a u32 payload (a row number) along. Returns the sorted key words and
 * payload; the arrays may be the inputs themselves, reordered, or new ones. Equal keys keep their
 * input order, so items laid out in row order come out sorted by (key, row).
 *
 * Why radix and not Array.prototype.sort: 1,000,000 keys sort in tens of milliseconds with no
 * comparator calls and no per-item allocation. Digits are 16 bits wide; one counting pass builds
 * every digit's histogram, and a digit whose value is the same for every item (the high digits of
 * small integers, years, categories) costs nothing. Keys travel with the items, so every pass
 * reads sequentially (random reads of a key array were three times slower at 1M items).
 */
const digitBits = 16;
const digitValues = 1 << digitBits;
const digitMask = digitValues - 1;

export interface RadixSorted {
  readonly lo: Uint32Array;
  readonly hi: Uint32Array | undefined;
  readonly payload: Uint32Array;
}

export function radixSort(lo: Uint32Array, hi: Uint32Array | undefined, payload: Uint32Array): RadixSorted {
  const count = lo.length;
  if ((hi !== undefined && hi.length !== count) || payload.length !== count) {
    throw new RangeError('radix sort arrays differ in length');
  }
  if (count < 2) return { lo, hi, payload };

  const digits = hi === undefined ? 2 : 4;
  const counts = new Uint32Array(digitValues * digits);
  for (let i = 0; i < count; i++) {
    const low = lo[i]!;
    counts[low & digitMask]!++;
    counts[digitValues + (low >>> digitBits)]!++;
    if (hi !== undefined) {
      const high = hi[i]!;
      counts[2 * digitValues + (high & digitMask)]!++;
      counts[3 * digitValues + (high >>> digitBits)]!++;
    }
  }

  let sourceLo = lo;
  let sourceHi = hi;
  let sourcePayload = payload;
  let targetLo: Uint32Array | undefined;
  let targetHi: Uint32Array | undefined;
  let targetPayload: Uint32Array | undefined;
  for (let digit = 0; digit < digits; digit++) {
    const base = digit * digitValues;
    const words = digit < 2 ? sourceLo : sourceHi!;
    const shift = (digit & 1) * digitBits;
    // Every item has the same digit: this pass would not move anything.
    if (counts[base + ((words[0]! >>> shift) & digitMask)] === count) continue;
    // Exclusive prefix sums turn counts into start positions, in place.
    let position = 0;
    for (let value = 0; value < digitValues; value++) {
      const bucket = counts[base + value]!;
      counts[base + value] = position;
      position += bucket;
    }
    targetLo ??= new Uint32Array(count);
    targetPayload ??= new Uint32Array(count);
    if (sourceHi === undefined) {
      for (let i = 0; i < count; i++) {
        const key = sourceLo[i]!;
        const at = counts[base + ((key >>> shift) & digitMask)]!++;
        targetLo[at] = key;
        targetPayload[at] = sourcePayload[i]!;
      }
    } else {
      targetHi ??= new Uint32Array(count);
      for (let i = 0; i < count; i++) {
        const at = counts[base + ((words[i]! >>> shift) & digitMask)]!++;
        targetLo[at] = sourceLo[i]!;
        targetHi[at] = sourceHi[i]!;
        targetPayload[at] = sourcePayload[i]!;
      }
    }
    [sourceLo, targetLo] = [targetLo, sourceLo];
    [sourceHi, targetHi] = [targetHi, sourceHi];
    [sourcePayload, targetPayload] = [targetPayload, sourcePayload];
  }
  return { lo: sourceLo, hi: sourceHi, payload: sourcePayload };
}
