import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isQuiverError } from '../../../errors/index.js';
import {
  type CollectionSchema,
  DataType,
  DYNAMIC_FIELD_NAME,
  type FieldSchema,
  makeFieldSchema,
} from '../../../schema/index.js';
import { decodeFieldData, type WireFieldData } from './field-data-codec.js';
import { decodeMessage, encodeMessage } from './milvus-proto.js';

/*
 * One failing request per rule of Milvus's proxy (internal/proxy/validate_util.go, util.go,
 * task_insert.go, task_upsert.go, pkg/util/typeutil), asserting the code and the reason clients see.
 */

const field = makeFieldSchema;

const pk = field('id', DataType.Int64, { isPrimaryKey: true });
const vector = field('v', DataType.FloatVector, { typeParams: { dim: '4' } });

function collection(
  extra: FieldSchema[],
  options: { dynamic?: boolean; key?: FieldSchema } = {},
): CollectionSchema {
  const fields = [options.key ?? pk, vector, ...extra].map((f, i) => ({ ...f, fieldId: 100 + i }));
  return {
    name: 'books',
    description: '',
    autoId: false,
    fields,
    enableDynamicField: options.dynamic ?? false,
    functions: [],
  };
}

const fieldDataType = 'milvus.proto.schema.FieldData';
const overTheWire = (wire: WireFieldData): WireFieldData =>
  decodeMessage<WireFieldData>(fieldDataType, encodeMessage(fieldDataType, wire));

function ids(count: number): WireFieldData {
  return {
    type: 'Int64',
    field_name: 'id',
    scalars: { long_data: { data: Array.from({ length: count }, (_, i) => String(i)) } },
  };
}

function floats(
  count: number,
  options: { dim?: number; values?: number[]; name?: string } = {},
): WireFieldData {
  const dim = options.dim ?? 4;
  return {
    type: 'FloatVector',
    field_name: options.name ?? 'v',
    vectors: {
      dim,
      float_vector: { data: options.values ?? Array.from({ length: count * 4 }, (_, i) => i / 10) },
    },
  };
}

function scalars(
  name: string,
  member: string,
  data: unknown[],
  extra: Partial<WireFieldData> = {},
): WireFieldData {
  return { type: 'None', field_name: name, scalars: { [member]: { data } }, ...extra } as WireFieldData;
}

function vectors(name: string, member: string, value: unknown, dim: number): WireFieldData {
  return { type: 'None', field_name: name, vectors: { dim, [member]: value } } as WireFieldData;
}

function sparseRow(...pairs: [number, number][]): Buffer {
  const bytes = Buffer.alloc(pairs.length * 8);
  pairs.forEach(([index, value], i) => {
    bytes.writeUInt32LE(index, i * 8);
    bytes.writeFloatLE(value, i * 8 + 4);
  });
  return bytes;
}

function half(bits: number): Buffer {
  const bytes = Buffer.alloc(2);
  bytes.writeUInt16LE(bits);
  return bytes;
}

interface Case {
  rule: string;
  schema: CollectionSchema;
  data: WireFieldData[];
  numRows: number;
  upsert?: boolean;
  code: number;
  message: string;
}

const json = (text: string) => Buffer.from(text, 'utf8');
const meta = field('meta', DataType.JSON);
const sparse = field('sp', DataType.SparseFloatVector);
const tags = field('tags', DataType.Array, {
  elementType: DataType.VarChar,
  typeParams: { max_capacity: '3', max_length: '3' },
});
const sparseCase = (rule: string, row: Buffer, message: string): Case => ({
  rule,
  schema: collection([sparse]),
  data: [ids(1), floats(1), vectors('sp', 'sparse_float_vector', { dim: 8, contents: [row] }, 8)],
  numRows: 1,
  code: 65535,
  message,
});

const cases: Case[] = [
  {
    rule: 'num_rows must be positive',
    schema: collection([]),
    data: [ids(0), floats(0)],
    numRows: 0,
    code: 1100,
    message: 'num_rows should be greater than 0: invalid parameter[expected=invalid num_rows][actual=0]',
  },
  {
    rule: 'num_rows must be positive on upsert too, before anything else',
    schema: collection([]),
    data: [floats(0)],
    numRows: 0,
    upsert: true,
    code: 1100,
    message: 'num_rows should be greater than 0: invalid parameter[expected=invalid num_rows][actual=0]',
  },
  {
    rule: 'a column may appear once',
    schema: collection([]),
    data: [ids(1), floats(1), floats(1)],
    numRows: 1,
    code: 1100,
    message: 'duplicated field v found: invalid parameter',
  },
  {
    rule: 'every field without default or nullable must be sent',
    schema: collection([]),
    data: [ids(1)],
    numRows: 1,
    code: 1100,
    message: 'fieldSchema(v) has no corresponding fieldData pass in: invalid parameter',
  },
  {
    rule: 'an auto_id key must not be sent on insert',
    schema: collection([], { key: field('id', DataType.Int64, { isPrimaryKey: true, autoId: true }) }),
    data: [ids(1), floats(1)],
    numRows: 1,
    code: 1100,
    message: 'more fieldData has pass in: invalid parameter[expected=2][actual=3]',
  },
  {
    rule: 'an auto_id key must be sent on upsert',
    schema: collection([], { key: field('id', DataType.Int64, { isPrimaryKey: true, autoId: true }) }),
    data: [floats(1)],
    numRows: 1,
    upsert: true,
    code: 1100,
    message: 'fieldSchema(id) has no corresponding fieldData pass in: invalid parameter',
  },
  {
    rule: 'a function output must not be sent',
    schema: collection([field('bm25', DataType.SparseFloatVector, { isFunctionOutput: true })]),
    data: [
      ids(1),
      floats(1),
      vectors('bm25', 'sparse_float_vector', { dim: 1, contents: [sparseRow([0, 1])] }, 1),
    ],
    numRows: 1,
    code: 1100,
    message: 'more fieldData has pass in: invalid parameter[expected=3][actual=4]',
  },
  {
    rule: 'a column must be a schema field',
    schema: collection([]),
    data: [ids(1), floats(1), { ...scalars('extra', 'long_data', ['1']), type: 'Int64' }],
    numRows: 1,
    code: 1100,
    message: 'fieldName extra not exist in collection schema, fieldType Int64, fieldId 0: invalid parameter',
  },
  {
    rule: 'a column must be a schema field even with dynamic fields on (keys go inside $meta)',
    schema: collection([], { dynamic: true }),
    data: [ids(1), floats(1), { ...scalars('color', 'string_data', ['red']), type: 'VarChar' }],
    numRows: 1,
    code: 1100,
    message:
      'fieldName color not exist in collection schema, fieldType VarChar, fieldId 0: invalid parameter',
  },
  {
    rule: 'without dynamic fields $meta is just an unknown column',
    schema: collection([]),
    data: [
      ids(1),
      floats(1),
      { ...scalars(DYNAMIC_FIELD_NAME, 'json_data', [json('{}')]), type: 'JSON', is_dynamic: true },
    ],
    numRows: 1,
    code: 1100,
    message: 'fieldName $meta not exist in collection schema, fieldType JSON, fieldId 0: invalid parameter',
  },
  {
    rule: 'the key column must hold long_data or string_data',
    schema: collection([]),
    data: [scalars('id', 'int_data', [1]), floats(1)],
    numRows: 1,
    code: 1100,
    message: 'currently only support DataType Int64 or VarChar as PrimaryField: invalid parameter',
  },
  {
    rule: 'the key column must not be a vector',
    schema: collection([]),
    data: [vectors('id', 'float_vector', { data: [1] }, 1), floats(1)],
    numRows: 1,
    code: 1100,
    message: 'currently not support vector field as PrimaryField: invalid parameter',
  },
  {
    rule: 'an Array column must carry array_data',
    schema: collection([tags]),
    data: [ids(1), floats(1), scalars('tags', 'string_data', ['a'])],
    numRows: 1,
    code: 1100,
    message:
      'field convert FieldData_Scalars fail in fieldData, fieldName: tags, collectionName: books: invalid parameter',
  },
  {
    rule: 'the column type must match the schema (vector)',
    schema: collection([]),
    data: [ids(1), scalars('v', 'float_data', [1, 2, 3, 4])],
    numRows: 1,
    code: 1100,
    message:
      "float vector field 'v' is illegal, array type mismatch: invalid parameter[expected=need float vector][actual=got nil]",
  },
  {
    rule: 'the column type must match the schema (Int64)',
    schema: collection([field('n', DataType.Int64)]),
    data: [ids(1), floats(1), scalars('n', 'string_data', ['1'])],
    numRows: 1,
    code: 1100,
    message:
      "field 'n' is illegal, array type mismatch: invalid parameter[expected=need long int array][actual=got nil]",
  },
  {
    rule: 'the column type must match the schema (VarChar)',
    schema: collection([field('s', DataType.VarChar, { typeParams: { max_length: '4' } })]),
    data: [ids(1), floats(1), scalars('s', 'long_data', ['1'])],
    numRows: 1,
    code: 1100,
    message:
      "varchar field 's' is illegal, array type mismatch: invalid parameter[expected=need string array][actual=got nil]",
  },
  {
    rule: 'an empty scalar column counts as missing (Go reads it as nil)',
    schema: collection([field('d', DataType.Double)]),
    data: [ids(1), floats(1), scalars('d', 'double_data', [])],
    numRows: 1,
    code: 1100,
    message:
      "field 'd' is illegal, array type mismatch: invalid parameter[expected=need float64(double) array][actual=got nil]",
  },
  {
    rule: 'float vectors must be whole rows of the schema dim',
    schema: collection([]),
    data: [ids(1), floats(1, { values: [1, 2, 3, 4, 5, 6, 7] })],
    numRows: 1,
    code: 65535,
    message: 'the length(7) of float data should divide the dim(4)',
  },
  {
    rule: 'the sent dim must equal the schema dim',
    schema: collection([]),
    data: [ids(2), floats(2, { dim: 8 })],
    numRows: 2,
    code: 1100,
    message:
      'the dim (8) of field data(v) is not equal to schema dim (4): invalid parameter[expected=4][actual=8]',
  },
  {
    rule: 'a vector column must have num_rows rows',
    schema: collection([]),
    data: [ids(2), floats(3)],
    numRows: 2,
    code: 1100,
    message:
      'the num_rows (3) of field (v) is not equal to passed num_rows (2): invalid parameter[expected=2][actual=3]',
  },
  {
    rule: 'a scalar column must have num_rows rows',
    schema: collection([]),
    data: [ids(3), floats(2)],
    numRows: 2,
    code: 1100,
    message:
      'the num_rows (3) of field (id) is not equal to passed num_rows (2): invalid parameter[expected=2][actual=3]',
  },
  {
    rule: 'float vectors must be finite',
    schema: collection([]),
    data: [ids(1), floats(1, { values: [0, Number.NaN, 0, 0] })],
    numRows: 1,
    code: 65535,
    message: "value 'NaN' is not a number or infinity",
  },
  {
    rule: 'Float values must be finite',
    schema: collection([field('f', DataType.Float)]),
    data: [ids(1), floats(1), scalars('f', 'float_data', [Number.POSITIVE_INFINITY])],
    numRows: 1,
    code: 65535,
    message: "value '+Inf' is not a number or infinity",
  },
  {
    rule: 'Double values must be finite',
    schema: collection([field('d', DataType.Double)]),
    data: [ids(1), floats(1), scalars('d', 'double_data', [Number.NEGATIVE_INFINITY])],
    numRows: 1,
    code: 65535,
    message: "value '-Inf' is not a number or infinity",
  },
  {
    rule: 'float16 vectors must be finite',
    schema: collection([field('h', DataType.Float16Vector, { typeParams: { dim: '1' } })]),
    data: [ids(1), floats(1), vectors('h', 'float16_vector', half(0x7c00), 1)],
    numRows: 1,
    code: 65535,
    message: 'float16 vector contain nan or infinity value.',
  },
  {
    rule: 'bfloat16 vectors must be finite',
    schema: collection([field('b', DataType.BFloat16Vector, { typeParams: { dim: '1' } })]),
    data: [ids(1), floats(1), vectors('b', 'bfloat16_vector', half(0x7fc1), 1)],
    numRows: 1,
    code: 65535,
    message: 'bfloat16 vector contain nan or infinity value.',
  },
  {
    rule: 'float16 vectors must be whole rows',
    schema: collection([field('h', DataType.Float16Vector, { typeParams: { dim: '2' } })]),
    data: [ids(1), floats(1), vectors('h', 'float16_vector', Buffer.alloc(6), 2)],
    numRows: 1,
    code: 65535,
    message: 'the length(6) of float16 data should divide the dim(2)',
  },
  {
    rule: 'binary vectors must be whole rows',
    schema: collection([field('bits', DataType.BinaryVector, { typeParams: { dim: '24' } })]),
    data: [ids(1), floats(1), vectors('bits', 'binary_vector', Buffer.alloc(4), 24)],
    numRows: 1,
    code: 65535,
    message: 'the num(32) of all bits should divide the dim(24)',
  },
  {
    rule: 'the binary vector type must match',
    schema: collection([field('bits', DataType.BinaryVector, { typeParams: { dim: '8' } })]),
    data: [ids(1), floats(1), vectors('bits', 'int8_vector', Buffer.alloc(1), 8)],
    numRows: 1,
    code: 1100,
    message:
      "binary float vector field 'bits' is illegal, array type mismatch: invalid parameter[expected=need bytes array][actual=got nil]",
  },
  {
    rule: 'int8 vectors must be whole rows',
    schema: collection([field('q', DataType.Int8Vector, { typeParams: { dim: '4' } })]),
    data: [ids(1), floats(1), vectors('q', 'int8_vector', Buffer.alloc(6), 4)],
    numRows: 1,
    code: 65535,
    message: 'the length(6) of int8 data should divide the dim(4)',
  },
  {
    rule: 'VarChar length is counted in UTF-8 bytes against max_length',
    schema: collection([field('title', DataType.VarChar, { typeParams: { max_length: '5' } })]),
    data: [ids(2), floats(2), scalars('title', 'string_data', ['hello', 'héllo'])],
    numRows: 2,
    code: 1100,
    message:
      'length of varchar field title exceeds max length, row number: 1, length: 6, max length: 5: invalid parameter',
  },
  {
    rule: 'Int8 values must fit Int8',
    schema: collection([field('tiny', DataType.Int8)]),
    data: [ids(2), floats(2), scalars('tiny', 'int_data', [1, 128])],
    numRows: 2,
    code: 1100,
    message:
      "the 1th element (128) out of range: [-128, 127]: invalid parameter[expected=integer doesn't overflow][actual=out of range]",
  },
  {
    rule: 'Int16 values must fit Int16',
    schema: collection([field('small', DataType.Int16)]),
    data: [ids(1), floats(1), scalars('small', 'int_data', [-32769])],
    numRows: 1,
    code: 1100,
    message:
      "the 0th element (-32769) out of range: [-32768, 32767]: invalid parameter[expected=integer doesn't overflow][actual=out of range]",
  },
  {
    rule: 'arrays may not exceed max_capacity on insert',
    schema: collection([tags]),
    data: [
      ids(2),
      floats(2),
      scalars('tags', 'array_data', [
        { string_data: { data: ['a'] } },
        { string_data: { data: ['a', 'b', 'c', 'd'] } },
      ]),
    ],
    numRows: 2,
    code: 1100,
    message:
      'the length (4) of 1th array exceeds max capacity (3): invalid parameter[expected=valid length array][actual=array length exceeds max capacity]',
  },
  {
    rule: 'array elements must be of the element type',
    schema: collection([
      field('nums', DataType.Array, { elementType: DataType.Int64, typeParams: { max_capacity: '4' } }),
    ]),
    data: [ids(1), floats(1), scalars('nums', 'array_data', [{ int_data: { data: [1] } }])],
    numRows: 1,
    code: 1100,
    message:
      'insert data does not match: invalid parameter[expected=int64 array][actual=*schemapb.ScalarField_IntData array]',
  },
  {
    rule: 'an array row must carry data',
    schema: collection([
      field('nums', DataType.Array, { elementType: DataType.Bool, typeParams: { max_capacity: '4' } }),
    ]),
    data: [ids(1), floats(1), scalars('nums', 'array_data', [{}])],
    numRows: 1,
    code: 1100,
    message: 'insert data does not match: invalid parameter[expected=bool array][actual=nil array]',
  },
  {
    rule: 'VarChar array elements obey max_length, in UTF-8 bytes',
    schema: collection([tags]),
    data: [ids(1), floats(1), scalars('tags', 'array_data', [{ string_data: { data: ['ok', 'éé'] } }])],
    numRows: 1,
    code: 1100,
    message:
      'length of Array array field "tags" exceeds max length, row number: 0, array index: 1, length: 4, max length: 3: invalid parameter',
  },
  {
    rule: 'Int8 array elements must fit Int8',
    schema: collection([
      field('small', DataType.Array, { elementType: DataType.Int8, typeParams: { max_capacity: '4' } }),
    ]),
    data: [ids(1), floats(1), scalars('small', 'array_data', [{ int_data: { data: [1, 200] } }])],
    numRows: 1,
    code: 1100,
    message:
      "the 1th element (200) out of range: [-128, 127]: invalid parameter[expected=integer doesn't overflow][actual=out of range]",
  },
  {
    rule: 'a JSON value may not exceed 65536 bytes',
    schema: collection([meta]),
    data: [ids(1), floats(1), scalars('meta', 'json_data', [json(`"${'x'.repeat(65535)}"`)])],
    numRows: 1,
    code: 1100,
    message:
      'the length (65537) of json field (meta) exceeds max length (65536): invalid parameter[expected=valid length json string][actual=length exceeds max length]',
  },
  {
    rule: 'a dynamic row may not exceed 65536 bytes',
    schema: collection([], { dynamic: true }),
    data: [
      ids(1),
      floats(1),
      {
        ...scalars(DYNAMIC_FIELD_NAME, 'json_data', [json(`{"k":"${'x'.repeat(65531)}"}`)]),
        is_dynamic: true,
      },
    ],
    numRows: 1,
    code: 1100,
    message:
      'the length (65539) of dynamic field exceeds max length (65536): invalid parameter[expected=valid length dynamic field][actual=length exceeds max length]',
  },
  {
    rule: 'a JSON value must be JSON (Quiver stores validated text)',
    schema: collection([meta]),
    data: [ids(2), floats(2), scalars('meta', 'json_data', [json('{}'), json('{x}')])],
    numRows: 2,
    code: 1100,
    message:
      "invalid JSON in field meta at row 1: invalid character 'x' looking for beginning of object key string: invalid parameter",
  },
  {
    rule: 'a dynamic row must be a JSON object',
    schema: collection([], { dynamic: true }),
    data: [ids(1), floats(1), { ...scalars('extras', 'json_data', [json('[1]')]), is_dynamic: true }],
    numRows: 1,
    code: 1001,
    message: 'IO failed: json: cannot unmarshal array into Go value of type map[string]interface {}',
  },
  {
    rule: 'a dynamic row must be JSON',
    schema: collection([], { dynamic: true }),
    data: [ids(1), floats(1), { ...scalars('extras', 'json_data', [json('{"a":')]), is_dynamic: true }],
    numRows: 1,
    code: 1001,
    message: 'IO failed: unexpected end of JSON input',
  },
  {
    rule: 'a dynamic row may not set $meta',
    schema: collection([], { dynamic: true }),
    data: [
      ids(1),
      floats(1),
      { ...scalars(DYNAMIC_FIELD_NAME, 'json_data', [json('{"$meta":1}')]), is_dynamic: true },
    ],
    numRows: 1,
    code: 65535,
    message: 'cannot set json key to: $meta',
  },
  {
    rule: 'a dynamic row may not repeat a schema field',
    schema: collection([], { dynamic: true }),
    data: [
      ids(1),
      floats(1),
      { ...scalars(DYNAMIC_FIELD_NAME, 'json_data', [json('{"ok":1,"v":2}')]), is_dynamic: true },
    ],
    numRows: 1,
    code: 65535,
    message: 'dynamic field name cannot include the static field name: v',
  },
  {
    rule: 'a $meta column not flagged is_dynamic collides with the generated one',
    schema: collection([], { dynamic: true }),
    data: [ids(1), floats(1), scalars(DYNAMIC_FIELD_NAME, 'json_data', [json('{}')])],
    numRows: 1,
    code: 1100,
    message: 'duplicated field $meta found: invalid parameter',
  },
  {
    rule: 'a sparse column must be sparse_float_vector',
    schema: collection([sparse]),
    data: [ids(1), floats(1), vectors('sp', 'float_vector', { data: [1] }, 1)],
    numRows: 1,
    code: 1100,
    message:
      "sparse float field 'sp' is illegal, nil SparseFloatVector: invalid parameter[expected=need sparse float array][actual=got nil]",
  },
  sparseCase(
    'sparse indices must ascend',
    sparseRow([5, 1], [2, 1]),
    'unsorted or same indices in sparse float vector',
  ),
  sparseCase(
    'sparse indices must be unique',
    sparseRow([2, 1], [2, 1]),
    'unsorted or same indices in sparse float vector',
  ),
  sparseCase(
    'sparse values may not be negative',
    sparseRow([2, -1]),
    'negative value in sparse float vector',
  ),
  sparseCase(
    'sparse values must be finite',
    sparseRow([2, Number.NaN]),
    "value 'NaN' is not a number or infinity",
  ),
  sparseCase(
    'sparse index 2^32-1 is reserved',
    sparseRow([4294967295, 1]),
    'invalid index in sparse float vector: must be less than 2^32-1',
  ),
  sparseCase(
    'sparse rows are whole pairs',
    Buffer.alloc(12),
    'invalid data length in sparse float vector: 12',
  ),
  {
    rule: 'a non-nullable field takes no valid_data',
    schema: collection([field('n', DataType.Int32)]),
    data: [ids(2), floats(2), scalars('n', 'int_data', [1], { valid_data: [true, false] })],
    numRows: 2,
    code: 1100,
    message: 'the length of valid_data of field(n) is wrong: invalid parameter[expected=0][actual=2]',
  },
  {
    rule: 'valid_data has one flag per row',
    schema: collection([field('opt', DataType.Int32, { nullable: true })]),
    data: [ids(3), floats(3), scalars('opt', 'int_data', [1, 2], { valid_data: [true, true] })],
    numRows: 3,
    code: 1100,
    message: 'the length of valid_data of field(opt) is wrong: invalid parameter[expected=3][actual=2]',
  },
  {
    rule: 'a nullable column has one value per valid row (or one per row)',
    schema: collection([field('opt', DataType.Int32, { nullable: true })]),
    data: [ids(3), floats(3), scalars('opt', 'int_data', [1, 2], { valid_data: [true, false, false] })],
    numRows: 3,
    code: 1100,
    message: 'the length of field is wrong: invalid parameter[expected=1][actual=2]',
  },
  {
    rule: 'valid_data of a default-valued field has one flag per row',
    schema: collection([field('d', DataType.Int32, { defaultValue: { kind: 'int', value: 1 } })]),
    data: [ids(3), floats(3), scalars('d', 'int_data', [1], { valid_data: [true, false] })],
    numRows: 3,
    code: 1100,
    message: 'the length of valid_data of field(d) is wrong: invalid parameter[expected=3][actual=2]',
  },
  {
    rule: 'a nullable column must still carry a typed member',
    schema: collection([field('opt', DataType.Int64, { nullable: true })]),
    data: [ids(1), floats(1), { type: 'Int64', field_name: 'opt', valid_data: [false] }],
    numRows: 1,
    code: 1100,
    message: 'undefined data type:Int64: invalid parameter',
  },
  {
    rule: 'types Quiver cannot store are refused',
    schema: collection([field('shape', DataType.Geometry)]),
    data: [ids(1), floats(1), scalars('shape', 'geometry_wkt_data', ['POINT (1 2)'])],
    numRows: 1,
    code: 1100,
    message: 'field shape is of type Geometry, which Quiver does not store yet: invalid parameter',
  },
];

describe("decodeFieldData rejects what Milvus's proxy rejects, with its code and message", () => {
  for (const testCase of cases) {
    it(testCase.rule, () => {
      const data = testCase.data.map(overTheWire);
      assert.throws(
        () => decodeFieldData(testCase.schema, data, testCase.numRows, { upsert: testCase.upsert ?? false }),
        (error: unknown) => {
          assert.ok(isQuiverError(error), `expected a QuiverError, got ${String(error)}`);
          assert.equal(error.reason, testCase.message);
          assert.equal(error.code, testCase.code);
          return true;
        },
      );
    });
  }
});
