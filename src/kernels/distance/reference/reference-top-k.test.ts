import assert from 'node:assert/strict';
import { test } from 'node:test';
import { referenceTopK } from './reference-top-k.js';

test('distances ascend, similarities descend, ties go to the lower row', () => {
  const scores = [3, 1, 2, 1, 5];
  assert.deepEqual(referenceTopK('L2', scores, 3), { ids: [1, 3, 2], scores: [1, 1, 2] });
  assert.deepEqual(referenceTopK('IP', scores, 3), { ids: [4, 0, 2], scores: [5, 3, 2] });
});

test('a bitset restricts the candidates and k may exceed them', () => {
  const scores = [3, 1, 2, 1, 5];
  const bitset = new Uint8Array([0b10101]); // rows 0, 2, 4
  assert.deepEqual(referenceTopK('L2', scores, 10, bitset), { ids: [2, 0, 4], scores: [2, 3, 5] });
  assert.deepEqual(referenceTopK('L2', scores, 10, new Uint32Array([0b10])), { ids: [1], scores: [1] });
  assert.deepEqual(referenceTopK('L2', [], 10), { ids: [], scores: [] });
});

test('NaN ranks last and is reported as the worst score', () => {
  assert.deepEqual(referenceTopK('L2', [Number.NaN, 1], 2), { ids: [1, 0], scores: [1, Infinity] });
  assert.deepEqual(referenceTopK('COSINE', [Number.NaN, 0.5], 2), { ids: [1, 0], scores: [0.5, -Infinity] });
});
