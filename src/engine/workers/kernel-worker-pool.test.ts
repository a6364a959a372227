import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DistanceKernels } from '../../kernels/distance/distance-kernels.js';
import { KernelMemory } from '../../kernels/distance/kernel-memory.js';
import { randomVectors } from '../../kernels/random-vectors.js';
import { KernelWorkerPool } from './kernel-worker-pool.js';

test('worker and inline execution give identical results; many tasks queue across workers', async () => {
  const kernels = DistanceKernels.load(KernelMemory.create());
  const vectors = kernels.storeFloat32(randomVectors(3, 5000 * 16), 16);
  const inline = KernelWorkerPool.start(kernels.memory, 0);
  const workers = KernelWorkerPool.start(kernels.memory, 2);
  try {
    const tasks = Array.from({ length: 12 }, (_, i) => ({
      kind: 'topK' as const,
      metric: (['L2', 'IP', 'COSINE'] as const)[i % 3]!,
      vectors,
      queries: randomVectors(100 + i, 2 * 16),
      k: 7,
      bitset: i % 2 === 0 ? Uint8Array.from({ length: 625 }, (_, b) => (b * 37) & 0xff) : undefined,
    }));
    const viaWorkers = await Promise.all(tasks.map((task) => workers.run(task)));
    const viaInline = await Promise.all(tasks.map((task) => inline.run(task)));
    assert.equal(workers.pendingTasks, 0);
    viaWorkers.forEach((result, i) => {
      assert.equal(result.count, 7);
      assert.deepEqual(result.ids, viaInline[i]!.ids);
      assert.deepEqual(result.scores, viaInline[i]!.scores);
    });
  } finally {
    await workers.close();
    await inline.close();
  }
  await assert.rejects(
    workers.run({ kind: 'topK', metric: 'L2', vectors, queries: new Float32Array(16), k: 1 }),
    /closed/,
  );
});

test('a task that fails in a worker rejects with the error and the pool keeps serving', async () => {
  const kernels = DistanceKernels.load(KernelMemory.create());
  const vectors = kernels.storeFloat32(randomVectors(4, 100 * 8), 8);
  const pool = KernelWorkerPool.start(kernels.memory, 1);
  try {
    // Queries whose length is not a multiple of dim are refused by the kernels.
    await assert.rejects(
      pool.run({ kind: 'topK', metric: 'L2', vectors, queries: new Float32Array(5), k: 3 }),
      /kernel worker/,
    );
    const ok = await pool.run({ kind: 'topK', metric: 'L2', vectors, queries: randomVectors(5, 8), k: 3 });
    assert.equal(ok.count, 3);
  } finally {
    await pool.close();
  }
});

test('a lazy pool starts workers only as tasks need them, up to its thread count', async () => {
  const kernels = DistanceKernels.load(KernelMemory.create());
  const vectors = kernels.storeFloat32(randomVectors(5, 2000 * 16), 16);
  const pool = KernelWorkerPool.start(kernels.memory, 2, { lazy: true });
  try {
    assert.equal(pool.startedWorkers, 0);
    const task = {
      kind: 'topK' as const,
      metric: 'L2' as const,
      vectors,
      queries: randomVectors(6, 16),
      k: 3,
    };
    const expected = kernels.topK({ metric: 'L2', queries: task.queries, base: vectors, dim: 16, k: 3 });
    const one = await pool.run(task);
    assert.deepEqual(Array.from(one.ids), Array.from(expected.ids.subarray(0, 3)));
    assert.equal(pool.startedWorkers, 1, 'one task, one worker');
    await Promise.all(Array.from({ length: 6 }, () => pool.run(task)));
    assert.equal(pool.startedWorkers, 2, 'busy workers make room for a second, never a third');
  } finally {
    await pool.close();
  }
});
