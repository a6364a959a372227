import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { randomVectors } from '../random-vectors.js';
import { allocatorStress } from './allocator-stress.js';
import { DistanceKernels } from './distance-kernels.js';

interface WorkerAnswer {
  ids: Int32Array;
  scores: Float32Array;
  count: number;
  overlaps: number;
}

test('workers scan resident vectors in place and share the allocator safely', async () => {
  const dim = 24;
  const rows = 3000;
  const kernels = DistanceKernels.load();
  const vectors = kernels.storeFloat32(randomVectors(11, rows * dim), dim);
  const queries = randomVectors(12, 3 * dim);
  const expected = kernels.topK({ metric: 'L2', queries, base: vectors, dim, k: 10 });
  const allocatedBefore = kernels.memory.allocatedBytes;

  const workers = [1, 2].map(
    (marker) =>
      new Worker(new URL('./shared-memory-worker.js', import.meta.url), {
        workerData: { memory: kernels.memory.memory, vectors, queries, k: 10, rounds: 3000, marker },
      }),
  );
  const answers = workers.map(
    (worker) =>
      new Promise<WorkerAnswer>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      }),
  );
  // Allocate on this thread while the workers do the same on the shared memory.
  const ownerOverlaps = allocatorStress(kernels.memory, 3000, 3);
  const results = await Promise.all(answers);
  await Promise.all(workers.map((worker) => worker.terminate()));

  assert.equal(ownerOverlaps, 0);
  for (const answer of results) {
    assert.equal(answer.overlaps, 0, 'no region was handed to two threads at once');
    assert.equal(answer.count, 10);
    assert.deepEqual(answer.ids, expected.ids);
    assert.deepEqual(answer.scores, expected.scores);
  }
  assert.equal(kernels.memory.allocatedBytes, allocatedBefore, 'every stress allocation was released');
  kernels.release(vectors);
});
