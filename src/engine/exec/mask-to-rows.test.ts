import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskToRows } from './mask-to-rows.js';

test('maskToRows lists the selected offsets in order', () => {
  assert.deepEqual([...maskToRows(Uint8Array.of(0, 1, 1, 0, 0, 1))], [1, 2, 5]);
  assert.deepEqual([...maskToRows(new Uint8Array(4))], []);
  assert.deepEqual([...maskToRows(new Uint8Array(0))], []);
  const all = maskToRows(new Uint8Array(100_000).fill(1));
  assert.equal(all.length, 100_000);
  assert.equal(all[99_999], 99_999);
});
