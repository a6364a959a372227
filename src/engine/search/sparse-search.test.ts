import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dropSmallest, sparseInnerProduct } from './sparse-search.js';

const sparse = (entries: Array<[number, number]>) => ({
  indices: Uint32Array.from(entries.map(([i]) => i)),
  values: Float32Array.from(entries.map(([, v]) => v)),
});

test('sparse inner product sums the products of shared dimensions only', () => {
  const a = sparse([
    [1, 0.5],
    [4, 2],
    [9, 1],
  ]);
  const b = sparse([
    [0, 3],
    [4, 0.25],
    [9, 4],
    [12, 1],
  ]);
  assert.equal(sparseInnerProduct(a, b), 0.5 + 4);
  assert.equal(sparseInnerProduct(a, sparse([[2, 1]])), 0);
  assert.equal(sparseInnerProduct(sparse([]), b), 0);
});

test('drop_ratio_search drops the smallest fraction of the query values, keeping index order', () => {
  const query = sparse([
    [1, 0.1],
    [3, 0.9],
    [5, 0.2],
    [7, 0.5],
  ]);
  assert.deepEqual(Array.from(dropSmallest(query, 0.5).indices), [3, 7]);
  assert.deepEqual(Array.from(dropSmallest(query, 0.25).indices), [3, 5, 7]);
  assert.equal(dropSmallest(query, 0), query);
});
