import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isQuiverError } from '../errors/index.js';
import type { CollectionSchema, FieldSchema, FunctionSchema } from './collection-schema.js';
import { DataType } from './data-type.js';
import {
  type CreateCollectionRequestOptions,
  type SchemaLimits,
  validateAliasName,
  validateCollectionName,
  validateCollectionSchema,
  validateDatabaseName,
  validateFieldName,
  validatePartitionName,
} from './validate-collection-schema.js';

function field(name: string, dataType: DataType, overrides: Partial<FieldSchema> = {}): FieldSchema {
  return {
    fieldId: 0,
    name,
    description: '',
    dataType,
    isPrimaryKey: false,
    autoId: false,
    typeParams: {},
    indexParams: {},
    elementType: DataType.None,
    isDynamic: false,
    isPartitionKey: false,
    isClusteringKey: false,
    nullable: false,
    isFunctionOutput: false,
    ...overrides,
  };
}

function bm25(overrides: Partial<FunctionSchema> = {}): FunctionSchema {
  return {
    name: 'bm25',
    id: 0,
    description: '',
    type: 'BM25',
    inputFieldNames: ['text'],
    inputFieldIds: [],
    outputFieldNames: ['sparse'],
    outputFieldIds: [],
    params: {},
    ...overrides,
  };
}

function schemaOf(fields: FieldSchema[], overrides: Partial<CollectionSchema> = {}): CollectionSchema {
  return {
    name: 'books',
    description: '',
    autoId: false,
    fields,
    enableDynamicField: false,
    functions: [],
    ...overrides,
  };
}

const pk = (overrides: Partial<FieldSchema> = {}) =>
  field('id', DataType.Int64, { isPrimaryKey: true, ...overrides });
const vec = (overrides: Partial<FieldSchema> = {}) =>
  field('vec', DataType.FloatVector, { typeParams: { dim: '8' }, ...overrides });
const text = (overrides: Partial<FieldSchema> = {}) =>
  field('text', DataType.VarChar, {
    typeParams: { max_length: '256', enable_analyzer: 'true' },
    ...overrides,
  });
const sparse = (overrides: Partial<FieldSchema> = {}) =>
  field('sparse', DataType.SparseFloatVector, overrides);

/** A valid schema (id, vec) plus the extra fields. */
function withFields(...extra: FieldSchema[]): CollectionSchema {
  return schemaOf([pk(), vec(), ...extra]);
}

function assertRejected(
  schema: CollectionSchema,
  code: number,
  message: string,
  limits: Partial<SchemaLimits> = {},
  request: CreateCollectionRequestOptions = {},
): void {
  assert.throws(
    () => validateCollectionSchema(schema, limits, request),
    (error: unknown) => {
      assert.ok(isQuiverError(error), `expected a QuiverError, got ${String(error)}`);
      assert.equal(error.message, message);
      assert.equal(error.code, code);
      return true;
    },
  );
}

function assertNameRejected(validate: () => void, code: number, message: string): void {
  assert.throws(validate, (error: unknown) => {
    assert.ok(isQuiverError(error));
    assert.equal(error.message, message);
    assert.equal(error.code, code);
    return true;
  });
}

describe('valid schemas', () => {
  test('every scalar type, nullable and default values, partition and clustering keys', () => {
    const schema = schemaOf([
      pk({ autoId: true }),
      vec(),
      field('binary', DataType.BinaryVector, { typeParams: { dim: '16' } }),
      field('half', DataType.Float16Vector, { typeParams: { dim: '32768' } }),
      field('brain', DataType.BFloat16Vector, { typeParams: { dim: '2' } }),
      field('flag', DataType.Bool, { nullable: true, defaultValue: { kind: 'bool', value: true } }),
      field('tiny', DataType.Int8, { defaultValue: { kind: 'int', value: -128 } }),
      field('small', DataType.Int16, { defaultValue: { kind: 'int', value: 32767 } }),
      field('medium', DataType.Int32, { isClusteringKey: true, defaultValue: { kind: 'int', value: 7 } }),
      field('big', DataType.Int64, {
        nullable: true,
        defaultValue: { kind: 'long', value: '9007199254740993' },
      }),
      field('ratio', DataType.Float, { defaultValue: { kind: 'float', value: 0.5 } }),
      field('score', DataType.Double, { defaultValue: { kind: 'double', value: 2.5 } }),
      field('title', DataType.VarChar, {
        typeParams: { max_length: '6' },
        isPartitionKey: true,
        defaultValue: { kind: 'string', value: 'défau' }, // 6 UTF-8 bytes
      }),
      field('tags', DataType.Array, {
        elementType: DataType.VarChar,
        typeParams: { max_length: '32', max_capacity: '4096' },
        nullable: true,
      }),
      field('counts', DataType.Array, { elementType: DataType.Int32, typeParams: { max_capacity: '1' } }),
      field('meta', DataType.JSON, { nullable: true }),
      field('place', DataType.Geometry, { defaultValue: { kind: 'string', value: 'POINT (1 2)' } }),
      field('at', DataType.Timestamptz, { defaultValue: { kind: 'string', value: '2025-01-01T00:00:00Z' } }),
    ]);
    const before = structuredClone(schema);
    validateCollectionSchema(schema, {}, { collectionName: 'books', shardsNum: 16, numPartitions: 1024 });
    assert.deepEqual(schema, before, 'validation must not modify the schema');
  });

  test('sparse and int8 vectors, a BM25 function, a VarChar primary key with auto_id', () => {
    const schema = schemaOf(
      [
        field('pk', DataType.VarChar, { isPrimaryKey: true, autoId: true, typeParams: { max_length: '64' } }),
        text({ typeParams: { max_length: '1000', enable_analyzer: 'True', enable_match: 'true' } }),
        sparse(),
        field('quant', DataType.Int8Vector, { typeParams: { dim: '32768' } }),
      ],
      { functions: [bm25()], enableDynamicField: true, autoId: true },
    );
    validateCollectionSchema(schema);
  });

  test('limits can be raised', () => {
    const manyVectors = schemaOf([
      pk(),
      ...[1, 2, 3, 4, 5].map((i) => field(`v${i}`, DataType.FloatVector, { typeParams: { dim: '4' } })),
    ]);
    validateCollectionSchema(manyVectors, { maxVectorFieldNum: 10 });
    validateCollectionSchema(
      withFields(field('v2', DataType.BinaryVector, { isClusteringKey: true, typeParams: { dim: '8' } })),
      {
        enableVectorClusteringKey: true,
      },
    );
  });
});

describe('functions (proxy validateFunction, checked first)', () => {
  const functionSchema = (fn: FunctionSchema, ...extra: FieldSchema[]) =>
    schemaOf([pk(), text(), sparse(), ...extra], { functions: [fn] });

  test('basic parameters', () => {
    assertRejected(functionSchema(bm25({ name: '' })), 65535, 'function name cannot be empty');
    assertRejected(
      functionSchema(bm25({ inputFieldNames: [] })),
      65535,
      'function input field names cannot be empty, function: bm25',
    );
    assertRejected(
      functionSchema(bm25({ outputFieldNames: [] })),
      65535,
      'function output field names cannot be empty, function: bm25',
    );
    assertRejected(
      functionSchema(bm25({ inputFieldNames: [''] })),
      65535,
      'function input field name cannot be empty string, function: bm25',
    );
    assertRejected(
      functionSchema(bm25({ inputFieldNames: ['text', 'text'] })),
      65535,
      'each function input field should be used exactly once in the same function, function: bm25, input field: text',
    );
    assertRejected(
      functionSchema(bm25({ outputFieldNames: [''] })),
      65535,
      'function output field name cannot be empty string, function: bm25',
    );
    assertRejected(
      functionSchema(bm25({ outputFieldNames: ['text'] })),
      65535,
      'a single field cannot be both input and output in the same function, function: bm25, field: text',
    );
    assertRejected(
      functionSchema(bm25({ outputFieldNames: ['sparse', 'sparse'] })),
      65535,
      'each function output field should be used exactly once in the same function, function: bm25, output field: sparse',
    );
    assertRejected(
      functionSchema(bm25({ type: 'TextEmbedding' })),
      65535,
      'check function params with unknown function type',
    );
    assertRejected(functionSchema(bm25({ params: { k1: '1.2' } })), 65535, 'BM25 function accepts no params');
  });

  test('duplicate function names', () => {
    const schema = schemaOf([pk(), text(), sparse(), sparse({ name: 'sparse2' })], {
      functions: [bm25(), bm25({ outputFieldNames: ['sparse2'] })],
    });
    assertRejected(schema, 65535, 'duplicate function name: bm25');
  });

  test('input fields', () => {
    assertRejected(
      functionSchema(bm25({ inputFieldNames: ['nope'] })),
      65535,
      'function input field not found: nope',
    );
    assertRejected(
      schemaOf([pk(), text({ nullable: true }), sparse()], { functions: [bm25()] }),
      65535,
      'function input field cannot be nullable: function bm25, field text',
    );
    assertRejected(
      functionSchema(bm25({ inputFieldNames: ['id'] })),
      65535,
      'BM25 function input field must be a VARCHAR field, got 1 field with type Int64',
    );
    assertRejected(
      functionSchema(bm25({ inputFieldNames: ['text', 'other'] }), text({ name: 'other' })),
      65535,
      'BM25 function input field must be a VARCHAR field, got 2 field with type VarChar',
    );
    assertRejected(
      schemaOf([pk(), text({ typeParams: { max_length: '10', enable_analyzer: 'yes' } }), sparse()], {
        functions: [bm25()],
      }),
      65535,
      'BM25 function input field must set enable_analyzer to true',
    );
  });

  test('output fields', () => {
    assertRejected(
      functionSchema(bm25({ outputFieldNames: ['nope'] })),
      65535,
      'function output field not found: nope',
    );
    assertRejected(
      functionSchema(bm25({ outputFieldNames: ['id'] })),
      65535,
      'function output field cannot be primary key: function bm25, field id',
    );
    assertRejected(
      schemaOf([pk(), text(), sparse({ isPartitionKey: true })], { functions: [bm25()] }),
      65535,
      'function output field cannot be partition key or clustering key: function bm25, field sparse',
    );
    assertRejected(
      schemaOf([pk(), text(), sparse({ nullable: true })], { functions: [bm25()] }),
      65535,
      'function output field cannot be nullable: function bm25, field sparse',
    );
    assertRejected(
      schemaOf([pk(), text(), text({ name: 'body' }), sparse()], {
        functions: [bm25(), bm25({ name: 'bm25b', inputFieldNames: ['body'] })],
      }),
      65535,
      'duplicate function output field: function bm25b, field sparse',
    );
    assertRejected(
      functionSchema(bm25({ outputFieldNames: ['sparse', 'sparse2'] }), sparse({ name: 'sparse2' })),
      65535,
      'BM25 function only need 1 output field, but got 2',
    );
    assertRejected(
      functionSchema(bm25({ outputFieldNames: ['vec'] }), vec()),
      65535,
      'BM25 function output field must be a SparseFloatVector field, but got FloatVector',
    );
  });
});

describe('counts and limits', () => {
  test('shards', () => {
    assertRejected(
      withFields(),
      65535,
      "maximum shards's number should be limited to 16",
      {},
      { shardsNum: 17 },
    );
    assertRejected(
      withFields(),
      65535,
      "maximum shards's number should be limited to 2",
      { maxShardNum: 2 },
      {
        shardsNum: 3,
      },
    );
  });

  test('fields', () => {
    const extra = Array.from({ length: 63 }, (_, i) => field(`f${i}`, DataType.Int32));
    assertRejected(withFields(...extra), 65535, "maximum field's number should be limited to 64");
    validateCollectionSchema(withFields(...extra.slice(1)));
  });

  test('vector fields', () => {
    const vectors = [1, 2, 3, 4].map((i) =>
      field(`v${i}`, DataType.FloatVector, { typeParams: { dim: '4' } }),
    );
    assertRejected(withFields(...vectors), 65535, "maximum vector field's number should be limited to 4");
    assertRejected(
      schemaOf([pk(), field('n', DataType.Int32)]),
      1100,
      'schema does not contain vector field: invalid parameter',
    );
  });

  test('the first failing rule wins, in Milvus order', () => {
    // Bad collection name and no vector field: the vector rule comes first in PreExecute.
    assertRejected(
      schemaOf([pk()], { name: '1bad' }),
      1100,
      'schema does not contain vector field: invalid parameter',
    );
  });
});

describe('collection name', () => {
  test('rules and messages (code 1100, two spaces after the period as Milvus)', () => {
    assertRejected(
      schemaOf([pk(), vec()], { name: '' }),
      1100,
      'collection name should not be empty: invalid parameter',
    );
    assertRejected(
      schemaOf([pk(), vec()], { name: '   ' }),
      1100,
      'collection name should not be empty: invalid parameter',
    );
    assertRejected(
      schemaOf([pk(), vec()], { name: '1abc' }),
      1100,
      'Invalid collection name: 1abc.  the first character of a collection name must be an underscore or letter: invalid parameter',
    );
    assertRejected(
      schemaOf([pk(), vec()], { name: 'a-b' }),
      1100,
      'Invalid collection name: a-b.  collection name can only contain numbers, letters and underscores: invalid parameter',
    );
    const long = 'a'.repeat(256);
    assertRejected(
      schemaOf([pk(), vec()], { name: long }),
      1100,
      `Invalid collection name: ${long}.  the length of a collection name must be less than 255 characters: invalid parameter`,
    );
    validateCollectionName('a'.repeat(255));
    validateCollectionName(' _Books_2 ');
    assertNameRejected(
      () => validateCollectionName('né'),
      1100,
      'Invalid collection name: né.  collection name can only contain numbers, letters and underscores: invalid parameter',
    );
  });
});

describe('fields', () => {
  test('duplicated names', () => {
    assertRejected(withFields(vec()), 65535, 'duplicated field name vec found');
  });

  test('primary key', () => {
    assertRejected(
      schemaOf([pk(), vec(), pk({ name: 'id2' })]),
      65535,
      'there are more than one primary key, field name = id, id2',
    );
    assertRejected(
      schemaOf([field('id', DataType.Float, { isPrimaryKey: true }), vec()]),
      65535,
      'the data type of primary key should be Int64 or VarChar',
    );
    assertRejected(schemaOf([field('id', DataType.Int64), vec()]), 65535, 'primary key is not specified');
  });

  test('dynamic flag set by the client', () => {
    assertRejected(
      withFields(field('extra', DataType.JSON, { isDynamic: true })),
      65535,
      'cannot explicitly set a field as a dynamic field',
    );
  });

  test('auto_id', () => {
    assertRejected(
      schemaOf([pk({ autoId: true }), vec(), field('other', DataType.Int64, { autoId: true })]),
      65535,
      'only one field can speficy AutoID with true, field name = id, other',
    );
    assertRejected(
      withFields(field('other', DataType.Int64, { autoId: true })),
      65535,
      'only primary field can speficy AutoID with true, field name = other',
    );
  });

  test('field and element types', () => {
    assertRejected(
      withFields(field('s', DataType.String)),
      65535,
      'string data type not supported yet, please use VarChar type instead',
    );
    assertRejected(withFields(field('n', DataType.None)), 65535, 'data type None is not valid');
    const arrayOf = (elementType: DataType) =>
      field('arr', DataType.Array, { elementType, typeParams: { max_capacity: '4' } });
    assertRejected(withFields(arrayOf(DataType.JSON)), 65535, 'element type JSON is not supported');
    assertRejected(
      withFields(arrayOf(DataType.FloatVector)),
      65535,
      'element type FloatVector is not supported',
    );
    assertRejected(
      withFields(arrayOf(DataType.String)),
      65535,
      'string data type not supported yet, please use VarChar type instead',
    );
    assertRejected(withFields(arrayOf(DataType.None)), 65535, 'element data type None is not valid');
  });

  test('field names (code 1701)', () => {
    assertRejected(
      withFields(field('1a', DataType.Int32)),
      1701,
      'Invalid field name: 1a. The first character of a field name must be an underscore or letter.: field name invalid[field=1a]',
    );
    assertRejected(
      withFields(field('a-b', DataType.Int32)),
      1701,
      'Invalid field name: a-b. Field name can only contain numbers, letters, and underscores.: field name invalid[field=a-b]',
    );
    assertRejected(
      withFields(field('like', DataType.Int32)),
      1701,
      'Invalid field name: like. like is keyword in milvus.: field name invalid[field=like]',
    );
    assertRejected(
      withFields(field('', DataType.Int32)),
      1701,
      'field name should not be empty: field name invalid[field=]',
    );
    assertRejected(
      withFields(field('$meta', DataType.JSON)),
      1701,
      'Invalid field name: $meta. The first character of a field name must be an underscore or letter.: field name invalid[field=$meta]',
    );
    const long = `f${'x'.repeat(255)}`;
    assertNameRejected(
      () => validateFieldName(long),
      1701,
      `Invalid field name: ${long}. The length of a field name must be less than 255 characters.: field name invalid[field=${long}]`,
    );
    validateFieldName('LIKE_ok');
    validateFieldName('Like'); // keywords are matched with their exact casing in Milvus 2.5/2.6
  });
});

describe('vector dimension', () => {
  const vector = (dataType: DataType, typeParams: Record<string, string>) =>
    schemaOf([pk(), field('v', dataType, { typeParams, fieldId: 101 })]);

  test('missing, non-integer, too small', () => {
    assertRejected(
      vector(DataType.FloatVector, {}),
      65535,
      'dimension is not defined in field type params of field v, check type param `dim` for vector field',
    );
    assertRejected(
      vector(DataType.FloatVector, { dim: 'abc' }),
      65535,
      'strconv.ParseInt: parsing "abc": invalid syntax',
    );
    assertRejected(
      vector(DataType.FloatVector, { dim: '8.0' }),
      65535,
      'strconv.ParseInt: parsing "8.0": invalid syntax',
    );
    assertRejected(
      vector(DataType.FloatVector, { dim: '1' }),
      65535,
      'invalid dimension: 1. should be in range 2 ~ 32768',
    );
    assertRejected(
      vector(DataType.BinaryVector, { dim: '-8' }),
      65535,
      'invalid dimension: -8. should be in range 2 ~ 32768',
    );
  });

  test('float-like vectors are bounded by maxDimension', () => {
    for (const type of [
      DataType.FloatVector,
      DataType.Float16Vector,
      DataType.BFloat16Vector,
      DataType.Int8Vector,
    ]) {
      assertRejected(
        vector(type, { dim: '32769' }),
        65535,
        'invalid dimension: 32769 of field v. float vector dimension should be in range 2 ~ 32768',
      );
    }
    assertRejected(
      vector(DataType.FloatVector, { dim: '129' }),
      65535,
      'invalid dimension: 129 of field v. float vector dimension should be in range 2 ~ 128',
      { maxDimension: 128 },
    );
  });

  test('binary vectors: multiple of 8, at most 8 × maxDimension', () => {
    assertRejected(
      vector(DataType.BinaryVector, { dim: '12' }),
      65535,
      'invalid dimension: 12 of field v. binary vector dimension should be multiple of 8. ',
    );
    assertRejected(
      vector(DataType.BinaryVector, { dim: '262152' }),
      65535,
      'invalid dimension: 262152 of field v. binary vector dimension should be in range 2 ~ 262144',
    );
    validateCollectionSchema(vector(DataType.BinaryVector, { dim: '262144' }));
  });

  test('sparse vectors take no dim', () => {
    assertRejected(
      vector(DataType.SparseFloatVector, { dim: '8' }),
      65535,
      'dim should not be specified for sparse vector field v(101)',
    );
  });
});

describe('max_length and max_capacity', () => {
  test('VarChar max_length', () => {
    assertRejected(
      withFields(field('title', DataType.VarChar)),
      65535,
      'type param(max_length) should be specified for varChar field(title) of collection books',
    );
    assertRejected(
      withFields(field('title', DataType.VarChar, { typeParams: { max_length: '0' } })),
      1100,
      'the maximum length specified for a VarChar field(title) should be in (0, 65535], but got 0 instead: invalid parameter',
    );
    assertRejected(
      withFields(field('title', DataType.VarChar, { typeParams: { max_length: '65536' } })),
      1100,
      'the maximum length specified for a VarChar field(title) should be in (0, 65535], but got 65536 instead: invalid parameter',
    );
    assertRejected(
      withFields(field('title', DataType.VarChar, { typeParams: { max_length: 'big' } })),
      65535,
      'strconv.ParseInt: parsing "big": invalid syntax',
    );
    validateCollectionSchema(
      withFields(field('title', DataType.VarChar, { typeParams: { max_length: '65535' } })),
    );
  });

  test('Array of VarChar needs max_length, every Array needs max_capacity', () => {
    assertRejected(
      withFields(
        field('tags', DataType.Array, { elementType: DataType.VarChar, typeParams: { max_capacity: '4' } }),
      ),
      65535,
      'type param(max_length) should be specified for varChar field(tags) of collection books',
    );
    assertRejected(
      withFields(field('nums', DataType.Array, { elementType: DataType.Int64 })),
      65535,
      'type param(max_capacity) should be specified for array field nums of collection books',
    );
    assertRejected(
      withFields(
        field('nums', DataType.Array, { elementType: DataType.Int64, typeParams: { max_capacity: 'x' } }),
      ),
      65535,
      'the value for max_capacity of field nums must be an integer',
    );
    assertRejected(
      withFields(
        field('nums', DataType.Array, { elementType: DataType.Int64, typeParams: { max_capacity: '4097' } }),
      ),
      65535,
      'the maximum capacity specified for a Array should be in (0, 4096]',
    );
    assertRejected(
      withFields(
        field('nums', DataType.Array, { elementType: DataType.Int64, typeParams: { max_capacity: '0' } }),
      ),
      65535,
      'the maximum capacity specified for a Array should be in (0, 4096]',
    );
  });

  test('enable_match needs enable_analyzer', () => {
    assertRejected(
      withFields(field('body', DataType.VarChar, { typeParams: { max_length: '10', enable_match: 'true' } })),
      65535,
      'field body is set to enable match or bm25 function but not enable analyzer',
    );
  });
});

describe('partition key', () => {
  const keyField = (overrides: Partial<FieldSchema> = {}) =>
    field('tenant', DataType.Int64, { isPartitionKey: true, ...overrides });

  test('field rules', () => {
    assertRejected(
      withFields(keyField(), keyField({ name: 'tenant2' })),
      65535,
      'there are more than one partition key, field name = tenant, tenant2',
    );
    assertRejected(
      schemaOf([pk({ isPartitionKey: true }), vec()]),
      65535,
      'the partition key field must not be primary field',
    );
    assertRejected(
      withFields(keyField({ nullable: true })),
      1100,
      'partition key field not support nullable: invalid parameter',
    );
    assertRejected(
      withFields(keyField({ dataType: DataType.Int32 })),
      65535,
      'the data type of partition key should be Int64 or VarChar',
    );
  });

  test('num_partitions', () => {
    assertRejected(
      withFields(keyField()),
      65535,
      'the specified partitions should be greater than 0 if partition key is used',
      {},
      { numPartitions: -1 },
    );
    assertRejected(
      withFields(keyField()),
      1100,
      'partition number (2000) exceeds max configuration (1024): invalid parameter',
      {},
      { numPartitions: 2000n },
    );
    assertRejected(
      withFields(),
      65535,
      'num_partitions should only be specified with partition key field enabled',
      {},
      { numPartitions: 16 },
    );
    validateCollectionSchema(withFields(keyField()), {}, { numPartitions: 0 });
  });

  test('mustUsePartitionKey', () => {
    assertRejected(
      withFields(),
      1100,
      'partition key must be set when creating the collection because the mustUsePartitionKey config is true: invalid parameter',
      { mustUsePartitionKey: true },
    );
  });
});

describe('clustering key', () => {
  test('type, vector, count (codes 105 and 107, named after the requested collection)', () => {
    assertRejected(
      withFields(field('doc', DataType.JSON, { isClusteringKey: true })),
      105,
      'clustering key field doc has unsupported data type JSON: illegal collection schema[collection=books]',
    );
    assertRejected(
      schemaOf([pk(), vec({ isClusteringKey: true })]),
      107,
      'vector clustering key not allowed[collection=req_name]',
      {},
      { collectionName: 'req_name' },
    );
    assertRejected(
      withFields(
        field('a', DataType.Int32, { isClusteringKey: true }),
        field('b', DataType.VarChar, { isClusteringKey: true, typeParams: { max_length: '8' } }),
      ),
      105,
      'there are more than one clustering key, field name = a, b: illegal collection schema[collection=books]',
    );
  });
});

describe('rootcoord checks', () => {
  test('request name must equal schema name', () => {
    assertRejected(
      withFields(),
      1100,
      "collection name = other, schema.Name=books: invalid parameter[expected=collection name matches schema name][actual=don't match]",
      {},
      { collectionName: 'other' },
    );
  });

  test('struct-only types at the top level', () => {
    assertRejected(
      withFields(field('s', DataType.ArrayOfStruct)),
      1100,
      'Invalid field type, type:ArrayOfStruct, name:s: invalid parameter',
    );
    assertRejected(
      withFields(field('s', DataType.ArrayOfVector)),
      1100,
      'ArrayOfVector is only supported in struct array field, type:ArrayOfVector, name:s: invalid parameter',
    );
  });

  test('nullable vectors and primary keys', () => {
    assertRejected(
      schemaOf([pk(), vec({ nullable: true })]),
      1100,
      'vector type not support null, type:FloatVector, name:vec: invalid parameter',
    );
    assertRejected(
      schemaOf([pk(), sparse({ nullable: true })]),
      1100,
      'vector type not support null, type:SparseFloatVector, name:sparse: invalid parameter',
    );
    assertRejected(
      schemaOf([pk({ nullable: true }), vec()]),
      1100,
      'primary field not support null, type:Int64, name:id: invalid parameter',
    );
  });

  test('default values allowed only where Milvus allows them', () => {
    assertRejected(
      schemaOf([pk({ defaultValue: { kind: 'long', value: '1' } }), vec()]),
      1100,
      'primary field not support default_value, type:Int64, name:id: invalid parameter',
    );
    assertRejected(
      withFields(field('doc', DataType.JSON, { defaultValue: { kind: 'bytes', value: 'e30=' } })),
      1100,
      'type not support default_value, type:JSON, name:doc: invalid parameter',
    );
    assertRejected(
      withFields(
        field('arr', DataType.Array, {
          elementType: DataType.Float,
          typeParams: { max_capacity: '4' },
          defaultValue: { kind: 'float', value: 2 },
        }),
      ),
      1100,
      'type not support default_value, type:Array, name:arr: invalid parameter',
    );
    assertRejected(
      schemaOf([pk(), vec({ defaultValue: { kind: 'float', value: 2 } })]),
      1100,
      'type not support default_value, type:FloatVector, name:vec: invalid parameter',
    );
  });

  test('default values must match the field type', () => {
    const mismatches: [FieldSchema, string][] = [
      [
        field('title', DataType.VarChar, {
          typeParams: { max_length: '10' },
          defaultValue: { kind: 'int', value: 2 },
        }),
        'type (VarChar) of field (title) is not equal to the type(DataType_Int) of default_value: invalid parameter',
      ],
      [
        field('n', DataType.Int32, { defaultValue: { kind: 'long', value: '2' } }),
        'type (Int32) of field (n) is not equal to the type(DataType_Int64) of default_value: invalid parameter',
      ],
      [
        field('n', DataType.Int64, { defaultValue: { kind: 'int', value: 2 } }),
        'type (Int64) of field (n) is not equal to the type(DataType_Int) of default_value: invalid parameter',
      ],
      [
        field('x', DataType.Float, { defaultValue: { kind: 'double', value: 2.6 } }),
        'type (Float) of field (x) is not equal to the type(DataType_Double) of default_value: invalid parameter',
      ],
      [
        field('x', DataType.Double, { defaultValue: { kind: 'string', value: '2.6' } }),
        'type (Double) of field (x) is not equal to the type(DataType_VarChar) of default_value: invalid parameter',
      ],
      [
        field('b', DataType.Int8, { defaultValue: { kind: 'bool', value: true } }),
        'type (Int8) of field (b) is not equal to the type(DataType_Bool) of default_value: invalid parameter',
      ],
      [
        field('b', DataType.Bool, { defaultValue: { kind: 'float', value: 1 } }),
        'type (Bool) of field (b) is not equal to the type(DataType_Float) of default_value: invalid parameter',
      ],
      [
        field('n', DataType.Int64, { defaultValue: { kind: 'bytes', value: 'e30=' } }),
        'type (Int64) of field (n) is not equal to the type(DataType_SJON) of default_value: invalid parameter',
      ],
      [
        field('at', DataType.Timestamptz, { defaultValue: { kind: 'long', value: '10' } }),
        'type (Timestamptz) of field (at) is not equal to the type(DataType_Int64) of default_value: invalid parameter',
      ],
    ];
    for (const [badField, message] of mismatches) assertRejected(withFields(badField), 1100, message);
  });

  test('default value ranges and lengths', () => {
    assertRejected(
      withFields(field('n', DataType.Int8, { defaultValue: { kind: 'int', value: 128 } })),
      1100,
      'default value out of range: invalid parameter[128 out of range -128 <= value <= 127]',
    );
    assertRejected(
      withFields(field('n', DataType.Int16, { defaultValue: { kind: 'int', value: -32769 } })),
      1100,
      'default value out of range: invalid parameter[-32769 out of range -32768 <= value <= 32767]',
    );
    assertRejected(
      withFields(
        field('title', DataType.VarChar, {
          typeParams: { max_length: '2' },
          defaultValue: { kind: 'string', value: 'defaultaaaaaaaaa' },
        }),
      ),
      1100,
      'the length (16) of string exceeds max length (2): invalid parameter[expected=valid length string][actual=string length exceeds max length]',
    );
    assertRejected(
      withFields(
        field('title', DataType.VarChar, {
          typeParams: { max_length: '5' },
          defaultValue: { kind: 'string', value: 'défau' },
        }),
      ),
      1100,
      'the length (6) of string exceeds max length (5): invalid parameter[expected=valid length string][actual=string length exceeds max length]',
    );
    assertRejected(
      withFields(field('place', DataType.Geometry, { defaultValue: { kind: 'string', value: 'somewhere' } })),
      1100,
      'invalid default value for geometry field: invalid parameter',
    );
  });

  test('system field names', () => {
    for (const name of ['RowID', 'Timestamp']) {
      assertRejected(
        withFields(field(name, DataType.Int64)),
        1100,
        "schema contains system field: RowID, Timestamp, $meta: invalid parameter[expected=schema don't contains system field][actual=contains]",
      );
    }
  });

  test('types Milvus 2.5/2.6 do not accept', () => {
    assertRejected(
      withFields(field('t', DataType.Text)),
      1100,
      'invalid parameter[expected=valid field][actual=field data type: Text is not supported]',
    );
    assertRejected(
      withFields(field('t', 300 as DataType)),
      1100,
      'invalid parameter[expected=valid field][actual=field data type: 300 is not supported]',
    );
  });
});

describe('other names', () => {
  test('alias', () => {
    validateAliasName('_alias1');
    assertNameRejected(
      () => validateAliasName(''),
      1100,
      'collection alias should not be empty: invalid parameter',
    );
    assertNameRejected(
      () => validateAliasName('9a'),
      1100,
      'Invalid collection alias: 9a.  the first character of a collection alias must be an underscore or letter: invalid parameter',
    );
    assertNameRejected(
      () => validateAliasName('a.b'),
      1100,
      'Invalid collection alias: a.b.  collection alias can only contain numbers, letters and underscores: invalid parameter',
    );
  });

  test('database (code 802, not trimmed)', () => {
    validateDatabaseName('default');
    assertNameRejected(
      () => validateDatabaseName(''),
      802,
      "database name couldn't be empty: invalid database name[database=]",
    );
    assertNameRejected(
      () => validateDatabaseName('1db'),
      802,
      'the first character of a database name must be an underscore or letter: invalid database name[database=1db]',
    );
    assertNameRejected(
      () => validateDatabaseName(' db'),
      802,
      'the first character of a database name must be an underscore or letter: invalid database name[database= db]',
    );
    assertNameRejected(
      () => validateDatabaseName('my-db'),
      802,
      'database name can only contain numbers, letters and underscores: invalid database name[database=my-db]',
    );
    const long = 'd'.repeat(256);
    assertNameRejected(
      () => validateDatabaseName(long),
      802,
      `the length of a database name must be less than 255 characters: invalid database name[database=${long}]`,
    );
  });

  test('partition (plain errors; digits first and dashes allowed)', () => {
    validatePartitionName('2024-01');
    validatePartitionName('_default');
    validatePartitionName(' p1 ');
    assertNameRejected(
      () => validatePartitionName(' '),
      65535,
      'Invalid partition name: . Partition name should not be empty.',
    );
    assertNameRejected(
      () => validatePartitionName('-p'),
      65535,
      'Invalid partition name: -p. The first character of a partition name must be an underscore or letter.',
    );
    assertNameRejected(
      () => validatePartitionName('p.1'),
      65535,
      'Invalid partition name: p.1. Partition name can only contain numbers, letters and underscores.',
    );
    const long = 'p'.repeat(256);
    assertNameRejected(
      () => validatePartitionName(long),
      65535,
      `Invalid partition name: ${long}. The length of a partition name must be less than 255 characters.`,
    );
  });
});
