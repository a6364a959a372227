import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { DistanceKernels } from '../distance/distance-kernels.js';
import type { TopKResult } from '../distance/top-k-result.js';
import { randomBytes, randomVectors } from '../random-vectors.js';
import { IvfIndex } from './ivf-index.js';
import type { IvfWorkerCase } from './ivf-search-worker.js';

interface Answer {
  ids: Int32Array;
  scores: Float32Array;
  count: number;
}

test('workers search IVF indexes in the shared memory and get the owner thread results', async () => {
  const dim = 32;
  const rows = 4000;
  const kernels = DistanceKernels.load();
  const floats = kernels.storeFloat32(randomVectors(41, rows * dim), dim);
  const bits = kernels.storeBinary(randomBytes(42, rows * 8), 64);
  const floatQueries = randomVectors(43, 12 * dim);
  const binaryQueries = randomBytes(44, 12 * 8);
  const indexes = [
    IvfIndex.build(kernels, floats, { indexType: 'IVF_FLAT', metric: 'COSINE', nlist: 32, seed: 1 }),
    IvfIndex.build(kernels, floats, { indexType: 'IVF_SQ8', metric: 'L2', nlist: 32, seed: 1 }),
    IvfIndex.build(kernels, floats, { indexType: 'IVF_PQ', metric: 'IP', nlist: 32, m: 8, seed: 1 }),
    IvfIndex.build(kernels, bits, { indexType: 'BIN_IVF_FLAT', metric: 'JACCARD', nlist: 32, seed: 1 }),
  ];
  const cases: IvfWorkerCase[] = indexes.map((index) => {
    const binary = index.indexType === 'BIN_IVF_FLAT';
    return {
      handle: index.handle,
      vectors: binary ? bits : floats,
      queries: binary ? binaryQueries : floatQueries,
    };
  });
  const search = (index: IvfIndex, queries: Float32Array | Uint8Array): TopKResult =>
    index.search(kernels, { queries, k: 10, nprobe: 4 });

  const workers = [1, 2].map(
    () =>
      new Worker(new URL('./ivf-search-worker.js', import.meta.url), {
        workerData: { memory: kernels.memory.memory, cases, k: 10, nprobe: 4, rounds: 200 },
      }),
  );
  const answers = workers.map(
    (worker) =>
      new Promise<Answer[]>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      }),
  );
  // Search on this thread while the workers do.
  const expected = indexes.map((index, i) => {
    let result = search(index, cases[i]!.queries);
    for (let round = 0; round < 200; round++) result = search(index, cases[i]!.queries);
    return result;
  });
  const results = await Promise.all(answers);
  await Promise.all(workers.map((worker) => worker.terminate()));
  for (const answer of results) {
    answer.forEach((got, i) => {
      assert.equal(got.count, 10);
      assert.deepEqual(got.ids, expected[i]!.ids, indexes[i]!.indexType);
      assert.deepEqual(got.scores, expected[i]!.scores, indexes[i]!.indexType);
    });
  }
  for (const index of indexes) index.release(kernels);
});
