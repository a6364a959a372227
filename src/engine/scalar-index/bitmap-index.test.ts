import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isQuiverError } from '../../errors/index.js';
import { stringValue } from '../../expr/generic-value.js';
import { DataType } from '../../schema/index.js';
import { bitmapIndexFactory } from './bitmap-index.js';
import { invertedIndexFactory } from './inverted-index.js';
import { assertCoverage, checkFactory, columnCases, columnRef, concat } from './scalar-index-test-support.js';

const types = [
  DataType.Bool,
  DataType.Int8,
  DataType.Int16,
  DataType.Int32,
  DataType.Int64,
  DataType.VarChar,
];

test('BITMAP answers every leaf exactly as evaluateRow does, before and after a round trip', () => {
  const coverage = checkFactory(bitmapIndexFactory, columnCases(types, types, 301), 150);
  assertCoverage(coverage, () => 'exactly-the-unanswerable');
  const large = checkFactory(
    bitmapIndexFactory,
    columnCases([DataType.Int64, DataType.VarChar], [DataType.VarChar], 2000, [true]),
    60,
  );
  assertCoverage(large, (label) => (label.startsWith('Array') ? 'exactly-the-unanswerable' : 'some'));
});

test('BITMAP keeps a bitmap for common values and a row list for rare ones', () => {
  // 10,000 rows: "common" in every other row, "rare" in 10.
  const values = Array.from({ length: 10_000 }, (_, row) =>
    row % 1000 === 7 ? 'rare' : row % 2 === 0 ? 'common' : 'other',
  );
  const column = { type: DataType.VarChar as const, values };
  const bitmap = bitmapIndexFactory.build(column);
  // Two bitmaps of 10,000 bits (2 x 1,252 bytes) and a list of 10 rows, plus keys.
  assert.ok(bitmap.sizeBytes < 2 * 1252 + 40 + 200, `${bitmap.sizeBytes} bytes`);
  const inverted = invertedIndexFactory.build(column);
  for (const key of ['common', 'rare', 'other', 'none']) {
    const leaf = {
      kind: 'compare' as const,
      column: columnRef(column),
      op: '==' as const,
      value: stringValue(key),
    };
    assert.deepEqual(bitmap.evaluate(leaf), inverted.evaluate(leaf), key);
  }
  assert.equal(bitmapIndexFactory.deserialize(concat(bitmap.serialize())).sizeBytes, bitmap.sizeBytes);
});

test('BITMAP refuses Float, Double and Arrays of them (Milvus: bool, int, string)', () => {
  for (const column of [
    { type: DataType.Float as const, values: new Float32Array(1) },
    { type: DataType.Double as const, values: new Float64Array(1) },
    { type: DataType.Array as const, elementType: DataType.Double, values: [new Float64Array(1)] },
  ]) {
    assert.throws(
      () => bitmapIndexFactory.build(column),
      (error) =>
        isQuiverError(error) &&
        error.kind === 'IndexNotSupported' &&
        /BITMAP cannot index/.test(error.message),
    );
  }
});
