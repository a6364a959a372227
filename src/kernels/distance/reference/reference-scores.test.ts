import assert from 'node:assert/strict';
import { test } from 'node:test';
import { referenceScores } from './reference-scores.js';

test('float metrics on hand-computed vectors', () => {
  const query = new Float32Array([1, 2, 3]);
  const base = new Float32Array([4, 6, 8, 0, 0, 0, 2, 4, 6]);
  assert.deepEqual([...referenceScores('L2', query, base, 3)], [50, 14, 14]);
  assert.deepEqual([...referenceScores('IP', query, base, 3)], [40, 0, 28]);
  const cosine = referenceScores('COSINE', query, base, 3);
  assert.ok(Math.abs(cosine[0]! - 40 / Math.sqrt(14 * 116)) < 1e-15);
  assert.equal(cosine[1], 0, 'a zero vector has cosine 0');
  assert.ok(Math.abs(cosine[2]! - 1) < 1e-15);
});

test('binary metrics read bits MSB-first and ignore the unused bits of the last byte', () => {
  // dim 3: the dimensions are the top three bits of the byte.
  const query = new Uint8Array([0b1110_0000]);
  const base = new Uint8Array([0b0000_0000, 0b0001_1111, 0b1010_0000, 0b1111_1111]);
  assert.deepEqual([...referenceScores('HAMMING', query, base, 3)], [3, 3, 1, 0]);
  const jaccard = referenceScores('JACCARD', query, base, 3);
  assert.deepEqual([...jaccard], [1, 1, Math.fround(1 - 2 / 3), 0]);
  // Two all-zero vectors are identical.
  assert.deepEqual(
    [...referenceScores('JACCARD', new Uint8Array([0]), new Uint8Array([0b0001_1111]), 3)],
    [0],
  );
  // dim 12 spans two bytes: the second byte contributes its top four bits.
  const wide = referenceScores('HAMMING', new Uint8Array([0xff, 0xf0]), new Uint8Array([0x00, 0x0f]), 12);
  assert.deepEqual([...wide], [12]);
});

test('a float metric rejects byte vectors and a binary metric float vectors', () => {
  assert.throws(() => referenceScores('L2', new Uint8Array(3), new Uint8Array(3), 3), TypeError);
  assert.throws(() => referenceScores('HAMMING', new Float32Array(3), new Float32Array(3), 3), TypeError);
});
