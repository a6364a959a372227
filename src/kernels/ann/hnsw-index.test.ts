import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { isCandidate, setCandidate } from '../distance/candidate-bitset.js';
import { DistanceKernels } from '../distance/distance-kernels.js';
import type { FloatMetric } from '../distance/metric.js';
import { randomVectors } from '../random-vectors.js';
import { HnswIndex } from './hnsw-index.js';
import { releaseHnswScratch } from './hnsw-scratch.js';

const METRICS: readonly FloatMetric[] = ['L2', 'IP', 'COSINE'];
const dim = 24;
const rows = 1500;
const nq = 12;

function fixture() {
  const kernels = DistanceKernels.load();
  const vectors = kernels.storeFloat32(randomVectors(31, rows * dim), dim);
  const queries = randomVectors(32, nq * dim);
  return { kernels, vectors, queries };
}

function recall(found: Int32Array, truth: Int32Array, k: number): number {
  let hits = 0;
  for (let q = 0; q < found.length / k; q++) {
    const expected = new Set(truth.subarray(q * k, (q + 1) * k));
    for (let i = 0; i < k; i++) if (expected.has(found[q * k + i]!)) hits++;
  }
  return hits / found.length;
}

test('an exhaustive search (ef >= rows) returns exactly what kernels.topK returns, for every metric', () => {
  const { kernels, vectors, queries } = fixture();
  for (const metric of METRICS) {
    const index = HnswIndex.build(kernels, vectors, { metric, M: 8, efConstruction: 64, seed: 5 });
    const exact = kernels.topK({ metric, queries, base: vectors, dim, k: 10 });
    const found = index.search(kernels, { queries, k: 10, ef: rows });
    assert.deepEqual(found.ids, exact.ids, metric);
    assert.deepEqual(found.scores, exact.scores, `${metric}: scores are bit-identical to the exact scan`);
    assert.equal(found.count, 10);
    // A moderate beam already finds nearly all of them.
    const approximate = index.search(kernels, { queries, k: 10, ef: 64 });
    assert.ok(recall(approximate.ids, exact.ids, 10) >= 0.9, `${metric} recall at ef 64`);
    index.release(kernels);
  }
});

test('a bitset is respected: unset rows never come back, k hits when enough candidates are reachable', () => {
  const { kernels, vectors, queries } = fixture();
  const index = HnswIndex.build(kernels, vectors, { metric: 'L2', M: 8, efConstruction: 64, seed: 5 });
  // Every 7th row: the nearest neighbours of most queries are filtered out.
  const bitset = new Uint8Array(Math.ceil(rows / 8));
  for (let row = 0; row < rows; row += 7) setCandidate(bitset, row);
  const found = index.search(kernels, { queries, k: 10, ef: 16, bitset });
  assert.equal(found.count, 10);
  for (const id of found.ids) assert.ok(isCandidate(bitset, id), `row ${id} is not a candidate`);
  const exact = kernels.topK({ metric: 'L2', queries, base: vectors, dim, k: 10, bitset });
  assert.ok(recall(found.ids, exact.ids, 10) >= 0.8);
  const exhaustive = index.search(kernels, { queries, k: 10, ef: rows, bitset });
  assert.deepEqual(exhaustive.ids, exact.ids);
  assert.deepEqual(exhaustive.scores, exact.scores);

  // Three candidates only (one in the last, partial bitset word): all three, then padding.
  const few = new Uint32Array(Math.ceil(rows / 32));
  for (const row of [3, 777, rows - 1]) setCandidate(few, row);
  const sparse = index.search(kernels, { queries: queries.subarray(0, dim), k: 5, ef: 5, bitset: few });
  assert.equal(sparse.count, 3);
  assert.deepEqual(
    [...sparse.ids.subarray(0, 3)].sort((a, b) => a - b),
    [3, 777, rows - 1],
  );
  assert.deepEqual([...sparse.ids.subarray(3)], [-1, -1]);
  assert.ok(Number.isNaN(sparse.scores[3]!) && Number.isNaN(sparse.scores[4]!));
  // No candidate at all.
  const none = index.search(kernels, { queries, k: 3, ef: 8, bitset: new Uint8Array(Math.ceil(rows / 8)) });
  assert.equal(none.count, 0);
  assert.ok(none.ids.every((id) => id === -1));
  index.release(kernels);
});

test('the same seed builds the same graph (identical bytes); another seed builds another', () => {
  const { kernels, vectors } = fixture();
  const options = { metric: 'COSINE' as const, M: 6, efConstruction: 40, seed: 99 };
  const first = HnswIndex.build(kernels, vectors, options);
  const second = HnswIndex.build(kernels, vectors, options);
  const other = HnswIndex.build(kernels, vectors, { ...options, seed: 100 });
  assert.deepEqual(first.toBytes(kernels), second.toBytes(kernels));
  assert.notDeepEqual(first.toBytes(kernels), other.toBytes(kernels));
  for (const index of [first, second, other]) index.release(kernels);
});

test('toBytes / fromBytes round-trips to identical results; damaged bytes are refused', () => {
  const { kernels, vectors, queries } = fixture();
  const progress: number[] = [];
  const index = HnswIndex.build(kernels, vectors, {
    metric: 'IP',
    M: 12,
    efConstruction: 50,
    seed: 3,
    onProgress: (done, total) => {
      assert.equal(total, rows);
      progress.push(done);
    },
  });
  assert.equal(progress.at(-1), rows);
  const bytes = index.toBytes(kernels);
  const copy = HnswIndex.fromBytes(kernels, bytes, vectors);
  assert.deepEqual(copy.toBytes(kernels), bytes);
  assert.equal(copy.handle.M, 12);
  assert.equal(copy.handle.metric, 'IP');
  const before = index.search(kernels, { queries, k: 7, ef: 20 });
  const after = copy.search(kernels, { queries, k: 7, ef: 20 });
  assert.deepEqual(after.ids, before.ids);
  assert.deepEqual(after.scores, before.scores);

  const badMagic = bytes.slice();
  badMagic[0]! ^= 1;
  assert.throws(() => HnswIndex.fromBytes(kernels, badMagic, vectors), RangeError);
  const badId = bytes.slice();
  const words = new Int32Array(badId.buffer);
  words[12 + rows + 1] = rows; // the first level-0 neighbour of row 0
  assert.throws(() => HnswIndex.fromBytes(kernels, badId, vectors), /neighbour id/);
  assert.throws(() => HnswIndex.fromBytes(kernels, bytes.subarray(0, bytes.length - 4), vectors), RangeError);
  const otherVectors = kernels.storeFloat32(randomVectors(1, 10 * dim), dim);
  assert.throws(() => HnswIndex.fromBytes(kernels, bytes, otherVectors), /vectors are 10 x 24/);
  for (const each of [index, copy]) each.release(kernels);
});

test('worker threads search the shared graph in place and get identical results', async () => {
  const { kernels, vectors, queries } = fixture();
  const index = HnswIndex.build(kernels, vectors, { metric: 'L2', M: 8, efConstruction: 64, seed: 11 });
  const expected = index.search(kernels, { queries, k: 10, ef: 32 });
  const workers = [1, 2].map(
    () =>
      new Worker(new URL('./hnsw-search-worker.js', import.meta.url), {
        workerData: {
          memory: kernels.memory.memory,
          handle: index.handle,
          vectors,
          queries,
          k: 10,
          ef: 32,
          rounds: 200,
        },
      }),
  );
  const answers = await Promise.all(
    workers.map(
      (worker) =>
        new Promise<{ ids: Int32Array; scores: Float32Array; count: number }>((resolve, reject) => {
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
    ),
  );
  // Meanwhile this thread keeps searching with its own scratch.
  const again = index.search(kernels, { queries, k: 10, ef: 32 });
  await Promise.all(workers.map((worker) => worker.terminate()));
  assert.deepEqual(again.ids, expected.ids);
  for (const answer of answers) {
    assert.equal(answer.count, 10);
    assert.deepEqual(answer.ids, expected.ids);
    assert.deepEqual(answer.scores, expected.scores);
  }
  index.release(kernels);
  releaseHnswScratch(kernels);
});

test('tiny and empty inputs: 0 rows pads everything, 1 row returns it', () => {
  const kernels = DistanceKernels.load();
  const empty = kernels.storeFloat32(new Float32Array(0), 4);
  const emptyIndex = HnswIndex.build(kernels, empty, { metric: 'L2', M: 4, efConstruction: 8, seed: 1 });
  const nothing = emptyIndex.search(kernels, { queries: new Float32Array(4), k: 2, ef: 2 });
  assert.equal(nothing.count, 0);
  assert.deepEqual([...nothing.ids], [-1, -1]);
  assert.deepEqual(
    HnswIndex.fromBytes(kernels, emptyIndex.toBytes(kernels), empty).toBytes(kernels),
    emptyIndex.toBytes(kernels),
  );
  const one = kernels.storeFloat32(new Float32Array([1, 2, 3, 4]), 4);
  const oneIndex = HnswIndex.build(kernels, one, { metric: 'COSINE', M: 4, efConstruction: 8, seed: 1 });
  const found = oneIndex.search(kernels, {
    queries: new Float32Array([1, 2, 3, 4, 0, 0, 0, 1]),
    k: 2,
    ef: 2,
  });
  assert.equal(found.count, 1);
  assert.deepEqual([...found.ids], [0, -1, 0, -1]);
  const exact = kernels.topK({
    metric: 'COSINE',
    queries: new Float32Array([1, 2, 3, 4, 0, 0, 0, 1]),
    base: one,
    dim: 4,
    k: 1,
  });
  assert.equal(found.scores[0], exact.scores[0]);
  assert.equal(found.scores[2], exact.scores[1]);
});

test('bad parameters throw RangeError or TypeError', () => {
  const { kernels, vectors, queries } = fixture();
  const build = (overrides: object) =>
    HnswIndex.build(kernels, vectors, { metric: 'L2', M: 8, efConstruction: 16, seed: 1, ...overrides });
  assert.throws(() => build({ M: 1 }), RangeError);
  assert.throws(() => build({ M: 2049 }), RangeError);
  assert.throws(() => build({ M: 4.5 }), RangeError);
  assert.throws(() => build({ efConstruction: 0 }), RangeError);
  assert.throws(() => build({ efConstruction: 2 ** 31 }), RangeError);
  assert.throws(() => build({ metric: 'HAMMING' }), RangeError);
  assert.throws(() => build({ seed: Number.NaN }), RangeError);
  const binary = kernels.storeBinary(new Uint8Array(16), 32);
  assert.throws(
    () => HnswIndex.build(kernels, binary, { metric: 'L2', M: 8, efConstruction: 16, seed: 1 }),
    TypeError,
  );
  const index = build({});
  assert.throws(() => index.search(kernels, { queries, k: 10, ef: 9 }), /ef \(9\) must be at least k \(10\)/);
  assert.throws(() => index.search(kernels, { queries, k: 0, ef: 9 }), RangeError);
  assert.throws(() => index.search(kernels, { queries: queries.subarray(1), k: 1, ef: 9 }), RangeError);
  assert.throws(() => index.search(kernels, { queries, k: 1, ef: 9, bitset: new Uint8Array(3) }), RangeError);
  assert.throws(
    () =>
      index.search(
        kernels,
        { queries, k: 2, ef: 9 },
        { nq: 1, k: 2, count: 0, ids: new Int32Array(2), scores: new Float32Array(2) },
      ),
    RangeError,
  );
  index.release(kernels);
});
