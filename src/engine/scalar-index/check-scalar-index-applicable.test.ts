import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isQuiverError } from '../../errors/index.js';
import { DataType, type FieldSchema } from '../../schema/index.js';
import { checkScalarIndexApplicable, scalarIndexTypeOf } from './check-scalar-index-applicable.js';

function field(dataType: DataType, extra: Partial<FieldSchema> = {}): FieldSchema {
  return {
    fieldId: 101,
    name: 'f',
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
    ...extra,
  };
}

const array = (elementType: DataType) => field(DataType.Array, { elementType });
const wrapped = (message: string) =>
  `${message}: invalid parameter[expected=valid index params][actual=invalid index params]`;

function rejects(indexType: string, target: FieldSchema, reason: string, code = 1100, params = {}): void {
  assert.throws(
    () => checkScalarIndexApplicable(indexType, target, params),
    (error) => {
      assert.ok(isQuiverError(error));
      assert.equal(error.message, reason);
      assert.equal(error.code, code);
      return true;
    },
    `${indexType} on ${DataType[target.dataType]}`,
  );
}

test('Milvus 2.6 accepts these index / field pairings', () => {
  const accepted: [string, FieldSchema][] = [
    ...[
      DataType.Bool,
      DataType.Int8,
      DataType.Int16,
      DataType.Int32,
      DataType.Int64,
      DataType.Float,
      DataType.Double,
      DataType.VarChar,
    ].map((type): [string, FieldSchema] => ['INVERTED', field(type)]),
    ['INVERTED', array(DataType.Double)],
    ['INVERTED', field(DataType.Int64, { isPrimaryKey: true })],
    ...[
      DataType.Int8,
      DataType.Int16,
      DataType.Int32,
      DataType.Int64,
      DataType.Float,
      DataType.Double,
      DataType.VarChar,
    ].map((type): [string, FieldSchema] => ['STL_SORT', field(type)]),
    ['Asceneding', field(DataType.Int64)],
    ['Trie', field(DataType.VarChar)],
    ['TRIE', field(DataType.VarChar)],
    ['marisa-trie', field(DataType.VarChar)],
    ...[DataType.Bool, DataType.Int8, DataType.Int16, DataType.Int32, DataType.Int64, DataType.VarChar].map(
      (type): [string, FieldSchema] => ['BITMAP', field(type)],
    ),
    ['BITMAP', array(DataType.VarChar)],
    ['BITMAP', array(DataType.Bool)],
    ['AUTOINDEX', field(DataType.Double)],
    ['AUTOINDEX', field(DataType.FloatVector, { typeParams: { dim: '4' } })],
  ];
  for (const [indexType, target] of accepted) {
    assert.doesNotThrow(
      () => checkScalarIndexApplicable(indexType, target),
      `${indexType} on ${DataType[target.dataType]}`,
    );
  }
  assert.equal(scalarIndexTypeOf('marisa-trie'), 'Trie');
  assert.equal(scalarIndexTypeOf('Asceneding'), 'STL_SORT');
  assert.equal(scalarIndexTypeOf('HNSW'), undefined);
});

test('unsupported pairings fail with the checker message wrapped by the proxy (code 1100)', () => {
  rejects('INVERTED', field(DataType.Geometry), wrapped('INVERTED are not supported on Geometry field'));
  rejects(
    'INVERTED',
    field(DataType.Timestamptz),
    wrapped('INVERTED are not supported on Timestamptz field'),
  );
  rejects(
    'STL_SORT',
    field(DataType.Bool),
    wrapped('STL_SORT are only supported on numeric, varchar or timestamptz field, got Bool'),
  );
  rejects(
    'STL_SORT',
    field(DataType.JSON),
    wrapped('STL_SORT are only supported on numeric, varchar or timestamptz field, got JSON'),
  );
  rejects(
    'STL_SORT',
    array(DataType.Int64),
    wrapped('STL_SORT are only supported on numeric, varchar or timestamptz field, got Array'),
  );
  rejects('Trie', field(DataType.Int64), wrapped('TRIE are only supported on varchar field'));
  rejects('marisa-trie', array(DataType.VarChar), wrapped('TRIE are only supported on varchar field'));
  rejects(
    'BITMAP',
    field(DataType.Int64, { isPrimaryKey: true }),
    wrapped('create bitmap index on primary key not supported'),
  );
  rejects(
    'BITMAP',
    field(DataType.Float),
    wrapped('bitmap index are only supported on bool, int, string and array field'),
  );
  rejects(
    'BITMAP',
    field(DataType.Double),
    wrapped('bitmap index are only supported on bool, int, string and array field'),
  );
  rejects(
    'BITMAP',
    field(DataType.JSON),
    wrapped('bitmap index are only supported on bool, int, string and array field'),
  );
  rejects(
    'BITMAP',
    array(DataType.Float),
    wrapped('bitmap index are only supported on bool, int, string for array field'),
  );
});

test('JSON fields: INVERTED needs a valid json_cast_type, then Quiver reports its own gap', () => {
  const json = field(DataType.JSON);
  rejects(
    'INVERTED',
    json,
    wrapped('json index must specify cast type: missing parameter[missing_param=json_cast_type]'),
  );
  rejects('INVERTED', json, wrapped('json_cast_type INT64 is not supported: invalid parameter'), 1100, {
    json_cast_type: 'INT64',
  });
  rejects('INVERTED', json, wrapped('json_cast_function LOWER is not supported: invalid parameter'), 1100, {
    json_cast_type: 'VARCHAR',
    json_cast_function: 'LOWER',
  });
  rejects(
    'INVERTED',
    json,
    wrapped(
      'json_cast_function STRING_TO_DOUBLE is not supported for json_cast_type VARCHAR: invalid parameter',
    ),
    1100,
    { json_cast_type: 'VARCHAR', json_cast_function: 'STRING_TO_DOUBLE' },
  );
  rejects('INVERTED', json, 'Quiver does not build indexes on JSON paths yet: unsupported operation', 3000, {
    json_cast_type: 'DOUBLE',
    json_path: 'f["a"]',
  });
  rejects(
    'STL_SORT',
    field(DataType.Timestamptz),
    'Quiver does not build STL_SORT indexes on Timestamptz fields yet: unsupported operation',
    3000,
  );
});

test('unknown index types, Milvus index types Quiver lacks, and vector fields', () => {
  rejects(
    'BTREE',
    field(DataType.Int64),
    'invalid parameter[expected=valid index][actual=invalid index type: BTREE]',
  );
  rejects(
    'HYBRID',
    field(DataType.Int64),
    'Quiver does not build HYBRID indexes: unsupported operation',
    3000,
  );
  rejects(
    'NGRAM',
    field(DataType.VarChar),
    'Quiver does not build NGRAM indexes: unsupported operation',
    3000,
  );
  const vector = field(DataType.FloatVector, { typeParams: { dim: '4' } });
  rejects('INVERTED', vector, wrapped('metric type not set for vector index'));
  rejects('INVERTED', vector, wrapped("data type 101 can't build with this index INVERTED"), 1100, {
    metric_type: 'L2',
  });
  rejects(
    'AUTOINDEX',
    field(DataType.JSON),
    'invalid parameter[expected=supported field][actual=create auto index on type:JSON is not supported]',
  );
});
