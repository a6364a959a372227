import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DistanceKernels } from '../../src/kernels/distance/distance-kernels.js';
import { loadFashionMnist } from '../helpers/fashion-mnist.js';

// The recall tests and benchmarks trust this loader and the shipped ground truth: check both against
// an exact scan by the kernels for a few queries.
test('fashion-mnist loader reads 60k x 784 and its ground truth matches an exact scan', () => {
  const data = loadFashionMnist({ queryLimit: 3 });
  assert.equal(data.baseCount, 60_000);
  assert.equal(data.base.length, 60_000 * 784);
  assert.equal(data.queryCount, 3);
  assert.equal(data.groundTruthK, 100);
  const kernels = DistanceKernels.load();
  const result = kernels.topK({ metric: 'L2', queries: data.queries, base: data.base, dim: 784, k: 10 });
  for (let q = 0; q < 3; q++) {
    const exact = Array.from(result.ids.subarray(q * 10, q * 10 + 10));
    const truth = Array.from(data.groundTruth.subarray(q * 100, q * 100 + 10));
    assert.deepEqual(exact, truth);
  }
});
