/**
 * Turns ascending UTF-16 indices into UTF-8 byte offsets, the unit Milvus reports token offsets in
 * (tantivy's Token.offset_from/offset_to are byte indices into the UTF-8 text). Indices must be
 * given in ascending order; each call only walks the code units since the previous one.
 */
export class Utf8Offsets {
  private index = 0;
  private bytes = 0;

  constructor(private readonly text: string) {}

  /** UTF-8 byte offset of UTF-16 index `index` (on a code point boundary, >= the previous one). */
  byteOffset(index: number): number {
    const text = this.text;
    let i = this.index;
    let bytes = this.bytes;
    while (i < index) {
      const code = text.charCodeAt(i);
      if (code < 0x80) bytes += 1;
      else if (code < 0x800) bytes += 2;
      else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
        const next = text.charCodeAt(i + 1);
        if (next >= 0xdc00 && next <= 0xdfff) {
          bytes += 4;
          i += 1;
        } else bytes += 3; // lone surrogate: encoded as U+FFFD
      } else bytes += 3;
      i += 1;
    }
    this.index = i;
    this.bytes = bytes;
    return bytes;
  }
}

/** UTF-8 length of a string without encoding it (lone surrogates count as U+FFFD, 3 bytes). */
export function utf8Length(text: string): number {
  return new Utf8Offsets(text).byteOffset(text.length);
}
