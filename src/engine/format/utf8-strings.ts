/**
 * A list of strings as one UTF-8 byte run plus `count + 1` u32 byte offsets (offsets[0] = 0,
 * string i is bytes offsets[i]..offsets[i+1]). Used for VarChar and JSON columns and for the
 * elements of VarChar arrays (docs/FORMATS.md, "Column encoding").
 *
 * Speed matters here (1M strings per column): each string is written straight into one growing
 * buffer and read back with one slice per string; there is no per-string intermediate buffer and no
 * JSON. Strings that are not well-formed UTF-16 (lone surrogates) are written as U+FFFD, as every
 * UTF-8 encoder does; strings decoded from the wire never contain them.
 */
export interface EncodedUtf8Strings {
  readonly offsets: Uint32Array;
  /** May be a view into a larger buffer; only these bytes belong to the encoding. */
  readonly bytes: Uint8Array;
}

/** The largest byte run whose offsets still fit in u32. */
export const maxUtf8StringBytes = 0xffff_ffff;

export function encodeUtf8Strings(values: readonly string[]): EncodedUtf8Strings {
  const count = values.length;
  const offsets = new Uint32Array(count + 1);
  let totalUnits = 0;
  let maxUnits = 0;
  for (let index = 0; index < count; index++) {
    const value = values[index];
    if (typeof value !== 'string') throw new TypeError(`string ${index} is ${typeof value}, not a string`);
    totalUnits += value.length;
    if (value.length > maxUnits) maxUnits = value.length;
  }
  // One UTF-16 code unit takes at most 3 UTF-8 bytes. Starting at totalUnits + 3 * maxUnits makes
  // all-ASCII input (the common case) fit without growing, while the check below guarantees that
  // no write is ever cut short by the end of the buffer.
  let capacity = totalUnits + 3 * maxUnits;
  let buffer = Buffer.allocUnsafe(capacity);
  let position = 0;
  let unitsDone = 0;
  for (let index = 0; index < count; index++) {
    const value = values[index]!;
    const units = value.length;
    if (units > 0) {
      if (capacity - position < 3 * units) {
        capacity = Math.max(2 * capacity, position + 3 * units + (totalUnits - unitsDone));
        const grown = Buffer.allocUnsafe(capacity);
        buffer.copy(grown, 0, 0, position);
        buffer = grown;
      }
      position += buffer.write(value, position, 'utf8');
      if (position > maxUtf8StringBytes) {
        throw new RangeError(`strings take more than ${maxUtf8StringBytes} UTF-8 bytes`);
      }
      unitsDone += units;
    }
    offsets[index + 1] = position;
  }
  return { offsets, bytes: buffer.subarray(0, position) };
}

/**
 * Decodes `offsets.length - 1` strings from `bytes` (which must hold at least the last offset's
 * bytes). The caller has checked that offsets start at 0 and never decrease.
 */
export function decodeUtf8Strings(bytes: Uint8Array, offsets: Uint32Array): string[] {
  const count = offsets.length - 1;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const values = new Array<string>(count);
  let start = offsets[0]!;
  for (let index = 0; index < count; index++) {
    const end = offsets[index + 1]!;
    values[index] = start === end ? '' : text.toString('utf8', start, end);
    start = end;
  }
  return values;
}
