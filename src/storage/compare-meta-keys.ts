/**
 * Orders meta-store keys by Unicode code point, which is also the byte order of their UTF-8
 * encoding. etcd orders keys by bytes, so using this order everywhere lets an etcd backend return
 * `list()` results in exactly the order the local and memory backends do.
 *
 * JavaScript's default string comparison orders by UTF-16 code unit instead, which disagrees for
 * characters U+E000..U+FFFF versus anything above U+FFFF (stored as surrogates D800..DFFF).
 */
export function compareMetaKeys(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const unitA = a.charCodeAt(i);
    const unitB = b.charCodeAt(i);
    if (unitA !== unitB) return codePointRank(unitA) - codePointRank(unitB);
  }
  return a.length - b.length;
}

/**
 * Maps a UTF-16 code unit to a rank such that comparing ranks at the first differing unit gives
 * code point order: surrogates (D800..DFFF) move above E000..FFFF. The prefixes before that unit
 * are equal, so both units sit at the same position of a surrogate pair or neither does.
 */
function codePointRank(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800;
  if (unit >= 0xd800) return unit + 0x2000;
  return unit;
}
