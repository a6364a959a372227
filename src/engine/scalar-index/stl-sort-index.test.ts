import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isQuiverError } from '../../errors/index.js';
import { floatValue, intValue } from '../../expr/generic-value.js';
import { DataType } from '../../schema/index.js';
import { checkFactory, columnCases, columnRef } from './scalar-index-test-support.js';
import { stlSortIndexFactory } from './stl-sort-index.js';

const types = [
  DataType.Int8,
  DataType.Int16,
  DataType.Int32,
  DataType.Int64,
  DataType.Float,
  DataType.Double,
  DataType.VarChar,
];

test('STL_SORT answers every leaf it takes exactly as evaluateRow does, before and after a round trip', () => {
  const coverage = checkFactory(stlSortIndexFactory, columnCases(types, [], 300), 150);
  for (const [label, { answered, total }] of coverage) {
    // compare, range, term, LIKE 'x' / 'x%', null checks: about two thirds of the generated leaves.
    assert.ok(answered > total / 2 && answered < total - 2, `${label}: ${answered} of ${total} answered`);
  }
});

test('STL_SORT with many distinct values stays exact', () => {
  checkFactory(
    stlSortIndexFactory,
    columnCases([DataType.Int64, DataType.Double, DataType.VarChar], [], 2000, [true]),
    60,
  );
});

test('STL_SORT compares integer columns with fractional constants and float columns in float32', () => {
  const ints = { type: DataType.Int64 as const, values: BigInt64Array.from([1n, 2n, 3n, -(2n ** 63n)]) };
  const index = stlSortIndexFactory.build(ints);
  const compare = (op: '>' | '==' | '<=', value: ReturnType<typeof floatValue>) =>
    Array.from(index.evaluate({ kind: 'compare', column: columnRef(ints), op, value })!);
  assert.deepEqual(compare('>', floatValue(1.5)), [0, 1, 1, 0]);
  assert.deepEqual(compare('==', floatValue(2)), [0, 1, 0, 0]);
  assert.deepEqual(compare('<=', floatValue(-9.2e18)), [0, 0, 0, 1]);
  assert.deepEqual(compare('<=', floatValue(-9.3e18)), [0, 0, 0, 0]);
  const floats = { type: DataType.Float as const, values: Float32Array.from([0.1, 3, Number.NaN]) };
  const floatIndex = stlSortIndexFactory.build(floats);
  const eq = (value: ReturnType<typeof intValue>) =>
    Array.from(floatIndex.evaluate({ kind: 'compare', column: columnRef(floats), op: '==', value })!);
  // 0.1 as a double is not the float32 value stored, but the constant is rounded to float32 first.
  assert.deepEqual(eq(floatValue(0.1)), [1, 0, 0]);
  assert.deepEqual(eq(intValue(3n)), [0, 1, 0]);
  // NaN rows match nothing, `!=` included.
  const ne = floatIndex.evaluate({
    kind: 'compare',
    column: columnRef(floats),
    op: '!=',
    value: floatValue(3),
  })!;
  assert.deepEqual(Array.from(ne), [1, 0, 0]);
});

test('STL_SORT refuses Bool and Array columns (Milvus: numeric, varchar or timestamptz)', () => {
  for (const column of [
    { type: DataType.Bool as const, values: new Uint8Array(1) },
    { type: DataType.Array as const, elementType: DataType.Int64, values: [new BigInt64Array(1)] },
  ]) {
    assert.throws(
      () => stlSortIndexFactory.build(column),
      (error) => isQuiverError(error) && error.kind === 'IndexNotSupported',
    );
  }
});
