import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isQuiverError } from '../../errors/index.js';
import type { Column, ColumnBatch, SparseVector } from '../../schema/column.js';
import { DataType, dataTypeName } from '../../schema/data-type.js';
import {
  columnBatchHeaderBytes,
  columnHeaderBytes,
  decodeColumn,
  decodeColumnBatch,
  decodeDenseVectorColumn,
  denseVectorEncodingLayout,
  encodeColumn,
  encodeColumnBatch,
} from './column-codec.js';
import { awkwardStrings, concatChunks, sampleColumns } from './format-test-support.js';

/** The bytes of a column whose values are a typed array. */
function valueBytes(column: Column): Buffer {
  const values = column.values as Uint8Array;
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

const isIoFailed = (error: unknown) => isQuiverError(error) && error.kind === 'IoFailed';
const isUnexpected = (error: unknown) => isQuiverError(error) && error.kind === 'Unexpected';

function roundTrip(column: Column): Column {
  const bytes = concatChunks(encodeColumn(column));
  const { column: decoded, bytesRead } = decodeColumn(bytes);
  assert.equal(bytesRead, bytes.length);
  // Byte-exact as well as deep-equal: re-encoding the decoded column gives the same bytes
  // (covers NaN payloads and -0, which deepEqual treats loosely).
  assert.deepEqual(concatChunks(encodeColumn(decoded)), bytes);
  return decoded;
}

for (const nullable of [false, true]) {
  for (const numRows of [0, 1, 13, 300]) {
    test(`every column type round-trips (${numRows} rows, ${nullable ? 'with' : 'without'} nulls)`, () => {
      const columns = sampleColumns(numRows, { nullable });
      assert.equal(columns.size, 24, 'sampleColumns covers every Column variant');
      for (const [name, column] of columns) {
        const decoded = roundTrip(column);
        assert.deepEqual(decoded, column, `${name} (${dataTypeName(column.type)})`);
      }
    });
  }
}

test('strings keep empty values, multi-byte and astral characters, NUL and long values exactly', () => {
  for (const type of [DataType.VarChar, DataType.JSON] as const) {
    const values = [...awkwardStrings, ...awkwardStrings.map((text) => text.repeat(3))];
    const decoded = roundTrip({ type, values });
    assert.deepEqual(decoded, { type, values });
  }
  const allEmpty: Column = { type: DataType.VarChar, values: ['', '', ''] };
  assert.deepEqual(roundTrip(allEmpty), allEmpty);
});

test('non-ASCII strings that outgrow the first buffer guess are written whole', () => {
  // Three-byte characters after ASCII force the encoder's buffer to grow mid-column.
  const values = Array.from({ length: 2000 }, (_, row) =>
    row < 1000 ? 'a'.repeat(row % 50) : '中'.repeat(row % 70),
  );
  assert.deepEqual(roundTrip({ type: DataType.VarChar, values }).values, values);
});

test('float special values round-trip bit for bit', () => {
  const values = Float32Array.from([
    Number.NaN,
    -0,
    0,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    1e-45,
  ]);
  const decoded = roundTrip({ type: DataType.Float, values });
  assert.deepEqual(valueBytes(decoded), valueBytes({ type: DataType.Float, values }));
  const doubles = Float64Array.from([Number.NaN, -0, Number.MAX_VALUE, Number.MIN_VALUE]);
  const decodedDoubles = roundTrip({ type: DataType.Double, values: doubles });
  assert.deepEqual(valueBytes(decodedDoubles), valueBytes({ type: DataType.Double, values: doubles }));
});

test('Array columns keep empty cells and each cell has the element type class', () => {
  const column: Column = {
    type: DataType.Array,
    elementType: DataType.Int16,
    values: [new Int32Array(0), Int32Array.from([-32768, 32767]), new Int32Array(0)],
  };
  const decoded = roundTrip(column) as Extract<Column, { type: DataType.Array }>;
  assert.deepEqual(decoded, column);
  for (const cell of decoded.values) assert.ok(cell instanceof Int32Array);
  const strings: Column = {
    type: DataType.Array,
    elementType: DataType.VarChar,
    values: [[], [''], ['a', '😀'], []],
  };
  assert.deepEqual(roundTrip(strings), strings);
});

test('decoding starts at an offset, reports bytesRead, and decodes columns back to back', () => {
  const columns = [...sampleColumns(5).values()];
  const parts = [Buffer.from('junk!'), ...columns.flatMap((column) => encodeColumn(column))];
  const bytes = concatChunks(parts);
  let offset = 5;
  for (const column of columns) {
    const { column: decoded, bytesRead } = decodeColumn(bytes, offset);
    assert.deepEqual(decoded, column);
    offset += bytesRead;
  }
  assert.equal(offset, bytes.length);
});

test('decoded arrays are fresh copies: changing the input afterwards does not change them', () => {
  const column: Column = { type: DataType.FloatVector, dim: 2, values: Float32Array.from([1, 2, 3, 4]) };
  const bytes = concatChunks(encodeColumn(column));
  const { column: decoded } = decodeColumn(bytes);
  bytes.fill(0xff);
  assert.deepEqual(decoded, column);
  assert.notEqual(decoded.values.buffer, bytes.buffer);
});

test('encoding does not copy large typed arrays: chunks are views of the column memory', () => {
  const values = new Float32Array(128 * 1000);
  const chunks = encodeColumn({ type: DataType.FloatVector, dim: 128, values });
  assert.ok(chunks.some((chunk) => chunk.buffer === values.buffer && chunk.byteLength === values.byteLength));
});

for (const type of [
  DataType.FloatVector,
  DataType.Float16Vector,
  DataType.BFloat16Vector,
  DataType.BinaryVector,
  DataType.Int8Vector,
]) {
  test(`${dataTypeName(type)} decodes straight into memory from vectorAllocator (SharedArrayBuffer)`, () => {
    const column = [...sampleColumns(9, { nullable: true }).values()].find(
      (candidate) => candidate.type === type,
    )!;
    const bytes = concatChunks(encodeColumn(column));
    const requests: number[] = [];
    const { column: decoded } = decodeColumn(bytes, 0, {
      vectorAllocator: (byteLength) => {
        requests.push(byteLength);
        return new SharedArrayBuffer(byteLength + 64); // larger than asked is allowed
      },
    });
    const values = decoded.values as Uint8Array;
    assert.deepEqual(requests, [valueBytes(column).length]);
    assert.ok(values.buffer instanceof SharedArrayBuffer);
    assert.equal(values.byteOffset, 0);
    assert.deepEqual(decoded.valid, column.valid);
    assert.deepEqual(valueBytes(decoded), valueBytes(column));
    assert.equal(decoded.values.length, column.values.length);
  });
}

test('vectorAllocator is used for every dense vector column of a batch and only for those', () => {
  const batch: ColumnBatch = { numRows: 4, columns: sampleColumns(4) };
  let calls = 0;
  const decoded = decodeColumnBatch(concatChunks(encodeColumnBatch(batch)), {
    vectorAllocator: (byteLength) => {
      calls++;
      return new SharedArrayBuffer(byteLength);
    },
  });
  assert.equal(calls, 5);
  for (const column of decoded.columns.values()) {
    const dense = [
      DataType.FloatVector,
      DataType.Float16Vector,
      DataType.BFloat16Vector,
      DataType.BinaryVector,
      DataType.Int8Vector,
    ].includes(column.type);
    if (!Array.isArray(column.values)) assert.equal(column.values.buffer instanceof SharedArrayBuffer, dense);
  }
  assert.deepEqual(decoded, batch);
});

test('every section starts 8-byte aligned, so views: true decodes without copying', () => {
  const columns = sampleColumns(21, { nullable: true });
  const batch: ColumnBatch = { numRows: 21, columns };
  const chunks = encodeColumnBatch(batch);
  let position = 0;
  for (const chunk of chunks) {
    // Every chunk that is a view of a column's typed array starts on an 8-byte boundary.
    if (
      chunk.byteLength >= 8 &&
      [...columns.values()].some((column) => (column.values as Uint8Array).buffer === chunk.buffer)
    ) {
      assert.equal(position % 8, 0);
    }
    position += chunk.byteLength;
  }
  const bytes = concatChunks(chunks);
  const owned = new Uint8Array(new ArrayBuffer(bytes.length));
  owned.set(bytes);
  const decoded = decodeColumnBatch(owned, { views: true });
  assert.deepEqual(decoded, batch);
  for (const name of ['pk', 'big', 'price', 'score', 'count', 'small', 'embedding', 'half', 'bits']) {
    assert.equal((decoded.columns.get(name)!.values as Uint8Array).buffer, owned.buffer, `${name} is a view`);
  }
  const sparse = decoded.columns.get('sparse')!.values as SparseVector[];
  assert.equal(sparse[4]!.indices.buffer, owned.buffer);
  const copied = decodeColumnBatch(owned);
  assert.notEqual((copied.columns.get('pk')!.values as BigInt64Array).buffer, owned.buffer);
  // An input at an odd address cannot be viewed: the decoder copies instead, with the same result.
  const shifted = new Uint8Array(bytes.length + 1);
  shifted.set(bytes, 1);
  const fromShifted = decodeColumnBatch(shifted.subarray(1), { views: true });
  assert.deepEqual(fromShifted, batch);
  assert.notEqual((fromShifted.columns.get('pk')!.values as BigInt64Array).buffer, shifted.buffer);
});

test('fixedWidthViews: scalar and dense vector values are views, sparse and array rows are copies', () => {
  const columns = sampleColumns(21, { nullable: true });
  const bytes = concatChunks(encodeColumnBatch({ numRows: 21, columns }));
  const owned = new Uint8Array(new ArrayBuffer(bytes.length));
  owned.set(bytes);
  const decoded = decodeColumnBatch(owned, { fixedWidthViews: true });
  assert.deepEqual(decoded, { numRows: 21, columns });
  for (const name of ['pk', 'big', 'price', 'score', 'count', 'small', 'embedding', 'half', 'bits']) {
    assert.equal((decoded.columns.get(name)!.values as Uint8Array).buffer, owned.buffer, `${name} is a view`);
  }
  // Rows a segment keeps as they are must not hold the (large, transient) input alive.
  const sparse = decoded.columns.get('sparse')!.values as SparseVector[];
  assert.notEqual(sparse[4]!.indices.buffer, owned.buffer);
  assert.notEqual(sparse[4]!.values.buffer, owned.buffer);
  for (const [name, column] of decoded.columns) {
    if (column.type !== DataType.Array) continue;
    for (const cell of column.values) {
      if (cell && ArrayBuffer.isView(cell)) assert.notEqual(cell.buffer, owned.buffer, `${name} cell`);
    }
  }
});

test('a dense vector column decodes from separately read parts, keeping the values memory', () => {
  for (const column of sampleColumns(13, { nullable: true }).values()) {
    const layout = denseVectorEncodingLayout(column.type, 'dim' in column ? column.dim : 0, 13, true);
    if (!('dim' in column)) {
      assert.equal(layout, undefined);
      continue;
    }
    const bytes = concatChunks(encodeColumn(column));
    assert.ok(layout !== undefined);
    assert.equal(layout.byteLength, bytes.length);
    const memory = new SharedArrayBuffer(layout.valuesBytes);
    new Uint8Array(memory).set(bytes.subarray(layout.valuesOffset, layout.valuesOffset + layout.valuesBytes));
    const prefix = bytes.subarray(0, layout.valuesOffset);
    const suffix = bytes.subarray(layout.valuesOffset + layout.valuesBytes);
    const decoded = decodeDenseVectorColumn(prefix, memory, layout.valuesBytes, suffix);
    assert.deepEqual(decoded, column);
    assert.equal((decoded.values as Uint8Array).buffer, memory);
    const badSuffix = Buffer.from(suffix.length > 0 ? suffix : [0]);
    badSuffix[0] = 1;
    assert.throws(() => decodeDenseVectorColumn(prefix, memory, layout.valuesBytes, badSuffix), isIoFailed);
    assert.throws(
      () => decodeDenseVectorColumn(prefix, memory, layout.valuesBytes - 1, suffix),
      /do not fit/,
    );
  }
});

test('a vectorAllocator that returns too little memory is rejected', () => {
  const bytes = concatChunks(
    encodeColumn({ type: DataType.FloatVector, dim: 4, values: new Float32Array(8) }),
  );
  assert.throws(
    () => decodeColumn(bytes, 0, { vectorAllocator: () => new SharedArrayBuffer(16) }),
    /vectorAllocator returned 16 bytes; 32/,
  );
});

test('batches round-trip: every type with nulls, the Map order, and unicode field names', () => {
  const columns = sampleColumns(37, { nullable: true });
  columns.set('名前 ✓', {
    type: DataType.VarChar,
    values: Array.from({ length: 37 }, (_, row) => `v${row}`),
  });
  const batch: ColumnBatch = { numRows: 37, columns };
  const decoded = decodeColumnBatch(concatChunks(encodeColumnBatch(batch)));
  assert.deepEqual(decoded, batch);
  assert.deepEqual([...decoded.columns.keys()], [...columns.keys()]);
});

test('an empty batch (0 rows) and a batch without columns round-trip', () => {
  const empty: ColumnBatch = { numRows: 0, columns: sampleColumns(0, { nullable: true }) };
  assert.deepEqual(decodeColumnBatch(concatChunks(encodeColumnBatch(empty))), empty);
  const noColumns: ColumnBatch = { numRows: 0, columns: new Map() };
  const bytes = concatChunks(encodeColumnBatch(noColumns));
  assert.equal(bytes.length, columnBatchHeaderBytes);
  assert.deepEqual(decodeColumnBatch(bytes), noColumns);
});

test('a large batch (100k rows) round-trips', () => {
  const numRows = 100_000;
  const columns = new Map<string, Column>([
    [
      'id',
      {
        type: DataType.Int64,
        values: BigInt64Array.from({ length: numRows }, (_, row) => BigInt(row) * 7919n),
      },
    ],
    [
      'title',
      { type: DataType.VarChar, values: Array.from({ length: numRows }, (_, row) => `title ${row} é`) },
    ],
    [
      'score',
      {
        type: DataType.Float,
        values: Float32Array.from({ length: numRows }, (_, row) => row / 3),
        valid: new Uint8Array(numRows).fill(1),
      },
    ],
    [
      'embedding',
      {
        type: DataType.FloatVector,
        dim: 32,
        values: Float32Array.from({ length: numRows * 32 }, (_, i) => i % 1000),
      },
    ],
  ]);
  columns.get('score')!.valid![12_345] = 0;
  const batch: ColumnBatch = { numRows, columns };
  const bytes = concatChunks(encodeColumnBatch(batch));
  const decoded = decodeColumnBatch(bytes);
  assert.deepEqual(decoded, batch);
});

test('the encoding is compact: header, validity bits and raw values only', () => {
  const numRows = 1000;
  const column: Column = { type: DataType.FloatVector, dim: 128, values: new Float32Array(numRows * 128) };
  assert.equal(concatChunks(encodeColumn(column)).length, columnHeaderBytes + numRows * 128 * 4);
  const nullable: Column = {
    type: DataType.Int32,
    values: new Int32Array(numRows),
    valid: new Uint8Array(numRows),
  };
  // 125 validity bytes padded to 128, so that the values start 8-byte aligned.
  assert.equal(concatChunks(encodeColumn(nullable)).length, columnHeaderBytes + 128 + numRows * 4);
});

test('a truncated column or batch is rejected at every length, never returned partial', () => {
  const batch: ColumnBatch = { numRows: 6, columns: sampleColumns(6, { nullable: true }) };
  const bytes = concatChunks(encodeColumnBatch(batch));
  for (let length = 0; length < bytes.length; length++) {
    assert.throws(() => decodeColumnBatch(bytes.subarray(0, length)), isIoFailed, `batch cut at ${length}`);
  }
  for (const column of batch.columns.values()) {
    const encoded = concatChunks(encodeColumn(column));
    for (let length = 0; length < encoded.length; length++) {
      assert.throws(
        () => decodeColumn(encoded.subarray(0, length)),
        isIoFailed,
        `${dataTypeName(column.type)} cut at ${length}`,
      );
    }
  }
});

test('malformed headers and offsets are rejected with the byte offset', () => {
  const strings = concatChunks(encodeColumn({ type: DataType.VarChar, values: ['ab', 'cd'] }));
  const mutate = (bytes: Buffer, edit: (copy: Buffer) => void) => {
    const copy = Buffer.from(bytes);
    edit(copy);
    return copy;
  };
  const cases: Array<[string, Buffer, RegExp]> = [
    ['unknown type', mutate(strings, (b) => b.writeUInt8(99, 0)), /byte 0: unknown column type 99/],
    ['unknown flags', mutate(strings, (b) => b.writeUInt8(6, 1)), /byte 1: unknown flags/],
    ['element type on a scalar', mutate(strings, (b) => b.writeUInt8(5, 2)), /byte 2: element type/],
    ['reserved byte', mutate(strings, (b) => b.writeUInt8(1, 3)), /byte 3: reserved/],
    ['reserved word', mutate(strings, (b) => b.writeUInt8(1, 13)), /reserved header bytes/],
    ['dim on a scalar', mutate(strings, (b) => b.writeUInt32LE(4, 8)), /byte 8: dim 4/],
    ['body too long', mutate(strings, (b) => b.writeUInt32LE(b.readUInt32LE(16) + 8, 16)), /needs/],
    ['offsets not from 0', mutate(strings, (b) => b.writeUInt32LE(1, 24)), /start at 1/],
    ['offsets decrease', mutate(strings, (b) => b.writeUInt32LE(5, 28)), /decrease at entry 2/],
    ['padding not zero', mutate(strings, (b) => b.writeUInt8(1, 36)), /byte 36: padding byte is not 0/],
    ['more rows than body', mutate(strings, (b) => b.writeUInt32LE(3, 4)), /needs|decrease/],
  ];
  for (const [name, bytes, pattern] of cases) {
    assert.throws(
      () => decodeColumn(bytes),
      (error: unknown) => isIoFailed(error) && pattern.test((error as Error).message),
      name,
    );
  }
  const bits = concatChunks(
    encodeColumn({ type: DataType.Bool, values: new Uint8Array(3), valid: Uint8Array.from([1, 0, 1]) }),
  );
  bits[columnHeaderBytes]! |= 0x80; // a bit past the third row
  assert.throws(() => decodeColumn(bits), /bits set past the last row/);
  const dense = concatChunks(
    encodeColumn({ type: DataType.BinaryVector, dim: 8, values: new Uint8Array(2) }),
  );
  dense.writeUInt32LE(12, 8); // not a multiple of 8
  assert.throws(() => decodeColumn(dense), /invalid dim 12/);
});

test('malformed batches are rejected: magic, version, row count mismatch, repeated names, trailing bytes', () => {
  const batch: ColumnBatch = {
    numRows: 2,
    columns: new Map<string, Column>([
      ['a', { type: DataType.Int32, values: Int32Array.from([1, 2]) }],
      ['b', { type: DataType.Int32, values: Int32Array.from([3, 4]) }],
    ]),
  };
  const bytes = concatChunks(encodeColumnBatch(batch));
  const edited = (edit: (copy: Buffer) => void) => {
    const copy = Buffer.from(bytes);
    edit(copy);
    return copy;
  };
  assert.throws(() => decodeColumnBatch(edited((b) => b.write('XXXX', 0))), /bad batch magic/);
  assert.throws(() => decodeColumnBatch(edited((b) => b.writeUInt32LE(2, 4))), /unknown batch version 2/);
  assert.throws(
    () => decodeColumnBatch(edited((b) => b.writeUInt32LE(3, 8))),
    /field "a" has 2 rows, the batch 3/,
  );
  const secondName = bytes.indexOf('b', columnBatchHeaderBytes + 3);
  assert.throws(() => decodeColumnBatch(edited((b) => b.write('a', secondName))), /repeated field name "a"/);
  assert.throws(
    () => decodeColumnBatch(Buffer.concat([bytes, Buffer.from([0])])),
    /1 bytes follow the last column/,
  );
});

test('the encoder rejects columns whose arrays disagree with their type', () => {
  const bad: Array<[string, Column]> = [
    ['wrong class', { type: DataType.Int64, values: new Float64Array(2) } as unknown as Column],
    ['valid length', { type: DataType.Int32, values: new Int32Array(3), valid: new Uint8Array(2) }],
    ['dim mismatch', { type: DataType.FloatVector, dim: 3, values: new Float32Array(7) }],
    ['zero dim', { type: DataType.FloatVector, dim: 0, values: new Float32Array(0) }],
    ['binary dim', { type: DataType.BinaryVector, dim: 12, values: new Uint8Array(3) }],
    [
      'Int8 array cell class',
      {
        type: DataType.Array,
        elementType: DataType.Int8,
        values: [new Int8Array(2) as unknown as Int32Array],
      },
    ],
    ['VarChar cell', { type: DataType.Array, elementType: DataType.VarChar, values: [new Uint8Array(1)] }],
    ['Array of vectors', { type: DataType.Array, elementType: DataType.FloatVector, values: [] }],
    [
      'sparse lengths',
      {
        type: DataType.SparseFloatVector,
        values: [{ indices: new Uint32Array(2), values: new Float32Array(1) }],
      },
    ],
    ['non-string', { type: DataType.VarChar, values: ['a', 5 as unknown as string] }],
    ['unknown type', { type: DataType.Geometry, values: [] } as unknown as Column],
  ];
  for (const [name, column] of bad) assert.throws(() => encodeColumn(column), isUnexpected, name);
  assert.throws(
    () =>
      encodeColumnBatch({
        numRows: 3,
        columns: new Map([['x', { type: DataType.Bool, values: new Uint8Array(2) }]]),
      }),
    /field "x" has 2 rows, the batch 3/,
  );
  assert.throws(
    () =>
      encodeColumnBatch({
        numRows: 0,
        columns: new Map([['', { type: DataType.Bool, values: new Uint8Array(0) }]]),
      }),
    /field name/,
  );
});
