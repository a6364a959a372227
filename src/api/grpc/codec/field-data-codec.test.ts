import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type CollectionSchema,
  type Column,
  DataType,
  DYNAMIC_FIELD_NAME,
  type FieldSchema,
  makeFieldSchema,
} from '../../../schema/index.js';
import { decodeFieldData, encodeFieldData, type WireFieldData } from './field-data-codec.js';
import { decodeMessage, encodeMessage } from './milvus-proto.js';

const fieldDataType = 'milvus.proto.schema.FieldData';

const field = makeFieldSchema;

function collection(fields: FieldSchema[], enableDynamicField = false): CollectionSchema {
  const numbered = fields.map((f, i) => ({ ...f, fieldId: 100 + i }));
  return {
    name: 'books',
    description: '',
    autoId: false,
    fields: numbered,
    enableDynamicField,
    functions: [],
  };
}

/** What a client's FieldData looks like once the server's codec has decoded it. */
function overTheWire(wire: WireFieldData): WireFieldData {
  return decodeMessage<WireFieldData>(fieldDataType, encodeMessage(fieldDataType, wire));
}

const pk = field('id', DataType.Int64, { isPrimaryKey: true });

function keys(numRows: number): Column {
  return { type: DataType.Int64, values: BigInt64Array.from({ length: numRows }, (_, i) => BigInt(i + 1)) };
}

/**
 * Encodes the column as a query result would carry it, checks that the object survives protobuf
 * unchanged, then feeds it back as an Insert and expects the same column.
 */
function assertRoundTrip(target: FieldSchema, column: Column, numRows: number): void {
  const schema = collection([pk, target]);
  const [pkSchema, targetSchema] = schema.fields as [FieldSchema, FieldSchema];
  const wire = [encodeFieldData(pkSchema, keys(numRows)), encodeFieldData(targetSchema, column)];
  for (const fieldData of wire) assert.deepStrictEqual(overTheWire(fieldData), fieldData);
  const batch = decodeFieldData(schema, wire.map(overTheWire), numRows, { upsert: false });
  assert.equal(batch.numRows, numRows);
  assert.deepStrictEqual(batch.columns.get(target.name), column);
  assert.deepStrictEqual(batch.columns.get('id'), keys(numRows));
}

function halves(...values: number[]): Uint16Array {
  return Uint16Array.from(values);
}

describe('FieldData round trip: encode → protobuf → decode', () => {
  const scalarCases: [string, FieldSchema, Column][] = [
    ['Bool', field('flag', DataType.Bool), { type: DataType.Bool, values: Uint8Array.of(1, 0, 1) }],
    ['Int8', field('tiny', DataType.Int8), { type: DataType.Int8, values: Int8Array.of(-128, 0, 127) }],
    [
      'Int16',
      field('small', DataType.Int16),
      { type: DataType.Int16, values: Int16Array.of(-32768, 5, 32767) },
    ],
    [
      'Int32',
      field('count', DataType.Int32),
      { type: DataType.Int32, values: Int32Array.of(-(2 ** 31), 0, 2 ** 31 - 1) },
    ],
    [
      'Int64',
      field('big', DataType.Int64),
      { type: DataType.Int64, values: BigInt64Array.of(-(2n ** 63n), 0n, 2n ** 63n - 1n) },
    ],
    [
      'Float',
      field('score', DataType.Float),
      { type: DataType.Float, values: Float32Array.of(0.1, -2.5, 3e38) },
    ],
    [
      'Double',
      field('price', DataType.Double),
      { type: DataType.Double, values: Float64Array.of(0.1, -1e308, Number.MIN_VALUE) },
    ],
    [
      'VarChar',
      field('title', DataType.VarChar, { typeParams: { max_length: '16' } }),
      { type: DataType.VarChar, values: ['', 'héllo', '🦀'] },
    ],
    [
      'JSON',
      field('meta', DataType.JSON),
      { type: DataType.JSON, values: ['{"a":[1,2]}', '[true,null]', '"just text"'] },
    ],
  ];
  for (const [name, schema, column] of scalarCases) {
    it(`${name} column`, () => assertRoundTrip(schema, column, 3));
  }

  const arrayOf = (elementType: DataType, extra: Record<string, string> = {}) =>
    field('list', DataType.Array, { elementType, typeParams: { max_capacity: '4', ...extra } });
  const arrayCases: [DataType, Column][] = [
    [
      DataType.Bool,
      { type: DataType.Array, elementType: DataType.Bool, values: [Uint8Array.of(1, 0), Uint8Array.of()] },
    ],
    [
      DataType.Int8,
      {
        type: DataType.Array,
        elementType: DataType.Int8,
        values: [Int32Array.of(-128, 127), Int32Array.of(1)],
      },
    ],
    [
      DataType.Int16,
      { type: DataType.Array, elementType: DataType.Int16, values: [Int32Array.of(300), Int32Array.of()] },
    ],
    [
      DataType.Int32,
      {
        type: DataType.Array,
        elementType: DataType.Int32,
        values: [Int32Array.of(1, 2, 3, 4), Int32Array.of(-1)],
      },
    ],
    [
      DataType.Int64,
      {
        type: DataType.Array,
        elementType: DataType.Int64,
        values: [BigInt64Array.of(2n ** 62n), BigInt64Array.of(-1n)],
      },
    ],
    [
      DataType.Float,
      {
        type: DataType.Array,
        elementType: DataType.Float,
        values: [Float32Array.of(0.5, 1.25), Float32Array.of()],
      },
    ],
    [
      DataType.Double,
      {
        type: DataType.Array,
        elementType: DataType.Double,
        values: [Float64Array.of(0.1), Float64Array.of(2, 3)],
      },
    ],
    [DataType.VarChar, { type: DataType.Array, elementType: DataType.VarChar, values: [['a', 'bc'], []] }],
  ];
  for (const [elementType, column] of arrayCases) {
    it(`Array of ${DataType[elementType]} column`, () =>
      assertRoundTrip(arrayOf(elementType, { max_length: '8' }), column, 2));
  }

  const vectorCases: [string, FieldSchema, Column][] = [
    [
      'FloatVector',
      field('v', DataType.FloatVector, { typeParams: { dim: '3' } }),
      { type: DataType.FloatVector, dim: 3, values: Float32Array.of(0.1, 0.2, 0.3, -1, 0, 1) },
    ],
    [
      'Float16Vector',
      field('h', DataType.Float16Vector, { typeParams: { dim: '2' } }),
      { type: DataType.Float16Vector, dim: 2, values: halves(0x3c00, 0xc000, 0x0001, 0x7bff) },
    ],
    [
      'BFloat16Vector',
      field('b', DataType.BFloat16Vector, { typeParams: { dim: '2' } }),
      { type: DataType.BFloat16Vector, dim: 2, values: halves(0x3f80, 0xbf80, 0x0000, 0x7f7f) },
    ],
    [
      'BinaryVector',
      field('bits', DataType.BinaryVector, { typeParams: { dim: '16' } }),
      { type: DataType.BinaryVector, dim: 16, values: Uint8Array.of(0xff, 0x01, 0x00, 0x80) },
    ],
    [
      'Int8Vector',
      field('q', DataType.Int8Vector, { typeParams: { dim: '2' } }),
      { type: DataType.Int8Vector, dim: 2, values: Int8Array.of(-128, 127, 0, -1) },
    ],
    [
      'SparseFloatVector',
      field('sp', DataType.SparseFloatVector),
      {
        type: DataType.SparseFloatVector,
        values: [
          { indices: Uint32Array.of(1, 7, 4294967294), values: Float32Array.of(0.5, 0, 2) },
          { indices: Uint32Array.of(), values: Float32Array.of() },
        ],
      },
    ],
  ];
  for (const [name, schema, column] of vectorCases) {
    it(`${name} column`, () => assertRoundTrip(schema, column, 2));
  }

  it('nullable columns keep their nulls (zero placeholders, valid flags)', () => {
    const valid = Uint8Array.of(1, 0, 1);
    assertRoundTrip(
      field('n', DataType.Int64, { nullable: true }),
      {
        type: DataType.Int64,
        values: BigInt64Array.of(5n, 0n, -5n),
        valid,
      },
      3,
    );
    assertRoundTrip(
      field('s', DataType.VarChar, { nullable: true, typeParams: { max_length: '4' } }),
      {
        type: DataType.VarChar,
        values: ['a', '', 'c'],
        valid,
      },
      3,
    );
    assertRoundTrip(
      field('j', DataType.JSON, { nullable: true }),
      {
        type: DataType.JSON,
        values: ['{}', '', '1'],
        valid,
      },
      3,
    );
    assertRoundTrip(
      field('t', DataType.Bool, { nullable: true }),
      { type: DataType.Bool, values: Uint8Array.of(1, 0, 0), valid },
      3,
    );
    assertRoundTrip(
      field('a', DataType.Array, {
        nullable: true,
        elementType: DataType.Float,
        typeParams: { max_capacity: '2' },
      }),
      {
        type: DataType.Array,
        elementType: DataType.Float,
        values: [Float32Array.of(1), Float32Array.of(), Float32Array.of(2, 3)],
        valid,
      },
      3,
    );
  });

  it('the dynamic field travels as $meta JSON', () => {
    const meta = field(DYNAMIC_FIELD_NAME, DataType.JSON, { isDynamic: true });
    const schema = collection([pk, meta], true);
    const column: Column = { type: DataType.JSON, values: ['{"color":"red"}', '{}'] };
    const wire = encodeFieldData(schema.fields[1]!, column);
    assert.equal(wire.is_dynamic, true);
    const batch = decodeFieldData(
      schema,
      [encodeFieldData(schema.fields[0]!, keys(2)), wire].map(overTheWire),
      2,
      { upsert: false },
    );
    assert.deepStrictEqual(batch.columns.get(DYNAMIC_FIELD_NAME), column);
  });
});

describe('encodeFieldData', () => {
  it('sets the typed oneof even with zero rows, for every type', () => {
    const cases: [FieldSchema, Column][] = [
      [field('a', DataType.Bool), { type: DataType.Bool, values: Uint8Array.of() }],
      [field('b', DataType.Int16), { type: DataType.Int16, values: Int16Array.of() }],
      [
        field('c', DataType.Int64, { nullable: true }),
        { type: DataType.Int64, values: BigInt64Array.of(), valid: Uint8Array.of() },
      ],
      [field('d', DataType.Float), { type: DataType.Float, values: Float32Array.of() }],
      [field('e', DataType.Double), { type: DataType.Double, values: Float64Array.of() }],
      [field('f', DataType.VarChar), { type: DataType.VarChar, values: [] }],
      [field('g', DataType.JSON), { type: DataType.JSON, values: [] }],
      [
        field('h', DataType.Array, { elementType: DataType.Int64 }),
        { type: DataType.Array, elementType: DataType.Int64, values: [] },
      ],
      [field('i', DataType.FloatVector), { type: DataType.FloatVector, dim: 4, values: Float32Array.of() }],
      [
        field('j', DataType.Float16Vector),
        { type: DataType.Float16Vector, dim: 4, values: Uint16Array.of() },
      ],
      [
        field('k', DataType.BFloat16Vector),
        { type: DataType.BFloat16Vector, dim: 4, values: Uint16Array.of() },
      ],
      [field('l', DataType.BinaryVector), { type: DataType.BinaryVector, dim: 8, values: Uint8Array.of() }],
      [field('m', DataType.Int8Vector), { type: DataType.Int8Vector, dim: 4, values: Int8Array.of() }],
      [field('n', DataType.SparseFloatVector), { type: DataType.SparseFloatVector, values: [] }],
    ];
    const expectedMember: Record<string, string> = {
      a: 'bool_data',
      b: 'int_data',
      c: 'long_data',
      d: 'float_data',
      e: 'double_data',
      f: 'string_data',
      g: 'json_data',
      h: 'array_data',
      i: 'float_vector',
      j: 'float16_vector',
      k: 'bfloat16_vector',
      l: 'binary_vector',
      m: 'int8_vector',
      n: 'sparse_float_vector',
    };
    for (const [schema, column] of cases) {
      const decoded = overTheWire(encodeFieldData(schema, column));
      const holder = decoded.field === 'vectors' ? decoded.vectors : decoded.scalars;
      assert.equal(holder?.data, expectedMember[schema.name], schema.name);
      assert.equal(decoded.type, DataType[schema.dataType]);
    }
  });

  it('picks and orders rows by rowIndices, with vector dims and valid_data', () => {
    const vector = field('v', DataType.FloatVector, { fieldId: 101, typeParams: { dim: '2' } });
    const wire = encodeFieldData(
      vector,
      { type: DataType.FloatVector, dim: 2, values: Float32Array.of(1, 2, 3, 4, 5, 6) },
      [2, 0],
    );
    assert.deepStrictEqual(overTheWire(wire), {
      type: 'FloatVector',
      field_name: 'v',
      field_id: '101',
      is_dynamic: false,
      valid_data: [],
      vectors: { dim: '2', float_vector: { data: [5, 6, 1, 2] }, data: 'float_vector' },
      field: 'vectors',
    });
    const nullable = field('n', DataType.VarChar, { nullable: true });
    const picked = encodeFieldData(
      nullable,
      { type: DataType.VarChar, values: ['x', '', 'z'], valid: Uint8Array.of(1, 0, 1) },
      [1, 2],
    );
    assert.deepStrictEqual(picked.valid_data, [false, true]);
    assert.deepStrictEqual(picked.scalars?.string_data?.data, ['', 'z']);
  });

  it("reports a sparse column's dim as its largest index + 1", () => {
    const wire = encodeFieldData(field('sp', DataType.SparseFloatVector), {
      type: DataType.SparseFloatVector,
      values: [
        { indices: Uint32Array.of(3), values: Float32Array.of(1) },
        { indices: Uint32Array.of(1, 9), values: Float32Array.of(1, 1) },
      ],
    });
    assert.equal(wire.vectors?.dim, '10');
    assert.equal(wire.vectors?.sparse_float_vector?.dim, '10');
  });

  it('sends valid_data for a nullable column without flags as all valid', () => {
    const wire = encodeFieldData(field('n', DataType.Int32, { nullable: true }), {
      type: DataType.Int32,
      values: Int32Array.of(1, 2),
    });
    assert.deepStrictEqual(wire.valid_data, [true, true]);
  });
});

describe('decodeFieldData: nulls, defaults, generated and dynamic columns', () => {
  const vector = field('v', DataType.FloatVector, { typeParams: { dim: '2' } });
  const vectors = (numRows: number): WireFieldData => ({
    type: 'FloatVector',
    field_name: 'v',
    vectors: {
      dim: '2',
      float_vector: { data: Array.from({ length: numRows * 2 }, (_, i) => i) },
      data: 'float_vector',
    },
    field: 'vectors',
  });
  const ids = (...values: number[]): WireFieldData => ({
    type: 'Int64',
    field_name: 'id',
    scalars: { long_data: { data: values.map(String) }, data: 'long_data' },
    field: 'scalars',
  });

  it('accepts nullable values compacted to the valid rows, as the SDKs send them', () => {
    const schema = collection([pk, vector, field('opt', DataType.Int32, { nullable: true })]);
    const opt: WireFieldData = {
      type: 'Int32',
      field_name: 'opt',
      valid_data: [false, true, false],
      scalars: { int_data: { data: [42] }, data: 'int_data' },
      field: 'scalars',
    };
    const batch = decodeFieldData(schema, [ids(1, 2, 3), vectors(3), opt].map(overTheWire), 3, {
      upsert: false,
    });
    assert.deepStrictEqual(batch.columns.get('opt'), {
      type: DataType.Int32,
      values: Int32Array.of(0, 42, 0),
      valid: Uint8Array.of(0, 1, 0),
    });
  });

  it('treats a nullable column without valid_data as all valid', () => {
    const schema = collection([pk, vector, field('opt', DataType.Double, { nullable: true })]);
    const opt: WireFieldData = {
      type: 'Double',
      field_name: 'opt',
      scalars: { double_data: { data: [1.5, 2.5] } },
    };
    const batch = decodeFieldData(schema, [ids(1, 2), vectors(2), opt], 2, { upsert: false });
    assert.deepStrictEqual(batch.columns.get('opt'), {
      type: DataType.Double,
      values: Float64Array.of(1.5, 2.5),
      valid: Uint8Array.of(1, 1),
    });
  });

  it('fills rows marked invalid with the default value, as fillWithDefaultValue does', () => {
    const schema = collection([
      pk,
      vector,
      field('rank', DataType.Int32, { defaultValue: { kind: 'int', value: 7 } }),
      field('label', DataType.VarChar, {
        nullable: true,
        defaultValue: { kind: 'string', value: 'none' },
        typeParams: { max_length: '8' },
      }),
      field('big', DataType.Int64, { defaultValue: { kind: 'long', value: '9007199254740993' } }),
      field('ok', DataType.Bool, { defaultValue: { kind: 'bool', value: true } }),
      field('f', DataType.Float, { defaultValue: { kind: 'float', value: 0.5 } }),
    ]);
    const rank: WireFieldData = {
      type: 'Int32',
      field_name: 'rank',
      valid_data: [true, false, true],
      scalars: { int_data: { data: [1, 3] }, data: 'int_data' },
      field: 'scalars',
    };
    const label: WireFieldData = {
      type: 'VarChar',
      field_name: 'label',
      valid_data: [false, true, false],
      scalars: { string_data: { data: ['x'] }, data: 'string_data' },
      field: 'scalars',
    };
    // big, ok and f are left out: every row takes the default.
    const batch = decodeFieldData(schema, [ids(1, 2, 3), vectors(3), rank, label].map(overTheWire), 3, {
      upsert: false,
    });
    assert.deepStrictEqual(batch.columns.get('rank'), {
      type: DataType.Int32,
      values: Int32Array.of(1, 7, 3),
    });
    assert.deepStrictEqual(batch.columns.get('label'), {
      type: DataType.VarChar,
      values: ['none', 'x', 'none'],
      valid: Uint8Array.of(1, 1, 1),
    });
    assert.deepStrictEqual(batch.columns.get('big'), {
      type: DataType.Int64,
      values: BigInt64Array.of(9007199254740993n, 9007199254740993n, 9007199254740993n),
    });
    assert.deepStrictEqual(batch.columns.get('ok'), { type: DataType.Bool, values: Uint8Array.of(1, 1, 1) });
    assert.deepStrictEqual(batch.columns.get('f'), {
      type: DataType.Float,
      values: Float32Array.of(0.5, 0.5, 0.5),
    });
  });

  it('accepts a default-valued column without valid_data as all valid', () => {
    const schema = collection([
      pk,
      vector,
      field('rank', DataType.Int32, { defaultValue: { kind: 'int', value: 7 } }),
    ]);
    const rank: WireFieldData = {
      type: 'Int32',
      field_name: 'rank',
      scalars: { int_data: { data: [4, 5] } },
    };
    const batch = decodeFieldData(schema, [ids(1, 2), vectors(2), rank], 2, { upsert: false });
    assert.deepStrictEqual(batch.columns.get('rank'), { type: DataType.Int32, values: Int32Array.of(4, 5) });
  });

  it('makes a left-out nullable column all null', () => {
    const schema = collection([
      pk,
      vector,
      field('tags', DataType.Array, {
        nullable: true,
        elementType: DataType.VarChar,
        typeParams: { max_capacity: '4', max_length: '4' },
      }),
      field('doc', DataType.JSON, { nullable: true }),
    ]);
    const batch = decodeFieldData(schema, [ids(1, 2), vectors(2)], 2, { upsert: false });
    assert.deepStrictEqual(batch.columns.get('tags'), {
      type: DataType.Array,
      elementType: DataType.VarChar,
      values: [[], []],
      valid: Uint8Array.of(0, 0),
    });
    assert.deepStrictEqual(batch.columns.get('doc'), {
      type: DataType.JSON,
      values: ['', ''],
      valid: Uint8Array.of(0, 0),
    });
  });

  it('leaves out an auto_id key on insert and a BM25 output, and takes the key on upsert', () => {
    const autoKey = field('id', DataType.Int64, { isPrimaryKey: true, autoId: true });
    const sparse = field('sparse', DataType.SparseFloatVector, { isFunctionOutput: true });
    const schema = collection([autoKey, vector, sparse]);
    const inserted = decodeFieldData(schema, [vectors(2)].map(overTheWire), 2, { upsert: false });
    assert.deepStrictEqual([...inserted.columns.keys()], ['v']);
    const upserted = decodeFieldData(schema, [ids(8, 9), vectors(2)].map(overTheWire), 2, { upsert: true });
    assert.deepStrictEqual(upserted.columns.get('id'), {
      type: DataType.Int64,
      values: BigInt64Array.of(8n, 9n),
    });
  });

  it('skips the max_length check of an auto_id VarChar key on upsert (issue 25580)', () => {
    const key = field('id', DataType.VarChar, {
      isPrimaryKey: true,
      autoId: true,
      typeParams: { max_length: '2' },
    });
    const schema = collection([key, vector]);
    const longKey: WireFieldData = {
      type: 'VarChar',
      field_name: 'id',
      scalars: { string_data: { data: ['abcdef'] } },
    };
    const batch = decodeFieldData(schema, [longKey, vectors(1)], 1, { upsert: true });
    assert.deepStrictEqual(batch.columns.get('id'), { type: DataType.VarChar, values: ['abcdef'] });
  });

  it('does not check array capacity on upsert, as Milvus does not', () => {
    const list = field('list', DataType.Array, {
      elementType: DataType.Int32,
      typeParams: { max_capacity: '1' },
    });
    const schema = collection([pk, vector, list]);
    const tooLong: WireFieldData = {
      type: 'Array',
      field_name: 'list',
      scalars: { array_data: { data: [{ int_data: { data: [1, 2] } }], element_type: 'Int32' } },
    };
    const batch = decodeFieldData(schema, [ids(1), vectors(1), tooLong], 1, { upsert: true });
    assert.deepStrictEqual(batch.columns.get('list'), {
      type: DataType.Array,
      elementType: DataType.Int32,
      values: [Int32Array.of(1, 2)],
    });
  });

  it('gives every row {} in $meta when the request has no dynamic column', () => {
    const schema = collection([pk, vector], true);
    const batch = decodeFieldData(schema, [ids(1, 2), vectors(2)], 2, { upsert: false });
    assert.deepStrictEqual(batch.columns.get(DYNAMIC_FIELD_NAME), {
      type: DataType.JSON,
      values: ['{}', '{}'],
    });
  });

  it('takes the first column flagged is_dynamic as $meta whatever its name', () => {
    const schema = collection([pk, vector], true);
    const dynamic: WireFieldData = {
      type: 'JSON',
      field_name: 'extras',
      is_dynamic: true,
      scalars: { json_data: { data: [Buffer.from('{"k":1}'), Buffer.from('null')] }, data: 'json_data' },
      field: 'scalars',
    };
    const batch = decodeFieldData(schema, [ids(1, 2), vectors(2), dynamic].map(overTheWire), 2, {
      upsert: false,
    });
    assert.deepStrictEqual(batch.columns.get(DYNAMIC_FIELD_NAME), {
      type: DataType.JSON,
      values: ['{"k":1}', 'null'],
    });
  });

  it('orders the batch by the schema and ignores FieldData.type, as Milvus overwrites it', () => {
    const schema = collection([pk, vector, field('n', DataType.Int16)]);
    const n: WireFieldData = {
      type: 'Bool',
      field_name: 'n',
      scalars: { int_data: { data: [3] }, data: 'int_data' },
    };
    const batch = decodeFieldData(schema, [n, vectors(1), ids(1)], 1, { upsert: false });
    assert.deepStrictEqual([...batch.columns.keys()], ['id', 'v', 'n']);
    assert.deepStrictEqual(batch.columns.get('n'), { type: DataType.Int16, values: Int16Array.of(3) });
  });
});
