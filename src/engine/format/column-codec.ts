import { errors, type QuiverError } from '../../errors/index.js';
import type { ArrayCell, Column, ColumnBatch, SparseVector } from '../../schema/column.js';
import { DataType, dataTypeName } from '../../schema/data-type.js';
import { decodeUtf8Strings, encodeUtf8Strings } from './utf8-strings.js';

/**
 * The binary encoding of one Column and of a ColumnBatch (docs/FORMATS.md, "Column encoding" and
 * "Column batch encoding"). Used as the WAL payload of insert records and as the column blocks of
 * sealed segment files, so it is compact (raw little-endian values, a bit-packed validity map) and
 * fast: encoding returns a list of chunks whose large parts are views of the column's own typed
 * arrays (only Array cells and sparse rows are gathered into one array per column); decoding copies
 * each array once, or not at all with `views`. Strings are UTF-8 with u32 offsets, never JSON.
 *
 * Every section of an encoding (validity bits, offsets, values) starts 8-byte aligned relative to
 * the encoding's start, so a buffer that holds an encoding at an aligned position can be decoded
 * into views without copying.
 *
 * Ownership: by default every decoded typed array is a fresh copy that never aliases the input
 * bytes, so the input buffer may be reused as soon as decode returns. With `views: true` they are
 * views into the input wherever aligned (zero-copy). The rows of an Array or SparseFloatVector
 * column are subarray views into one buffer per column. Dense vector values go into memory from
 * `vectorAllocator` when it is given (for example a SharedArrayBuffer shared with workers).
 *
 * Values are written in the host's byte order, which must be little-endian (checked at load):
 * every platform Node 20 supports is.
 */

/** Bytes of the fixed header in front of every encoded column. */
export const columnHeaderBytes = 24;
/** Every section of an encoding starts at a multiple of this many bytes from the encoding's start. */
export const sectionAlignmentBytes = 8;
const zeroPadding = new Uint8Array(sectionAlignmentBytes);

/** Zero bytes that follow a section of `byteLength` bytes to keep the next one aligned. */
function paddingAfter(byteLength: number): number {
  return (sectionAlignmentBytes - (byteLength % sectionAlignmentBytes)) % sectionAlignmentBytes;
}

/** Bytes of the fixed header in front of an encoded batch. */
export const columnBatchHeaderBytes = 16;
const batchMagic = Buffer.from('QCBT', 'latin1');
export const columnBatchVersion = 1;

const flagHasValidity = 1;
const maxU32 = 0xffff_ffff;

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  throw new Error(
    'the column codec writes typed arrays as they are in memory and needs a little-endian host',
  );
}

/** Memory for dense vector values: a whole buffer, or a region of one (e.g. in kernel memory). */
export type VectorMemory = ArrayBuffer | SharedArrayBuffer | Uint8Array;
export type VectorAllocator = (byteLength: number, type: DataType) => VectorMemory;

/** The bytes of `memory` as a Uint8Array, whatever form the allocator returned. */
export function vectorMemoryBytes(memory: VectorMemory): Uint8Array {
  return memory instanceof Uint8Array ? memory : new Uint8Array(memory);
}

export interface DecodeColumnOptions {
  /**
   * Supplies the memory for dense vector values: called once per dense vector column with the exact
   * byte length needed and the column's type; the values are copied straight into the returned
   * memory (a buffer from its byte 0, or a Uint8Array region from its first byte), which may be
   * larger. Default: a new ArrayBuffer.
   */
  readonly vectorAllocator?: VectorAllocator;
  /**
   * Zero-copy decoding for callers that own `bytes` and will never modify or reuse them (a buffer
   * read from a file for this purpose): typed arrays become views into `bytes` wherever their data
   * is aligned for their element type, and copies elsewhere. Default false: every array is a copy.
   * Dense vectors still go to `vectorAllocator` when it is given.
   */
  readonly views?: boolean;
  /**
   * Views as with `views`, but only for the fixed-width values of scalar and dense vector columns:
   * for callers that copy the batch out at once (WAL replay appending to a growing segment), where a
   * copy of each value array would be made only to be copied again. Sparse and array rows, which are
   * kept as they are, are still copies, so they never hold the input buffer alive.
   */
  readonly fixedWidthViews?: boolean;
}

export interface DecodedColumn {
  readonly column: Column;
  /** Bytes consumed from `offset`: the column header plus its body. */
  readonly bytesRead: number;
}

type AnyTypedArray =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array
  | BigInt64Array;

interface TypedArrayClass<T extends AnyTypedArray> {
  new (length: number): T;
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT: number;
  readonly name: string;
}

/** Value arrays of fixed-width scalar columns. */
const scalarClasses = new Map<DataType, TypedArrayClass<AnyTypedArray>>([
  [DataType.Bool, Uint8Array],
  [DataType.Int8, Int8Array],
  [DataType.Int16, Int16Array],
  [DataType.Int32, Int32Array],
  [DataType.Int64, BigInt64Array],
  [DataType.Float, Float32Array],
  [DataType.Double, Float64Array],
]);

/** Cells of Array columns with numeric or bool elements (VarChar elements are string[]). */
const arrayCellClasses = new Map<DataType, TypedArrayClass<AnyTypedArray>>([
  [DataType.Bool, Uint8Array],
  [DataType.Int8, Int32Array],
  [DataType.Int16, Int32Array],
  [DataType.Int32, Int32Array],
  [DataType.Int64, BigInt64Array],
  [DataType.Float, Float32Array],
  [DataType.Double, Float64Array],
]);

/** Dense vector values: the array class and how many of its elements one row takes for a `dim`. */
const denseVectorLayouts = new Map<
  DataType,
  { readonly arrayClass: TypedArrayClass<AnyTypedArray>; readonly elementsPerRow: (dim: number) => number }
>([
  [DataType.FloatVector, { arrayClass: Float32Array, elementsPerRow: (dim) => dim }],
  [DataType.Float16Vector, { arrayClass: Uint16Array, elementsPerRow: (dim) => dim }],
  [DataType.BFloat16Vector, { arrayClass: Uint16Array, elementsPerRow: (dim) => dim }],
  [DataType.BinaryVector, { arrayClass: Uint8Array, elementsPerRow: (dim) => dim / 8 }],
  [DataType.Int8Vector, { arrayClass: Int8Array, elementsPerRow: (dim) => dim }],
]);

function bytesOf(array: ArrayBufferView): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

function encodeError(label: string, detail: string): QuiverError {
  return errors.unexpected(`cannot encode ${label}: ${detail}`);
}

/** Rows in `column`, after checking that its arrays agree with each other and with its type. */
export function columnRowCount(column: Column, label = 'column'): number {
  const fail = (detail: string): never => {
    throw encodeError(label, `${dataTypeName(column.type)} ${detail}`);
  };
  const scalarClass = scalarClasses.get(column.type);
  const denseLayout = denseVectorLayouts.get(column.type);
  let numRows: number;
  if (scalarClass !== undefined) {
    if (!(column.values instanceof scalarClass)) fail(`values must be a ${scalarClass.name}`);
    numRows = column.values.length;
  } else if (denseLayout !== undefined) {
    const { dim } = column as { dim: number };
    const perRow = Number.isSafeInteger(dim) && dim > 0 ? denseLayout.elementsPerRow(dim) : Number.NaN;
    if (!Number.isInteger(perRow) || dim > maxU32) fail(`has invalid dim ${dim}`);
    if (!(column.values instanceof denseLayout.arrayClass)) {
      fail(`values must be a ${denseLayout.arrayClass.name}`);
    }
    if (column.values.length % perRow !== 0) {
      fail(`values length ${column.values.length} is not a multiple of ${perRow} (dim ${dim})`);
    }
    numRows = column.values.length / perRow;
  } else if (
    column.type === DataType.VarChar ||
    column.type === DataType.JSON ||
    column.type === DataType.Array ||
    column.type === DataType.SparseFloatVector
  ) {
    if (!Array.isArray(column.values)) fail('values must be an array');
    numRows = column.values.length;
  } else {
    return fail('is not a column type the codec knows');
  }
  if (numRows > maxU32) fail(`has ${numRows} rows, more than ${maxU32}`);
  if (column.valid !== undefined) {
    if (!(column.valid instanceof Uint8Array)) fail('valid must be a Uint8Array');
    if (column.valid.length !== numRows) fail(`valid has ${column.valid.length} entries for ${numRows} rows`);
  }
  return numRows;
}

/**
 * Encodes one column as a list of chunks to be written (or concatenated) in order. The large
 * chunks are views of the column's typed arrays: do not modify the column until they are written.
 */
export function encodeColumn(column: Column): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  encodeColumnInto(column, chunks, 'column');
  return chunks;
}

/** Appends the encoding of `column` to `chunks`; returns its row count and byte length. */
function encodeColumnInto(
  column: Column,
  chunks: Uint8Array[],
  label: string,
): { numRows: number; byteLength: number } {
  const numRows = columnRowCount(column, label);
  const header = Buffer.alloc(columnHeaderBytes);
  chunks.push(header);
  let bodyBytes = 0;
  // Each section is followed by zero padding, so every section starts 8-byte aligned.
  const push = (chunk: Uint8Array): void => {
    if (chunk.byteLength === 0) return;
    chunks.push(chunk);
    const padding = paddingAfter(chunk.byteLength);
    if (padding > 0) chunks.push(zeroPadding.subarray(0, padding));
    bodyBytes += chunk.byteLength + padding;
  };
  const pushStrings = (values: readonly string[]): void => {
    let encoded: ReturnType<typeof encodeUtf8Strings>;
    try {
      encoded = encodeUtf8Strings(values);
    } catch (error) {
      throw encodeError(label, (error as Error).message);
    }
    push(bytesOf(encoded.offsets));
    push(encoded.bytes);
  };

  if (column.valid !== undefined) push(packValidity(column.valid));
  let elementType = 0;
  let dim = 0;
  switch (column.type) {
    case DataType.Bool:
    case DataType.Int8:
    case DataType.Int16:
    case DataType.Int32:
    case DataType.Int64:
    case DataType.Float:
    case DataType.Double:
      push(bytesOf(column.values));
      break;
    case DataType.VarChar:
    case DataType.JSON:
      pushStrings(column.values);
      break;
    case DataType.FloatVector:
    case DataType.Float16Vector:
    case DataType.BFloat16Vector:
    case DataType.BinaryVector:
    case DataType.Int8Vector:
      dim = column.dim;
      push(bytesOf(column.values));
      break;
    case DataType.SparseFloatVector: {
      const encoded = encodeSparseRows(column.values, label);
      push(bytesOf(encoded.offsets));
      push(bytesOf(encoded.indices));
      push(bytesOf(encoded.values));
      break;
    }
    case DataType.Array: {
      elementType = column.elementType;
      const cellClass = arrayCellClasses.get(elementType);
      if (cellClass === undefined && elementType !== DataType.VarChar) {
        throw encodeError(label, `Array element type ${dataTypeName(elementType)} is not supported`);
      }
      const offsets = new Uint32Array(numRows + 1);
      let total = 0;
      for (let row = 0; row < numRows; row++) {
        const cell = column.values[row];
        const valid =
          cellClass === undefined
            ? Array.isArray(cell)
            : cell instanceof (cellClass as TypedArrayClass<AnyTypedArray>);
        if (!valid) {
          const expected = cellClass === undefined ? 'string[]' : cellClass.name;
          throw encodeError(
            label,
            `Array cell ${row} must be a ${expected} for ${dataTypeName(elementType)} elements`,
          );
        }
        total += (cell as ArrayCell).length;
        if (total > maxU32) throw encodeError(label, `Array cells hold more than ${maxU32} elements`);
        offsets[row + 1] = total;
      }
      push(bytesOf(offsets));
      if (cellClass === undefined) {
        pushStrings((column.values as string[][]).flat());
      } else {
        const elements = new cellClass(total) as AnyTypedArray & {
          set(source: ArrayLike<unknown>, at: number): void;
        };
        for (let row = 0; row < numRows; row++)
          elements.set(column.values[row] as AnyTypedArray, offsets[row]!);
        push(bytesOf(elements));
      }
      break;
    }
    default:
      throw encodeError(
        label,
        `${dataTypeName((column as Column).type)} is not a column type the codec knows`,
      );
  }

  header.writeUInt8(column.type, 0);
  header.writeUInt8(column.valid === undefined ? 0 : flagHasValidity, 1);
  header.writeUInt8(elementType, 2);
  header.writeUInt32LE(numRows, 4);
  header.writeUInt32LE(dim, 8);
  header.writeBigUInt64LE(BigInt(bodyBytes), 16);
  return { numRows, byteLength: columnHeaderBytes + bodyBytes };
}

/** Bit i of byte i/8 (least significant bit first) is 1 when row i has a value. */
function packValidity(valid: Uint8Array): Uint8Array {
  const numRows = valid.length;
  const packed = new Uint8Array(Math.ceil(numRows / 8));
  for (let row = 0; row < numRows; row++) {
    if (valid[row] !== 0) packed[row >>> 3]! |= 1 << (row & 7);
  }
  return packed;
}

function encodeSparseRows(
  rows: readonly SparseVector[],
  label: string,
): { offsets: Uint32Array; indices: Uint32Array; values: Float32Array } {
  const offsets = new Uint32Array(rows.length + 1);
  let total = 0;
  for (let row = 0; row < rows.length; row++) {
    const vector = rows[row];
    if (
      vector === undefined ||
      !(vector.indices instanceof Uint32Array) ||
      !(vector.values instanceof Float32Array) ||
      vector.indices.length !== vector.values.length
    ) {
      throw encodeError(
        label,
        `sparse row ${row} must have Uint32Array indices and Float32Array values of the same length`,
      );
    }
    total += vector.indices.length;
    if (total > maxU32) throw encodeError(label, `sparse rows hold more than ${maxU32} entries`);
    offsets[row + 1] = total;
  }
  const indices = new Uint32Array(total);
  const values = new Float32Array(total);
  for (let row = 0; row < rows.length; row++) {
    indices.set(rows[row]!.indices, offsets[row]!);
    values.set(rows[row]!.values, offsets[row]!);
  }
  return { offsets, indices, values };
}

/**
 * Reads fields from `bytes` with bounds checks; every defect throws a QuiverError (IoFailed) naming
 * the byte offset within `bytes`. Sections are padded to 8 bytes counted from `base` (the start of
 * the enclosing encoding); padding must be zero.
 */
class ByteReader {
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  private readonly base: number;
  /** Whether typed arrays may be views into `bytes` (when aligned) instead of copies. */
  views: boolean;
  position: number;
  end: number;

  constructor(bytes: Uint8Array, position: number, end: number, views: boolean) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.base = position;
    this.views = views;
    this.position = position;
    this.end = end;
  }

  fail(detail: string, at = this.position): never {
    throw errors.ioFailed(`malformed column encoding at byte ${at}: ${detail}`);
  }

  need(byteLength: number, what: string): void {
    if (byteLength > this.end - this.position) {
      this.fail(`${what} needs ${byteLength} bytes, only ${this.end - this.position} remain`);
    }
  }

  u8(): number {
    this.need(1, 'a u8');
    return this.view.getUint8(this.position++);
  }

  u16(): number {
    this.need(2, 'a u16');
    const value = this.view.getUint16(this.position, true);
    this.position += 2;
    return value;
  }

  u32(): number {
    this.need(4, 'a u32');
    const value = this.view.getUint32(this.position, true);
    this.position += 4;
    return value;
  }

  /** A u64 that must fit in a JavaScript number without loss. */
  u64(what: string): number {
    this.need(8, what);
    const value = this.view.getBigUint64(this.position, true);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(`${what} ${value} is too large`);
    this.position += 8;
    return Number(value);
  }

  /** Skips the zero padding that aligns the next section. */
  pad(): void {
    const padding = paddingAfter(this.position - this.base);
    this.need(padding, 'padding');
    for (let index = 0; index < padding; index++) {
      if (this.bytes[this.position + index] !== 0) this.fail('padding byte is not 0', this.position + index);
    }
    this.position += padding;
  }

  /** A view of the next section of `byteLength` bytes (not a copy); skips its padding. */
  section(byteLength: number, what: string): Uint8Array {
    this.need(byteLength, what);
    const view = this.bytes.subarray(this.position, this.position + byteLength);
    this.position += byteLength;
    this.pad();
    return view;
  }

  /** The next section as `length` elements: a fresh copy, or a view when allowed and aligned. */
  array<T extends AnyTypedArray>(
    arrayClass: TypedArrayClass<T>,
    length: number,
    what: string,
    views = this.views,
  ): T {
    const source = this.section(length * arrayClass.BYTES_PER_ELEMENT, what);
    const byteOffset = source.byteOffset;
    if (views && byteOffset % arrayClass.BYTES_PER_ELEMENT === 0) {
      return new arrayClass(source.buffer, byteOffset, length);
    }
    const target = new arrayClass(length);
    bytesOf(target).set(source);
    return target;
  }

  /** `count + 1` u32 offsets that start at 0 and never decrease (a view when aligned: not kept). */
  offsets(count: number, what: string): Uint32Array {
    const at = this.position;
    const offsets = this.array(Uint32Array, count + 1, what, true);
    if (offsets[0] !== 0) this.fail(`${what} start at ${offsets[0]}, not 0`, at);
    for (let index = 0; index < count; index++) {
      if (offsets[index + 1]! < offsets[index]!) this.fail(`${what} decrease at entry ${index + 1}`, at);
    }
    return offsets;
  }

  strings(count: number, what: string): string[] {
    const offsets = this.offsets(count, `${what} offsets`);
    return decodeUtf8Strings(this.section(offsets[count]!, `${what} bytes`), offsets);
  }
}

interface ColumnHeader {
  readonly start: number;
  readonly type: DataType;
  readonly hasValidity: boolean;
  readonly elementType: DataType;
  readonly numRows: number;
  readonly dim: number;
  readonly bodyBytes: number;
}

function readColumnHeader(reader: ByteReader): ColumnHeader {
  const start = reader.position;
  reader.need(columnHeaderBytes, 'the column header');
  const type = reader.u8() as DataType;
  const flags = reader.u8();
  const elementType = reader.u8() as DataType;
  const reservedByte = reader.u8();
  const numRows = reader.u32();
  const dim = reader.u32();
  const reservedWord = reader.u32();
  const bodyBytes = reader.u64('the body length');
  if ((flags & ~flagHasValidity) !== 0) reader.fail(`unknown flags 0x${flags.toString(16)}`, start + 1);
  if (reservedByte !== 0 || reservedWord !== 0) reader.fail('reserved header bytes are not 0', start + 3);
  if (type !== DataType.Array && elementType !== 0) {
    reader.fail(`element type ${elementType} on a ${dataTypeName(type)} column`, start + 2);
  }
  const denseLayout = denseVectorLayouts.get(type);
  if (denseLayout === undefined && dim !== 0)
    reader.fail(`dim ${dim} on a ${dataTypeName(type)} column`, start + 8);
  if (denseLayout !== undefined && !(dim > 0 && Number.isInteger(denseLayout.elementsPerRow(dim)))) {
    reader.fail(`invalid dim ${dim} for ${dataTypeName(type)}`, start + 8);
  }
  return { start, type, hasValidity: (flags & flagHasValidity) !== 0, elementType, numRows, dim, bodyBytes };
}

/**
 * Decodes the column encoded at `offset` in `bytes`. Throws a QuiverError (IoFailed) naming the
 * byte offset when the encoding is truncated or inconsistent; never returns a partial column.
 */
export function decodeColumn(
  bytes: Uint8Array,
  offset = 0,
  options: DecodeColumnOptions = {},
): DecodedColumn {
  const reader = new ByteReader(bytes, offset, bytes.byteLength, options.views === true);
  const { column } = readColumn(reader, options);
  return { column, bytesRead: reader.position - offset };
}

function readColumn(reader: ByteReader, options: DecodeColumnOptions): { column: Column; numRows: number } {
  const header = readColumnHeader(reader);
  const { start, type, numRows, dim, bodyBytes } = header;
  reader.need(bodyBytes, 'the column body');
  const bodyEnd = reader.position + bodyBytes;
  const outerEnd = reader.end;
  reader.end = bodyEnd;

  const valid = header.hasValidity ? readValidity(reader, numRows) : undefined;
  let column: Column;
  const scalarClass = scalarClasses.get(type);
  const denseLayout = denseVectorLayouts.get(type);
  if (scalarClass !== undefined) {
    const values = reader.array(scalarClass, numRows, `${dataTypeName(type)} values`);
    column = { type, values } as Column;
  } else if (denseLayout !== undefined) {
    const length = numRows * denseLayout.elementsPerRow(dim);
    const source = reader.section(
      length * denseLayout.arrayClass.BYTES_PER_ELEMENT,
      `${dataTypeName(type)} values`,
    );
    const aligned = source.byteOffset % denseLayout.arrayClass.BYTES_PER_ELEMENT === 0;
    const values =
      options.vectorAllocator === undefined &&
      (options.views === true || options.fixedWidthViews === true) &&
      aligned
        ? new denseLayout.arrayClass(source.buffer, source.byteOffset, length)
        : copyDenseValues(denseLayout.arrayClass, length, source, type, options);
    column = { type, dim, values } as Column;
  } else {
    switch (type) {
      case DataType.VarChar:
      case DataType.JSON:
        column = { type, values: reader.strings(numRows, 'string') };
        break;
      case DataType.SparseFloatVector:
        column = { type, values: keptRows(reader, options, () => readSparseRows(reader, numRows)) };
        break;
      case DataType.Array:
        column = {
          type,
          elementType: header.elementType,
          values: keptRows(reader, options, () =>
            readArrayCells(reader, numRows, header.elementType, start + 2),
          ),
        };
        break;
      default:
        return reader.fail(`unknown column type ${type}`, start);
    }
  }
  if (reader.position !== bodyEnd) {
    reader.fail(
      `the body is ${bodyBytes} bytes but its sections end after ${reader.position - (bodyEnd - bodyBytes)}`,
    );
  }
  reader.end = outerEnd;
  if (valid !== undefined) column.valid = valid;
  return { column, numRows };
}

/** Reads rows that the caller keeps as they are: copies under fixedWidthViews (see its comment). */
function keptRows<T>(reader: ByteReader, options: DecodeColumnOptions, read: () => T): T {
  if (options.views === true || options.fixedWidthViews !== true) return read();
  reader.views = false;
  try {
    return read();
  } finally {
    reader.views = true;
  }
}

/** Dense vector values in memory from `vectorAllocator` (or a new ArrayBuffer), copied from `source`. */
function copyDenseValues(
  arrayClass: TypedArrayClass<AnyTypedArray>,
  length: number,
  source: Uint8Array,
  type: DataType,
  options: DecodeColumnOptions,
): AnyTypedArray {
  const byteLength = source.byteLength;
  const memory = vectorMemoryBytes(
    options.vectorAllocator ? options.vectorAllocator(byteLength, type) : new ArrayBuffer(byteLength),
  );
  if (memory.byteLength < byteLength) {
    throw errors.unexpected(`vectorAllocator returned ${memory.byteLength} bytes; ${byteLength} are needed`);
  }
  const values = new arrayClass(memory.buffer, memory.byteOffset, length);
  bytesOf(values).set(source);
  return values;
}

function readValidity(reader: ByteReader, numRows: number): Uint8Array {
  const at = reader.position;
  const packed = reader.section(Math.ceil(numRows / 8), 'the validity bitmap');
  const valid = new Uint8Array(numRows);
  for (let row = 0; row < numRows; row++) valid[row] = (packed[row >>> 3]! >>> (row & 7)) & 1;
  if ((numRows & 7) !== 0 && packed[packed.length - 1]! >>> (numRows & 7) !== 0) {
    reader.fail('the validity bitmap has bits set past the last row', at + packed.length - 1);
  }
  return valid;
}

function readSparseRows(reader: ByteReader, numRows: number): SparseVector[] {
  const offsets = reader.offsets(numRows, 'sparse row offsets');
  const total = offsets[numRows]!;
  const indices = reader.array(Uint32Array, total, 'sparse indices');
  const values = reader.array(Float32Array, total, 'sparse values');
  const rows = new Array<SparseVector>(numRows);
  for (let row = 0; row < numRows; row++) {
    const from = offsets[row]!;
    const to = offsets[row + 1]!;
    rows[row] = { indices: indices.subarray(from, to), values: values.subarray(from, to) };
  }
  return rows;
}

function readArrayCells(
  reader: ByteReader,
  numRows: number,
  elementType: DataType,
  elementTypeAt: number,
): ArrayCell[] {
  const cellClass = arrayCellClasses.get(elementType);
  if (cellClass === undefined && elementType !== DataType.VarChar) {
    reader.fail(`unsupported Array element type ${elementType}`, elementTypeAt);
  }
  const offsets = reader.offsets(numRows, 'Array cell offsets');
  const total = offsets[numRows]!;
  const cells = new Array<ArrayCell>(numRows);
  if (cellClass === undefined) {
    const elements = reader.strings(total, 'Array string');
    for (let row = 0; row < numRows; row++) cells[row] = elements.slice(offsets[row], offsets[row + 1]);
  } else {
    const elements = reader.array(cellClass, total, 'Array elements');
    for (let row = 0; row < numRows; row++) {
      cells[row] = elements.subarray(offsets[row]!, offsets[row + 1]!) as ArrayCell;
    }
  }
  return cells;
}

/**
 * Where a dense vector column's values sit in its encoding, for readers that fetch them on their
 * own (straight into their final memory): the values start `valuesOffset` bytes after the column's
 * start and take `valuesBytes`; `byteLength` is the whole encoding (values padded to 8 bytes).
 */
export function denseVectorEncodingLayout(
  type: DataType,
  dim: number,
  numRows: number,
  nullable: boolean,
): { valuesOffset: number; valuesBytes: number; byteLength: number } | undefined {
  const layout = denseVectorLayouts.get(type);
  const perRow = layout?.elementsPerRow(dim);
  if (layout === undefined || perRow === undefined || !(dim > 0 && Number.isInteger(perRow)))
    return undefined;
  const validityBytes = nullable ? Math.ceil(numRows / 8) : 0;
  const valuesOffset = columnHeaderBytes + validityBytes + paddingAfter(validityBytes);
  const valuesBytes = numRows * perRow * layout.arrayClass.BYTES_PER_ELEMENT;
  return { valuesOffset, valuesBytes, byteLength: valuesOffset + valuesBytes + paddingAfter(valuesBytes) };
}

/**
 * Decodes a dense vector column whose encoding was read in three consecutive parts: `prefix` (the
 * bytes before the values), `values` (which becomes the column's values array, not copied: read
 * it straight into SharedArrayBuffer or kernel memory, from its first byte) and `suffix` (the padding after
 * them). See denseVectorEncodingLayout for the split. Throws like decodeColumn.
 */
export function decodeDenseVectorColumn(
  prefix: Uint8Array,
  values: VectorMemory,
  valuesBytes: number,
  suffix: Uint8Array,
): Column {
  const memory = vectorMemoryBytes(values);
  const reader = new ByteReader(prefix, 0, prefix.byteLength, false);
  const header = readColumnHeader(reader);
  const layout = denseVectorEncodingLayout(header.type, header.dim, header.numRows, header.hasValidity);
  if (layout === undefined) return reader.fail(`${dataTypeName(header.type)} is not a dense vector type`, 0);
  if (
    layout.valuesOffset !== prefix.byteLength ||
    layout.valuesBytes !== valuesBytes ||
    layout.byteLength !== prefix.byteLength + valuesBytes + suffix.byteLength ||
    header.bodyBytes !== layout.byteLength - columnHeaderBytes ||
    memory.byteLength < valuesBytes
  ) {
    reader.fail(
      `the parts (${prefix.byteLength} + ${valuesBytes} + ${suffix.byteLength} bytes) do not fit the header`,
    );
  }
  if (suffix.some((byte) => byte !== 0))
    reader.fail('padding byte is not 0', prefix.byteLength + valuesBytes);
  const valid = header.hasValidity ? readValidity(reader, header.numRows) : undefined;
  const arrayClass = denseVectorLayouts.get(header.type)!.arrayClass;
  const column = {
    type: header.type,
    dim: header.dim,
    values: new arrayClass(memory.buffer, memory.byteOffset, valuesBytes / arrayClass.BYTES_PER_ELEMENT),
  } as Column;
  if (valid !== undefined) column.valid = valid;
  return column;
}

/**
 * Encodes a batch: header (magic, version, row count, column count), then per column its name
 * (u16 length + UTF-8, padded to 8 bytes) and encoding, in the Map's order. Every column must have
 * `batch.numRows` rows.
 */
export function encodeColumnBatch(batch: ColumnBatch): Uint8Array[] {
  const { numRows, columns } = batch;
  if (!Number.isSafeInteger(numRows) || numRows < 0 || numRows > maxU32) {
    throw encodeError('column batch', `invalid row count ${numRows}`);
  }
  const header = Buffer.alloc(columnBatchHeaderBytes);
  batchMagic.copy(header, 0);
  header.writeUInt32LE(columnBatchVersion, 4);
  header.writeUInt32LE(numRows, 8);
  header.writeUInt32LE(columns.size, 12);
  const chunks: Uint8Array[] = [header];
  for (const [name, column] of columns) {
    const nameBytes = Buffer.from(name, 'utf8');
    if (nameBytes.length === 0 || nameBytes.length > 0xffff) {
      throw encodeError('column batch', `field name "${name}" must be 1 to 65535 UTF-8 bytes`);
    }
    const nameChunk = Buffer.alloc(2 + nameBytes.length + paddingAfter(2 + nameBytes.length));
    nameChunk.writeUInt16LE(nameBytes.length, 0);
    nameBytes.copy(nameChunk, 2);
    chunks.push(nameChunk);
    const encoded = encodeColumnInto(column, chunks, `field "${name}"`);
    if (encoded.numRows !== numRows) {
      throw encodeError('column batch', `field "${name}" has ${encoded.numRows} rows, the batch ${numRows}`);
    }
  }
  return chunks;
}

/**
 * Decodes a batch that fills `bytes` exactly (as a WAL record payload does). Throws a QuiverError
 * (IoFailed) naming the byte offset on any defect.
 */
export function decodeColumnBatch(bytes: Uint8Array, options: DecodeColumnOptions = {}): ColumnBatch {
  const reader = new ByteReader(
    bytes,
    0,
    bytes.byteLength,
    options.views === true || options.fixedWidthViews === true,
  );
  reader.need(columnBatchHeaderBytes, 'the batch header');
  const magic = bytes.subarray(0, 4);
  if (!batchMagic.equals(magic)) reader.fail(`bad batch magic ${Buffer.from(magic).toString('hex')}`, 0);
  reader.position = 4;
  const version = reader.u32();
  if (version !== columnBatchVersion) reader.fail(`unknown batch version ${version}`, 4);
  const numRows = reader.u32();
  const numColumns = reader.u32();
  const columns = new Map<string, Column>();
  for (let index = 0; index < numColumns; index++) {
    const nameAt = reader.position;
    const nameLength = reader.u16();
    reader.position -= 2;
    const name = Buffer.from(reader.section(2 + nameLength, 'a field name').subarray(2)).toString('utf8');
    if (nameLength === 0 || columns.has(name)) reader.fail(`empty or repeated field name "${name}"`, nameAt);
    const columnAt = reader.position;
    const { column, numRows: rows } = readColumn(reader, options);
    if (rows !== numRows) reader.fail(`field "${name}" has ${rows} rows, the batch ${numRows}`, columnAt);
    columns.set(name, column);
  }
  if (reader.position !== bytes.byteLength) {
    reader.fail(`${bytes.byteLength - reader.position} bytes follow the last column`);
  }
  return { numRows, columns };
}
