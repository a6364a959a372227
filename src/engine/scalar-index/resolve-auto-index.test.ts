import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isQuiverError } from '../../errors/index.js';
import { type Column, DataType, type FieldSchema } from '../../schema/index.js';
import { autoIndexTypeFor, resolveAutoIndex } from './resolve-auto-index.js';

function field(dataType: DataType, elementType = DataType.None): FieldSchema {
  return {
    fieldId: 101,
    name: 'f',
    description: '',
    dataType,
    isPrimaryKey: false,
    autoId: false,
    typeParams: {},
    indexParams: {},
    elementType,
    isDynamic: false,
    isPartitionKey: false,
    isClusteringKey: false,
    nullable: false,
    isFunctionOutput: false,
  };
}

test('AUTOINDEX on a scalar field: BITMAP for bool, INVERTED for floats, HYBRID for ints and strings', () => {
  assert.deepEqual(resolveAutoIndex(field(DataType.Bool)), {
    milvusIndexType: 'BITMAP',
    indexType: 'BITMAP',
  });
  assert.deepEqual(resolveAutoIndex(field(DataType.Float)), {
    milvusIndexType: 'INVERTED',
    indexType: 'INVERTED',
  });
  assert.deepEqual(resolveAutoIndex(field(DataType.Array, DataType.Double)), {
    milvusIndexType: 'INVERTED',
    indexType: 'INVERTED',
  });
  assert.deepEqual(resolveAutoIndex(field(DataType.Int32)), {
    milvusIndexType: 'HYBRID',
    lowCardinality: 'BITMAP',
    highCardinality: 'STL_SORT',
    bitmapCardinalityLimit: 100,
  });
  const varchar = resolveAutoIndex(field(DataType.VarChar));
  assert.equal(varchar.milvusIndexType === 'HYBRID' && varchar.highCardinality, 'INVERTED');
  const intArray = resolveAutoIndex(field(DataType.Array, DataType.Int64));
  assert.equal(intArray.milvusIndexType === 'HYBRID' && intArray.highCardinality, 'INVERTED');
  for (const type of [DataType.JSON, DataType.Geometry]) {
    assert.throws(
      () => resolveAutoIndex(field(type)),
      (error) =>
        isQuiverError(error) &&
        error.code === 1100 &&
        error.message ===
          `invalid parameter[expected=supported field][actual=create auto index on type:${DataType[type]} is not supported]`,
    );
  }
});

test('HYBRID picks BITMAP below the cardinality limit and the high-cardinality type from it on', () => {
  const years = (distinct: number): Column => ({
    type: DataType.Int64,
    values: BigInt64Array.from({ length: 1000 }, (_, row) => BigInt(1990 + (row % distinct))),
  });
  const resolution = resolveAutoIndex(field(DataType.Int64));
  assert.equal(autoIndexTypeFor(resolution, years(36)), 'BITMAP');
  assert.equal(autoIndexTypeFor(resolution, years(99)), 'BITMAP');
  assert.equal(autoIndexTypeFor(resolution, years(100)), 'STL_SORT');
  const tags: Column = {
    type: DataType.Array,
    elementType: DataType.VarChar,
    values: Array.from({ length: 200 }, (_, row) => [`tag${row}`, 'common']),
  };
  assert.equal(autoIndexTypeFor(resolveAutoIndex(field(DataType.Array, DataType.VarChar)), tags), 'INVERTED');
  // Null rows do not count: 150 distinct values, all but 50 of them in null rows.
  const valid = Uint8Array.from({ length: 150 }, (_, row) => (row < 50 ? 1 : 0));
  const sparse: Column = {
    type: DataType.Int64,
    values: BigInt64Array.from({ length: 150 }, (_, row) => BigInt(row)),
    valid,
  };
  assert.equal(autoIndexTypeFor(resolution, sparse), 'BITMAP');
  assert.equal(autoIndexTypeFor(resolveAutoIndex(field(DataType.Bool)), sparse), 'BITMAP');
});
