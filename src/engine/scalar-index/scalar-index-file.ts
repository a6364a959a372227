import { compareStrings } from '../../expr/constant-ops.js';
import { DataType, dataTypeName } from '../../schema/index.js';
import { crc32c } from '../../storage/crc32c.js';
import { decodeUtf8Strings, encodeUtf8Strings } from '../format/utf8-strings.js';
import { isKeyType, type KeyArray, type NumericKeyKind, newKeyArray, numericKeyKind } from './index-keys.js';
import type { ScalarIndexType } from './scalar-index.js';
import { ScalarIndexFileCorruptError } from './scalar-index-file-corrupt-error.js';

/**
 * The container every scalar index file shares (layout in docs/FORMATS.md, "Scalar index file"): a
 * 40-byte header with its own checksum, a payload of length-prefixed sections each starting 8-byte
 * aligned, and the payload's checksum. What the sections hold is each index type's business; this
 * module checks the container and offers typed, validated readers for the common section kinds.
 */
export const scalarIndexFileFormat = {
  magic: Buffer.from('QUIVSIDX', 'latin1'),
  version: 1,
  headerBytes: 40,
  trailerBytes: 4,
} as const;

const typeCodes: Readonly<Record<ScalarIndexType, number>> = { INVERTED: 1, STL_SORT: 2, Trie: 3, BITMAP: 4 };
const typesByCode = new Map(Object.entries(typeCodes).map(([type, code]) => [code, type as ScalarIndexType]));

export interface ScalarIndexFileHeader {
  readonly indexType: ScalarIndexType;
  readonly dataType: DataType;
  /** Element type of Array columns, None otherwise. */
  readonly elementType: DataType;
  readonly numRows: number;
}

const padding = new Uint8Array(8);
const paddingAfter = (byteLength: number): number => (8 - (byteLength % 8)) % 8;

/** A section's bytes: a view of a typed array's memory (no copy). */
export function bytesOf(array: ArrayBufferView): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/**
 * The file as chunks written in order: header, then per section its u64 length, its bytes (views,
 * not copies) and zero padding, then the payload checksum.
 */
export function encodeScalarIndexFile(
  header: ScalarIndexFileHeader,
  sections: readonly Uint8Array[],
): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  const head = Buffer.alloc(scalarIndexFileFormat.headerBytes);
  chunks.push(head);
  let payloadBytes = 0;
  let payloadCrc = 0;
  for (const section of sections) {
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(section.byteLength));
    const pad = padding.subarray(0, paddingAfter(section.byteLength));
    for (const chunk of [length, section, pad]) {
      if (chunk.byteLength === 0) continue;
      chunks.push(chunk);
      payloadCrc = crc32c(chunk, payloadCrc);
      payloadBytes += chunk.byteLength;
    }
  }
  scalarIndexFileFormat.magic.copy(head, 0);
  head.writeUInt32LE(scalarIndexFileFormat.version, 8);
  head.writeUInt8(typeCodes[header.indexType], 12);
  head.writeUInt8(header.dataType, 13);
  head.writeUInt8(header.elementType, 14);
  head.writeUInt32LE(header.numRows, 16);
  head.writeUInt32LE(sections.length, 20);
  head.writeBigUInt64LE(BigInt(payloadBytes), 24);
  head.writeUInt32LE(crc32c(head.subarray(0, 36)), 36);
  const trailer = Buffer.alloc(scalarIndexFileFormat.trailerBytes);
  trailer.writeUInt32LE(payloadCrc, 0);
  chunks.push(trailer);
  return chunks;
}

/** Reads the header only (after checking magic, version and header checksum). */
export function readScalarIndexFileHeader(bytes: Uint8Array, source?: string): ScalarIndexFileHeader {
  const fail = (defect: string): never => {
    throw new ScalarIndexFileCorruptError(defect, source);
  };
  const { magic, version, headerBytes } = scalarIndexFileFormat;
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magicPresent = Math.min(view.length, magic.length);
  if (!view.subarray(0, magicPresent).equals(magic.subarray(0, magicPresent))) fail('bad magic');
  if (view.length >= 12 && view.readUInt32LE(8) !== version) {
    fail(`unknown format version ${view.readUInt32LE(8)}`);
  }
  if (view.length < headerBytes)
    fail(`truncated: ${view.length} bytes, the header alone takes ${headerBytes}`);
  if (crc32c(view.subarray(0, 36)) !== view.readUInt32LE(36)) fail('header checksum mismatch');
  const code = view.readUInt8(12);
  const indexType = typesByCode.get(code) ?? fail(`unknown index type code ${code}`);
  const dataType = view.readUInt8(13) as DataType;
  const elementType = view.readUInt8(14) as DataType;
  if (view.readUInt8(15) !== 0 || view.readUInt32LE(32) !== 0) fail('reserved header bytes are not zero');
  return { indexType, dataType, elementType, numRows: view.readUInt32LE(16) };
}

/**
 * Checks the whole container (both checksums, exact length, section framing) and returns the header
 * and a reader of its sections. `expectedType` guards against loading one index type's file as
 * another's.
 */
export function decodeScalarIndexFile(
  bytes: Uint8Array,
  expectedType: ScalarIndexType,
  source?: string,
): { header: ScalarIndexFileHeader; sections: ScalarIndexSections } {
  const header = readScalarIndexFileHeader(bytes, source);
  const fail = (defect: string): never => {
    throw new ScalarIndexFileCorruptError(defect, source);
  };
  if (header.indexType !== expectedType) {
    fail(`index type is ${header.indexType}, expected ${expectedType}`);
  }
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sectionCount = view.readUInt32LE(20);
  const payloadBytes = view.readBigUInt64LE(24);
  const { headerBytes, trailerBytes } = scalarIndexFileFormat;
  const declared = BigInt(headerBytes + trailerBytes) + payloadBytes;
  if (BigInt(view.length) < declared)
    fail(`truncated: ${view.length} bytes, the header declares ${declared}`);
  if (BigInt(view.length) > declared) {
    fail(`unexpected bytes after the end: ${view.length} bytes, the header declares ${declared}`);
  }
  const payloadEnd = headerBytes + Number(payloadBytes);
  if (crc32c(view.subarray(headerBytes, payloadEnd)) !== view.readUInt32LE(payloadEnd)) {
    fail('payload checksum mismatch');
  }
  const sections: Uint8Array[] = [];
  let at: number = headerBytes;
  for (let i = 0; i < sectionCount; i++) {
    if (payloadEnd - at < 8) fail(`section ${i} starts past the end of the payload`);
    const length = view.readBigUInt64LE(at);
    const start = at + 8;
    if (length > BigInt(payloadEnd - start)) fail(`section ${i} runs past the end of the payload`);
    const end = start + Number(length);
    const padded = end + paddingAfter(end - start);
    if (padded > payloadEnd || view.subarray(end, padded).some((byte) => byte !== 0)) {
      fail(`section ${i} is not followed by zero padding`);
    }
    sections.push(bytes.subarray(start, end));
    at = padded;
  }
  if (at !== payloadEnd) fail(`${payloadEnd - at} payload bytes follow the last section`);
  return { header, sections: new ScalarIndexSections(header, sections, source) };
}

/**
 * Typed, validated access to the sections in order. Typed arrays are views of the file's bytes
 * when those are aligned (the normal case: a file read into its own buffer), copies otherwise.
 * Every check failure throws ScalarIndexFileCorruptError naming the section.
 */
export class ScalarIndexSections {
  private next = 0;

  constructor(
    readonly header: ScalarIndexFileHeader,
    private readonly sections: readonly Uint8Array[],
    private readonly source: string | undefined,
  ) {}

  fail(defect: string): never {
    throw new ScalarIndexFileCorruptError(defect, this.source);
  }

  private take(name: string, elementBytes: number): { bytes: Uint8Array; label: string } {
    const index = this.next++;
    const label = `section ${index} (${name})`;
    const bytes = this.sections[index] ?? this.fail(`${label} is missing`);
    if (bytes.byteLength % elementBytes !== 0) {
      this.fail(`${label} is ${bytes.byteLength} bytes, not a multiple of ${elementBytes}`);
    }
    return { bytes, label };
  }

  private aligned(bytes: Uint8Array, elementBytes: number): Uint8Array {
    return bytes.byteOffset % elementBytes === 0 ? bytes : bytes.slice();
  }

  u8(name: string): Uint8Array {
    return this.take(name, 1).bytes;
  }

  u32(name: string): Uint32Array {
    const { bytes } = this.take(name, 4);
    const own = this.aligned(bytes, 4);
    return new Uint32Array(own.buffer, own.byteOffset, own.byteLength / 4);
  }

  /** Row numbers: each below the row count, strictly ascending. */
  rowList(name: string): Uint32Array {
    const rows = this.u32(name);
    const label = `section ${this.next - 1} (${name})`;
    let previous = -1;
    for (const row of rows) {
      if (row <= previous || row >= this.header.numRows)
        this.fail(`${label} holds row ${row} out of order or range`);
      previous = row;
    }
    return rows;
  }

  /**
   * Offsets of `count` groups (`count + 1` of them), from 0, non-decreasing; ending at `total` when
   * that is given (else the next section must agree with the last offset).
   */
  offsets(name: string, count: number, total?: number): Uint32Array {
    const offsets = this.u32(name);
    const label = `section ${this.next - 1} (${name})`;
    if (offsets.length !== count + 1)
      this.fail(`${label} has ${offsets.length} offsets, expected ${count + 1}`);
    if (offsets[0] !== 0) this.fail(`${label} does not start at 0`);
    if (total !== undefined && offsets[count] !== total) this.fail(`${label} does not end at ${total}`);
    for (let i = 1; i < offsets.length; i++) {
      if (offsets[i]! < offsets[i - 1]!) this.fail(`${label} decreases at ${i}`);
    }
    return offsets;
  }

  /** Rows grouped by offsets: within each group ascending, all below the row count. */
  groupedRows(name: string, offsets: Uint32Array): Uint32Array {
    const rows = this.u32(name);
    const label = `section ${this.next - 1} (${name})`;
    if (rows.length !== offsets[offsets.length - 1]) {
      this.fail(`${label} holds ${rows.length} rows, the offsets say ${offsets[offsets.length - 1]}`);
    }
    const { numRows } = this.header;
    for (let group = 0; group + 1 < offsets.length; group++) {
      let previous = -1;
      for (let i = offsets[group]!; i < offsets[group + 1]!; i++) {
        const row = rows[i]!;
        if (row <= previous || row >= numRows) this.fail(`${label} holds row ${row} out of order or range`);
        previous = row;
      }
    }
    return rows;
  }

  /** Strings as u32 byte offsets + UTF-8 bytes (two sections). */
  strings(name: string): string[] {
    const offsetsLabel = `section ${this.next} (${name} offsets)`;
    const offsets = this.u32(`${name} offsets`);
    const { bytes } = this.take(`${name} bytes`, 1);
    if (offsets.length === 0 || offsets[0] !== 0 || offsets[offsets.length - 1] !== bytes.byteLength) {
      this.fail(`${offsetsLabel} does not span 0..${bytes.byteLength}`);
    }
    for (let i = 1; i < offsets.length; i++) {
      if (offsets[i]! < offsets[i - 1]!) this.fail(`${offsetsLabel} decreases at ${i}`);
    }
    return decodeUtf8Strings(bytes, offsets);
  }

  /**
   * Keys of the file's key type (numeric: raw values; VarChar: strings), ascending; strictly
   * ascending when `distinct`. NaN is never a key.
   */
  keys(name: string, distinct: boolean): KeyArray {
    const { dataType, elementType } = this.header;
    const keyType = dataType === DataType.Array ? elementType : dataType;
    if (!isKeyType(keyType)) {
      const what =
        dataType === DataType.Array ? `Array of ${dataTypeName(elementType)}` : dataTypeName(dataType);
      this.fail(`the header names a ${what} column, which no scalar index holds`);
    }
    if (keyType === DataType.VarChar) {
      const keys = this.strings(name);
      const label = `section ${this.next - 1} (${name})`;
      for (let i = 1; i < keys.length; i++) {
        const order = compareStrings(keys[i - 1]!, keys[i]!);
        if (order > 0 || (distinct && order === 0)) this.fail(`${label} is not in ascending order at ${i}`);
      }
      return keys;
    }
    const kind = numericKeyKind(keyType, dataType === DataType.Array);
    return this.numericKeys(name, kind, distinct);
  }

  private numericKeys(name: string, kind: NumericKeyKind, distinct: boolean): KeyArray {
    const empty = newKeyArray(kind, 0);
    const elementBytes = empty.BYTES_PER_ELEMENT;
    const { bytes, label } = this.take(name, elementBytes);
    const own = this.aligned(bytes, elementBytes);
    const keys = new (
      empty.constructor as new (
        buffer: ArrayBufferLike,
        byteOffset: number,
        length: number,
      ) => Exclude<KeyArray, string[]>
    )(own.buffer, own.byteOffset, own.byteLength / elementBytes);
    const items = keys as ArrayLike<number | bigint>;
    for (let i = 0; i < keys.length; i++) {
      const key = items[i]!;
      if (typeof key === 'number' && Number.isNaN(key)) this.fail(`${label} holds NaN`);
      if (kind === 'bool' && key !== 0 && key !== 1) this.fail(`${label} holds ${key}, not 0 or 1`);
      if (i === 0) continue;
      const previous = items[i - 1]!;
      // -0 and +0 are distinct keys that compare equal; they must come in that order.
      const bad = distinct
        ? key < previous || (key === previous && !(key === 0 && Object.is(previous, -0) && Object.is(key, 0)))
        : key < previous;
      if (bad) this.fail(`${label} is not in ascending order at ${i}`);
    }
    return keys;
  }

  /** Fails unless every section was read. */
  finish(): void {
    if (this.next !== this.sections.length) {
      this.fail(`${this.sections.length} sections, the ${this.header.indexType} index reads ${this.next}`);
    }
  }
}

/** Sections for keys: numeric keys as their raw bytes, strings as offsets + UTF-8 bytes. */
export function keySections(keys: KeyArray): Uint8Array[] {
  if (!Array.isArray(keys)) return [bytesOf(keys)];
  const encoded = encodeUtf8Strings(keys);
  return [bytesOf(encoded.offsets), encoded.bytes];
}
