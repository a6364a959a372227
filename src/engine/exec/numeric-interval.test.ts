import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataType } from '../../schema/index.js';
import {
  floatInterval,
  int64Interval,
  intersectIntervals,
  nextDown,
  nextUp,
  smallIntInterval,
} from './numeric-interval.js';

test('nextUp / nextDown step to the adjacent double', () => {
  assert.equal(nextUp(1), 1 + Number.EPSILON);
  assert.equal(nextDown(1), 1 - Number.EPSILON / 2);
  assert.equal(nextUp(0), Number.MIN_VALUE);
  assert.equal(nextUp(-0), Number.MIN_VALUE);
  assert.ok(nextUp(-Number.MIN_VALUE) === 0);
  assert.equal(nextUp(Number.MAX_VALUE), Infinity);
  assert.equal(nextUp(-Infinity), -Number.MAX_VALUE);
  assert.equal(nextDown(Infinity), Number.MAX_VALUE);
});

test('comparisons become inclusive intervals; impossible ones are none', () => {
  assert.deepEqual(smallIntInterval(DataType.Int32, '>', { kind: 'float', value: 2.5 }), {
    lo: 3,
    hi: Infinity,
    negate: false,
  });
  assert.deepEqual(smallIntInterval(DataType.Int32, '==', { kind: 'float', value: 2.5 }), 'none');
  assert.deepEqual(smallIntInterval(DataType.Int32, '!=', { kind: 'float', value: 2.5 }), 'all');
  assert.deepEqual(int64Interval('>', { kind: 'int64', value: 2n ** 63n - 1n }), 'none');
  assert.deepEqual(int64Interval('<', { kind: 'float', value: 2 ** 63 }), 'all');
  assert.deepEqual(int64Interval('>=', { kind: 'float', value: -2.5 }), {
    lo: -2n,
    hi: 2n ** 63n - 1n,
    negate: false,
  });
  assert.deepEqual(floatInterval(DataType.Double, '<', { kind: 'int64', value: 2n ** 53n + 1n }), {
    lo: -Infinity,
    hi: 2 ** 53,
    negate: false,
  });
  assert.deepEqual(floatInterval(DataType.Float, '==', { kind: 'float', value: 0.1 }), {
    lo: Math.fround(0.1),
    hi: Math.fround(0.1),
    negate: false,
  });
  assert.deepEqual(floatInterval(DataType.Double, '>', { kind: 'float', value: Infinity }), 'none');
  assert.deepEqual(floatInterval(DataType.Double, '<', { kind: 'string', value: 'x' }), 'none');
  assert.deepEqual(
    intersectIntervals(
      int64Interval('>', { kind: 'int64', value: 5n }),
      int64Interval('<=', { kind: 'int64', value: 5n }),
    ),
    'none',
  );
});
