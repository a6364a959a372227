import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isQuiverError } from '../../errors/index.js';
import { intValue } from '../../expr/generic-value.js';
import { DataType } from '../../schema/index.js';
import { invertedIndexFactory } from './inverted-index.js';
import { assertCoverage, checkFactory, columnCases, columnRef, concat } from './scalar-index-test-support.js';

const keyTypes = [
  DataType.Bool,
  DataType.Int8,
  DataType.Int16,
  DataType.Int32,
  DataType.Int64,
  DataType.Float,
  DataType.Double,
  DataType.VarChar,
];

test('INVERTED answers every leaf exactly as evaluateRow does, before and after a round trip', () => {
  const coverage = checkFactory(invertedIndexFactory, columnCases(keyTypes, keyTypes, 300), 150);
  // With few distinct values (all of these), every leaf on the whole field is answered: ranges
  // and lists from the sorted keys, the rest (suffix LIKE, arithmetic, functions) per value.
  assertCoverage(coverage, () => 'exactly-the-unanswerable');
});

test('INVERTED with many distinct values answers from the keys and leaves the rest to the scan', () => {
  const types = [DataType.Int64, DataType.Double, DataType.VarChar];
  const coverage = checkFactory(invertedIndexFactory, columnCases(types, types, 2000, [true]), 80);
  assertCoverage(coverage, (label) => (label.startsWith('Array') ? 'exactly-the-unanswerable' : 'some'));
});

test('INVERTED of an empty column answers with empty masks and round-trips', () => {
  const column = { type: DataType.Int64 as const, values: new BigInt64Array(0) };
  const index = invertedIndexFactory.build(column);
  const leaf = {
    kind: 'compare' as const,
    column: columnRef(column),
    op: '!=' as const,
    value: intValue(1n),
  };
  assert.deepEqual(index.evaluate(leaf), new Uint8Array(0));
  assert.equal(invertedIndexFactory.deserialize(concat(index.serialize())).numRows, 0);
});

test('INVERTED refuses JSON and vector columns', () => {
  const json = { type: DataType.JSON as const, values: ['{}'] };
  assert.throws(
    () => invertedIndexFactory.build(json),
    (error) =>
      isQuiverError(error) &&
      error.kind === 'IndexNotSupported' &&
      /INVERTED cannot index a JSON column/.test(error.message),
  );
  const vectors = { type: DataType.FloatVector as const, dim: 2, values: new Float32Array(2) };
  assert.throws(
    () => invertedIndexFactory.build(vectors),
    (error) => isQuiverError(error),
  );
});
