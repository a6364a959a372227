/**
 * Term strings ↔ dense uint32 ids (0, 1, 2, ... in order of first insertion), so BM25 can store a
 * document as a sparse vector of term ids. Grows as new terms arrive; ids never change.
 *
 * toBytes() layout (little-endian): magic "QTDT", u32 version (1), u32 term count, then per term a u32
 * UTF-8 byte length and the UTF-8 bytes, in id order.
 */
export class TermDictionary {
  static readonly magic = 0x54445451; // "QTDT" read as a little-endian u32
  static readonly version = 1;

  private readonly ids = new Map<string, number>();
  private readonly list: string[] = [];

  get size(): number {
    return this.list.length;
  }

  /** The id of `term`, or -1 when it has none (query terms never seen in the corpus). */
  id(term: string): number {
    return this.ids.get(term) ?? -1;
  }

  /** The id of `term`, assigning the next free id when it is new. */
  getOrAdd(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.list.length;
      if (id > 0xffffffff) throw new RangeError('term dictionary is full (2^32 terms)');
      this.ids.set(term, id);
      this.list.push(term);
    }
    return id;
  }

  /** The term with id `id`. */
  term(id: number): string {
    const term = this.list[id];
    if (term === undefined) throw new RangeError(`no term with id ${id} (size ${this.list.length})`);
    return term;
  }

  toBytes(): Uint8Array {
    const encoder = new TextEncoder();
    const encoded = this.list.map((term) => encoder.encode(term));
    const total = 12 + encoded.reduce((sum, bytes) => sum + 4 + bytes.length, 0);
    const out = new Uint8Array(total);
    const view = new DataView(out.buffer);
    view.setUint32(0, TermDictionary.magic, true);
    view.setUint32(4, TermDictionary.version, true);
    view.setUint32(8, encoded.length, true);
    let at = 12;
    for (const bytes of encoded) {
      view.setUint32(at, bytes.length, true);
      out.set(bytes, at + 4);
      at += 4 + bytes.length;
    }
    return out;
  }

  static fromBytes(bytes: Uint8Array): TermDictionary {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bytes.byteLength < 12 || view.getUint32(0, true) !== TermDictionary.magic) {
      throw new RangeError('not a term dictionary (bad magic)');
    }
    const version = view.getUint32(4, true);
    if (version !== TermDictionary.version)
      throw new RangeError(`unsupported term dictionary version ${version}`);
    const count = view.getUint32(8, true);
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const dictionary = new TermDictionary();
    let at = 12;
    for (let i = 0; i < count; i++) {
      if (at + 4 > bytes.byteLength) throw new RangeError('term dictionary is truncated');
      const length = view.getUint32(at, true);
      if (at + 4 + length > bytes.byteLength) throw new RangeError('term dictionary is truncated');
      const term = decoder.decode(bytes.subarray(at + 4, at + 4 + length));
      if (dictionary.getOrAdd(term) !== i)
        throw new RangeError(`term dictionary repeats term ${JSON.stringify(term)}`);
      at += 4 + length;
    }
    if (at !== bytes.byteLength) throw new RangeError('term dictionary has trailing bytes');
    return dictionary;
  }
}
