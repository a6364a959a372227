import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataType } from '../../schema/index.js';
import { Segment } from '../segment/segment.js';
import { visibleMask } from './visible-mask.js';

test('visibleMask follows Segment.isVisible: inserted at or before readTs and not deleted by then', () => {
  const segment = Segment.fromFile(1n, 0, {
    columns: new Map([['x', { type: DataType.Int32, values: Int32Array.of(1, 2, 3, 4, 5) }]]),
    insertTimestamps: BigUint64Array.of(10n, 10n, 20n, 30n, 10n),
    numRows: 5,
  });
  segment.markDeleted(1, 15n, 0n);
  segment.markDeleted(4, 25n, 0n);
  for (const readTs of [5n, 10n, 15n, 20n, 25n, 30n, 100n]) {
    const expected = Array.from({ length: 5 }, (_, row) => (segment.isVisible(row, readTs) ? 1 : 0));
    assert.deepEqual([...visibleMask(segment, readTs)], expected, `readTs ${readTs}`);
  }
  assert.deepEqual([...visibleMask(segment, 20n)], [1, 0, 1, 0, 1]);
});
