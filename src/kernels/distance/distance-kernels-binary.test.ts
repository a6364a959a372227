import assert from 'node:assert/strict';
import { test } from 'node:test';
import { randomBytes } from '../random-vectors.js';
import { DistanceKernels } from './distance-kernels.js';
import type { BinaryMetric } from './metric.js';
import { referenceScores } from './reference/reference-scores.js';
import { referenceTopK } from './reference/reference-top-k.js';

const kernels = DistanceKernels.load();
const BINARY_METRICS: readonly BinaryMetric[] = ['HAMMING', 'JACCARD'];
/** Covers the masked last byte, single bytes, 8-byte words and 16-byte SIMD blocks. */
const DIM_BITS = [1, 3, 7, 8, 17, 64, 100, 128, 200, 1000, 1024, 4096];

test('binary scores equal the reference exactly for every metric and dim', () => {
  for (const dimBits of DIM_BITS) {
    const rowBytes = Math.ceil(dimBits / 8);
    const query = randomBytes(dimBits, rowBytes);
    const base = randomBytes(dimBits + 1, 50 * rowBytes);
    base.fill(0, 0, rowBytes);
    base.set(query, rowBytes); // an identical row
    for (const metric of BINARY_METRICS) {
      const got = kernels.binaryDistances(metric, query, base, dimBits);
      assert.deepEqual(
        [...got],
        [...referenceScores(metric, query, base, dimBits)],
        `${metric} dim ${dimBits}`,
      );
      assert.equal(got[1], 0);
    }
  }
});

test('the unused bits of the last byte do not change any score', () => {
  const dimBits = 21; // 3 bytes, the low 3 bits of the last byte are padding
  const query = randomBytes(1, 3);
  const base = randomBytes(2, 30 * 3);
  const noisy = base.slice();
  for (let row = 0; row < 30; row++) noisy[row * 3 + 2]! ^= 0b111;
  const noisyQuery = query.slice();
  noisyQuery[2]! ^= 0b101;
  for (const metric of BINARY_METRICS) {
    assert.deepEqual(
      kernels.binaryDistances(metric, noisyQuery, noisy, dimBits),
      kernels.binaryDistances(metric, query, base, dimBits),
    );
  }
});

test('two all-zero vectors have Jaccard distance 0', () => {
  const zeros = new Uint8Array(16);
  assert.deepEqual([...kernels.binaryDistances('JACCARD', zeros, zeros, 128)], [0]);
});

test('very long vectors count every bit (the 16-bit lane accumulators are flushed in time)', () => {
  const dimBits = 600_000; // 75,000 bytes: 4,687 SIMD blocks per row, 16-bit lanes would overflow after 4,096
  const rowBytes = dimBits / 8;
  const ones = new Uint8Array(rowBytes).fill(0xff);
  const base = new Uint8Array(3 * rowBytes);
  base.fill(0xff, rowBytes, 2 * rowBytes);
  base.fill(0xf0, 2 * rowBytes); // half the bits: AND counts 300,000, OR counts 600,000
  assert.deepEqual([...kernels.binaryDistances('HAMMING', ones, base, dimBits)], [dimBits, 0, dimBits / 2]);
  assert.deepEqual([...kernels.binaryDistances('JACCARD', ones, base, dimBits)], [1, 0, 0.5]);
});

test('binary top-k returns exactly the best k of the kernel scores, with and without a bitset', () => {
  const rows = 1000;
  for (const dimBits of [7, 128, 1024]) {
    const rowBytes = Math.ceil(dimBits / 8);
    const base = randomBytes(dimBits * 3, rows * rowBytes);
    const queries = randomBytes(dimBits * 5, 17 * rowBytes);
    const bitsetBytes = randomBytes(9, Math.ceil(rows / 8));
    const resident = kernels.storeBinary(base, dimBits);
    for (const metric of BINARY_METRICS) {
      for (const bitset of [undefined, bitsetBytes]) {
        for (const k of [1, 10, 300]) {
          const result = kernels.binaryTopK({ metric, queries, base, dimBits, k, bitset });
          assert.deepEqual(
            kernels.binaryTopK({ metric, queries, base: resident, dimBits, k, bitset }),
            result,
          );
          for (let j = 0; j < 17; j++) {
            const scores = kernels.binaryDistances(
              metric,
              queries.subarray(j * rowBytes, (j + 1) * rowBytes),
              base,
              dimBits,
            );
            const expected = referenceTopK(metric, scores, k, bitset);
            assert.equal(result.count, expected.ids.length);
            assert.deepEqual(
              [...result.ids.subarray(j * k, j * k + result.count)],
              expected.ids,
              `${metric} ${dimBits} q${j}`,
            );
            assert.deepEqual([...result.scores.subarray(j * k, j * k + result.count)], expected.scores);
          }
        }
      }
    }
    kernels.release(resident);
  }
});

test('binary top-k breaks the many Hamming ties by lower row and pads past the candidates', () => {
  const base = new Uint8Array([0b1000_0000, 0b0100_0000, 0b1100_0000, 0b0000_0000, 0b1000_0000]);
  const query = new Uint8Array([0b1000_0000]);
  const result = kernels.binaryTopK({ metric: 'HAMMING', queries: query, base, dimBits: 2, k: 7 });
  assert.equal(result.count, 5);
  assert.deepEqual([...result.ids], [0, 4, 2, 3, 1, -1, -1]);
  assert.deepEqual([...result.scores.subarray(0, 5)], [0, 0, 1, 1, 2]);
});

test('binary entry points reject float metrics and wrong shapes', () => {
  const resident = kernels.storeFloat32(new Float32Array(8), 8);
  assert.throws(
    () => kernels.binaryDistances('L2' as BinaryMetric, new Uint8Array(1), new Uint8Array(2), 8),
    RangeError,
  );
  assert.throws(
    () => kernels.binaryDistances('HAMMING', new Uint8Array(2), new Uint8Array(2), 8),
    RangeError,
  );
  assert.throws(
    () => kernels.binaryDistances('HAMMING', new Uint8Array(1), new Uint8Array(3), 9),
    RangeError,
  );
  assert.throws(
    () =>
      kernels.binaryTopK({ metric: 'HAMMING', queries: new Uint8Array(1), base: resident, dimBits: 8, k: 1 }),
    TypeError,
  );
  kernels.release(resident);
});
