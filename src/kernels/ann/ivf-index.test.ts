import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isCandidate } from '../distance/candidate-bitset.js';
import { DistanceKernels } from '../distance/distance-kernels.js';
import type { BinaryMetric, FloatMetric } from '../distance/metric.js';
import type { TopKResult } from '../distance/top-k-result.js';
import { randomBytes, randomVectors } from '../random-vectors.js';
import { seededRandom } from '../seeded-random.js';
import { IvfIndex } from './ivf-index.js';
import type { IvfIndexType } from './ivf-params.js';

const FLOAT_METRICS: readonly FloatMetric[] = ['L2', 'IP', 'COSINE'];
const BINARY_METRICS: readonly BinaryMetric[] = ['HAMMING', 'JACCARD'];
const dim = 24;
const rows = 2000;
const nq = 20;

const kernels = DistanceKernels.load();
// Small integers make many exact score ties, so the tie order (lower row first) is exercised too.
const tiedData = randomVectors(1, rows * dim, { integers: true });
const tied = kernels.storeFloat32(tiedData, dim);
const tiedQueries = randomVectors(2, nq * dim, { integers: true });
const smooth = kernels.storeFloat32(randomVectors(3, rows * dim), dim);
const smoothQueries = randomVectors(4, nq * dim);
const dimBits = 100;
const binaryRowBytes = Math.ceil(dimBits / 8);
const binary = kernels.storeBinary(randomBytes(5, rows * binaryRowBytes), dimBits);
const binaryQueries = randomBytes(6, nq * binaryRowBytes);

function recallOf(exact: TopKResult, got: TopKResult): number {
  let hits = 0;
  for (let q = 0; q < exact.nq; q++) {
    const truth = new Set(exact.ids.subarray(q * exact.k, (q + 1) * exact.k));
    for (let j = 0; j < got.k; j++) if (truth.has(got.ids[q * got.k + j]!)) hits++;
  }
  return hits / (exact.nq * exact.k);
}

function randomBitset(seed: number, fraction: number): Uint8Array {
  const random = seededRandom(seed);
  const bitset = new Uint8Array(Math.ceil(rows / 8));
  for (let row = 0; row < rows; row++) if (random() < fraction) bitset[row >> 3]! |= 1 << (row & 7);
  return bitset;
}

test('IVF_FLAT with nprobe = nlist equals kernels.topK (ids and bit-identical scores) for every metric', () => {
  for (const metric of FLOAT_METRICS) {
    for (const [vectors, queries] of [
      [tied, tiedQueries],
      [smooth, smoothQueries],
    ] as const) {
      const index = IvfIndex.build(kernels, vectors, { indexType: 'IVF_FLAT', metric, nlist: 16, seed: 9 });
      const exact = kernels.topK({ metric, queries, base: vectors, dim, k: 10 });
      const got = index.search(kernels, { queries, k: 10, nprobe: 16 });
      assert.deepEqual(got.ids, exact.ids, metric);
      assert.deepEqual(got.scores, exact.scores, metric);
      assert.equal(got.count, 10);
      index.release(kernels);
    }
  }
});

test('IVF_FLAT with nprobe = nlist and a bitset equals kernels.topK with that bitset', () => {
  const bitset = randomBitset(21, 0.3);
  for (const metric of FLOAT_METRICS) {
    const index = IvfIndex.build(kernels, tied, { indexType: 'IVF_FLAT', metric, nlist: 32, seed: 1 });
    const exact = kernels.topK({ metric, queries: tiedQueries, base: tied, dim, k: 15, bitset });
    const got = index.search(kernels, { queries: tiedQueries, k: 15, nprobe: 32, bitset });
    assert.deepEqual(got.ids, exact.ids, metric);
    assert.deepEqual(got.scores, exact.scores, metric);
    index.release(kernels);
  }
});

test('BIN_IVF_FLAT with nprobe = nlist equals kernels.binaryTopK for HAMMING and JACCARD', () => {
  const bitset = randomBitset(22, 0.5);
  for (const metric of BINARY_METRICS) {
    const index = IvfIndex.build(kernels, binary, { indexType: 'BIN_IVF_FLAT', metric, nlist: 20, seed: 3 });
    for (const filter of [undefined, bitset]) {
      const exact = kernels.binaryTopK({
        metric,
        queries: binaryQueries,
        base: binary,
        dimBits,
        k: 10,
        bitset: filter,
      });
      const got = index.search(kernels, { queries: binaryQueries, k: 10, nprobe: 20, bitset: filter });
      assert.deepEqual(got.ids, exact.ids, metric);
      assert.deepEqual(got.scores, exact.scores, metric);
    }
    index.release(kernels);
  }
});

test('IVF_SQ8 scores approximate the exact ones and find the true neighbours when exhaustive', () => {
  for (const metric of FLOAT_METRICS) {
    const index = IvfIndex.build(kernels, smooth, { indexType: 'IVF_SQ8', metric, nlist: 16, seed: 2 });
    const exact = kernels.topK({ metric, queries: smoothQueries, base: smooth, dim, k: 10 });
    const got = index.search(kernels, { queries: smoothQueries, k: 10, nprobe: 16 });
    assert.ok(recallOf(exact, got) >= 0.9, `${metric} recall ${recallOf(exact, got)}`);
    // Each reported score is close to the exact score of the same pair.
    for (let q = 0; q < nq; q++) {
      const query = smoothQueries.subarray(q * dim, (q + 1) * dim);
      const all = kernels.distances(metric, query, smooth);
      for (let j = 0; j < 10; j++) {
        const row = got.ids[q * 10 + j]!;
        const tolerance = metric === 'L2' ? 0.05 * all[row]! + 0.05 : 0.05;
        assert.ok(Math.abs(got.scores[q * 10 + j]! - all[row]!) <= tolerance, `${metric} row ${row}`);
      }
    }
    index.release(kernels);
  }
});

test('IVF_PQ ranks by approximate scores: exhaustive recall well above chance, finer codes do better', () => {
  for (const metric of FLOAT_METRICS) {
    const exact = kernels.topK({ metric, queries: smoothQueries, base: smooth, dim, k: 10 });
    const recalls = [4, 12].map((m) => {
      const index = IvfIndex.build(kernels, smooth, {
        indexType: 'IVF_PQ',
        metric,
        nlist: 8,
        m,
        nbits: 8,
        seed: 4,
      });
      const got = index.search(kernels, { queries: smoothQueries, k: 10, nprobe: 8 });
      assert.equal(got.count, 10);
      index.release(kernels);
      return recallOf(exact, got);
    });
    assert.ok(recalls[0]! >= 0.3, `${metric} m=4 recall ${recalls[0]}`);
    assert.ok(recalls[1]! > recalls[0]!, `${metric} m=12 (${recalls[1]}) beats m=4 (${recalls[0]})`);
    assert.ok(recalls[1]! >= 0.7, `${metric} m=12 recall ${recalls[1]}`);
  }
});

test('IVF_SQ8 / IVF_PQ rerank: exact scores; with every row a candidate it equals kernels.topK', () => {
  const bitset = randomBitset(24, 0.5);
  for (const indexType of ['IVF_SQ8', 'IVF_PQ'] as const) {
    for (const metric of FLOAT_METRICS) {
      const index = IvfIndex.build(kernels, tied, { indexType, metric, nlist: 8, m: 6, nbits: 5, seed: 3 });
      for (const filter of [undefined, bitset]) {
        const exact = kernels.topK({ metric, queries: tiedQueries, base: tied, dim, k: 10, bitset: filter });
        // k x rerank >= rows and nprobe = nlist: every candidate row is re-scored exactly.
        const got = index.search(kernels, {
          queries: tiedQueries,
          k: 10,
          nprobe: 8,
          rerank: 200,
          bitset: filter,
        });
        assert.deepEqual(got.ids, exact.ids, `${indexType} ${metric}`);
        assert.deepEqual(got.scores, exact.scores, `${indexType} ${metric}`);
      }
      // A partial rerank still reports exact scores for the rows it returns.
      const partial = index.search(kernels, { queries: tiedQueries, k: 10, nprobe: 2, rerank: 3 });
      for (let q = 0; q < nq; q++) {
        const all = kernels.distances(metric, tiedQueries.subarray(q * dim, (q + 1) * dim), tied);
        for (let j = 0; j < 10; j++) assert.equal(partial.scores[q * 10 + j], all[partial.ids[q * 10 + j]!]);
      }
      index.release(kernels);
    }
  }
});

test('every type never returns a row outside the bitset and fills k when the probed lists allow', () => {
  const bitset = randomBitset(23, 0.2);
  const cases: [IvfIndexType, FloatMetric | BinaryMetric][] = [
    ['IVF_FLAT', 'L2'],
    ['IVF_SQ8', 'IP'],
    ['IVF_PQ', 'COSINE'],
    ['BIN_IVF_FLAT', 'HAMMING'],
  ];
  for (const [indexType, metric] of cases) {
    const vectors = indexType === 'BIN_IVF_FLAT' ? binary : smooth;
    const queries = indexType === 'BIN_IVF_FLAT' ? binaryQueries : smoothQueries;
    const index = IvfIndex.build(kernels, vectors, { indexType, metric, nlist: 16, m: 6, seed: 5 });
    for (const nprobe of [1, 4, 16]) {
      const got = index.search(kernels, { queries, k: 10, nprobe, bitset });
      for (let i = 0; i < got.ids.length; i++) {
        const row = got.ids[i]!;
        if (row >= 0) assert.ok(isCandidate(bitset, row), `${indexType} returned row ${row}`);
      }
      // 2000 rows in 16 lists at 20 % candidates: even one list holds more than 10 candidates.
      assert.equal(got.count, 10, `${indexType} nprobe ${nprobe}`);
      assert.ok(got.ids.every((row) => row >= 0));
    }
    index.release(kernels);
  }
});

test('a query whose probed lists hold fewer than k candidates is padded with -1 / NaN', () => {
  const bitset = new Uint8Array(Math.ceil(rows / 8));
  for (const row of [5, 77, 1999]) bitset[row >> 3]! |= 1 << (row & 7);
  const index = IvfIndex.build(kernels, smooth, { indexType: 'IVF_FLAT', metric: 'L2', nlist: 16, seed: 5 });
  const got = index.search(kernels, { queries: smoothQueries.subarray(0, dim), k: 5, nprobe: 16, bitset });
  assert.equal(got.count, 3);
  assert.deepEqual([...got.ids.subarray(3)], [-1, -1]);
  assert.ok(Number.isNaN(got.scores[3]!) && Number.isNaN(got.scores[4]!));
  assert.deepEqual(
    [...got.ids.subarray(0, 3)].sort((a, b) => a - b),
    [5, 77, 1999],
  );
  index.release(kernels);
});

test('more probes never lower IVF_FLAT recall, and the default nprobe is 8', () => {
  const index = IvfIndex.build(kernels, smooth, { indexType: 'IVF_FLAT', metric: 'L2', nlist: 32, seed: 6 });
  const exact = kernels.topK({ metric: 'L2', queries: smoothQueries, base: smooth, dim, k: 10 });
  let previous = 0;
  for (const nprobe of [1, 2, 4, 8, 16, 32]) {
    const recall = recallOf(exact, index.search(kernels, { queries: smoothQueries, k: 10, nprobe }));
    assert.ok(recall >= previous, `nprobe ${nprobe}: ${recall} < ${previous}`);
    previous = recall;
  }
  assert.equal(previous, 1);
  const byDefault = index.search(kernels, { queries: smoothQueries, k: 10 });
  assert.deepEqual(byDefault.ids, index.search(kernels, { queries: smoothQueries, k: 10, nprobe: 8 }).ids);
  index.release(kernels);
});

test('the same seed builds byte-identical indexes; another seed builds a different one', () => {
  const cases: [IvfIndexType, FloatMetric | BinaryMetric][] = [
    ['IVF_FLAT', 'COSINE'],
    ['IVF_SQ8', 'L2'],
    ['IVF_PQ', 'L2'],
    ['BIN_IVF_FLAT', 'JACCARD'],
  ];
  for (const [indexType, metric] of cases) {
    const vectors = indexType === 'BIN_IVF_FLAT' ? binary : smooth;
    const build = (seed: number) => {
      const index = IvfIndex.build(kernels, vectors, { indexType, metric, nlist: 16, m: 8, nbits: 6, seed });
      const bytes = index.toBytes(kernels);
      index.release(kernels);
      return bytes;
    };
    const first = build(11);
    assert.deepEqual(build(11), first, indexType);
    assert.notDeepEqual(build(12), first, indexType);
  }
});

test('toBytes / fromBytes round trip gives identical results; corrupt headers are refused', () => {
  const cases: [IvfIndexType, FloatMetric | BinaryMetric][] = [
    ['IVF_FLAT', 'IP'],
    ['IVF_SQ8', 'COSINE'],
    ['IVF_PQ', 'IP'],
    ['BIN_IVF_FLAT', 'HAMMING'],
  ];
  for (const [indexType, metric] of cases) {
    const vectors = indexType === 'BIN_IVF_FLAT' ? binary : smooth;
    const queries = indexType === 'BIN_IVF_FLAT' ? binaryQueries : smoothQueries;
    const index = IvfIndex.build(kernels, vectors, { indexType, metric, nlist: 12, m: 4, seed: 8 });
    const bytes = index.toBytes(kernels);
    const loaded = IvfIndex.fromBytes(kernels, bytes, vectors);
    assert.notEqual(loaded.handle.ptr, index.handle.ptr);
    assert.equal(loaded.memoryBytes, index.memoryBytes);
    const expected = index.search(kernels, { queries, k: 7, nprobe: 3 });
    index.release(kernels);
    assert.deepEqual(loaded.search(kernels, { queries, k: 7, nprobe: 3 }), expected);
    assert.deepEqual(loaded.toBytes(kernels), bytes);
    loaded.release(kernels);

    const badMagic = bytes.slice();
    badMagic[0] ^= 1;
    assert.throws(() => IvfIndex.fromBytes(kernels, badMagic, vectors), RangeError);
    assert.throws(
      () => IvfIndex.fromBytes(kernels, bytes.subarray(0, bytes.length - 1), vectors),
      RangeError,
    );
    const wrongVectors = indexType === 'BIN_IVF_FLAT' ? smooth : binary;
    assert.throws(() => IvfIndex.fromBytes(kernels, bytes, wrongVectors), RangeError);
  }
});

test('nlist larger than the row count and an empty base still search correctly', () => {
  const few = kernels.storeFloat32(randomVectors(30, 5 * dim), dim);
  const index = IvfIndex.build(kernels, few, { indexType: 'IVF_FLAT', metric: 'L2', nlist: 16, seed: 1 });
  const exact = kernels.topK({ metric: 'L2', queries: smoothQueries, base: few, dim, k: 10 });
  const got = index.search(kernels, { queries: smoothQueries, k: 10, nprobe: 16 });
  assert.deepEqual(got.ids, exact.ids);
  assert.equal(got.count, 5);
  index.release(kernels);
  kernels.release(few);

  const none = kernels.storeFloat32(new Float32Array(0), dim);
  const empty = IvfIndex.build(kernels, none, { indexType: 'IVF_SQ8', metric: 'IP', nlist: 4, seed: 1 });
  const nothing = empty.search(kernels, { queries: smoothQueries, k: 3, nprobe: 4 });
  assert.equal(nothing.count, 0);
  assert.ok(nothing.ids.every((row) => row === -1));
  empty.release(kernels);
  kernels.release(none);
});

test('build reports progress up to its total', () => {
  const calls: [number, number][] = [];
  const index = IvfIndex.build(kernels, smooth, {
    indexType: 'IVF_PQ',
    metric: 'L2',
    nlist: 8,
    m: 4,
    nbits: 4,
    seed: 1,
    iterations: 5,
    onProgress: (done, total) => calls.push([done, total]),
  });
  index.release(kernels);
  const total = calls[0]![1];
  assert.ok(calls.every(([, t]) => t === total));
  assert.deepEqual(calls.at(-1), [total, total]);
  for (let i = 1; i < calls.length; i++) assert.ok(calls[i]![0] >= calls[i - 1]![0]);
});

test('bad parameters throw RangeError / TypeError', () => {
  const build = (options: Partial<Parameters<typeof IvfIndex.build>[2]>, vectors = smooth) =>
    IvfIndex.build(kernels, vectors, { indexType: 'IVF_FLAT', metric: 'L2', seed: 1, ...options });
  assert.throws(() => build({ nlist: 0 }), RangeError);
  assert.throws(() => build({ nlist: 65537 }), RangeError);
  assert.throws(() => build({ nlist: 1.5 }), RangeError);
  assert.throws(() => build({ metric: 'HAMMING' }), RangeError);
  assert.throws(() => build({ indexType: 'BIN_IVF_FLAT', metric: 'L2' }, binary), RangeError);
  assert.throws(() => build({ indexType: 'BIN_IVF_FLAT', metric: 'HAMMING' }, smooth), TypeError);
  assert.throws(() => build({ indexType: 'IVF_PQ' }), RangeError); // m missing
  assert.throws(() => build({ indexType: 'IVF_PQ', m: 5 }), RangeError); // 5 does not divide 24
  assert.throws(() => build({ indexType: 'IVF_PQ', m: 4, nbits: 0 }), RangeError);
  assert.throws(() => build({ indexType: 'IVF_PQ', m: 4, nbits: 9 }), RangeError);
  assert.throws(() => build({ indexType: 'IVF_HNSW' as IvfIndexType }), RangeError);
  assert.throws(() => build({ iterations: 0 }), RangeError);

  const index = build({ nlist: 8 });
  const search = (request: Partial<Parameters<IvfIndex['search']>[1]>) =>
    index.search(kernels, { queries: smoothQueries, k: 10, ...request });
  assert.throws(() => search({ nprobe: 0 }), RangeError);
  assert.throws(() => search({ nprobe: 9 }), RangeError);
  assert.throws(() => search({ k: 0 }), RangeError);
  assert.throws(() => search({ queries: smoothQueries.subarray(0, dim - 1) }), RangeError);
  assert.throws(() => search({ queries: binaryQueries }), TypeError);
  assert.throws(() => search({ bitset: new Uint8Array(10) }), RangeError);
  assert.throws(() => search({ rerank: 0 }), RangeError);
  assert.throws(() => search({ rerank: 2.5 }), RangeError);
  assert.equal(search({ nprobe: 8 }).count, 10);
  index.release(kernels);
});
