import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { randomBytes, randomVectors } from '../random-vectors.js';
import type { CandidateBitset } from './candidate-bitset.js';
import { DistanceKernels } from './distance-kernels.js';
import type { FloatMetric } from './metric.js';
import { referenceScores } from './reference/reference-scores.js';
import { referenceTopK } from './reference/reference-top-k.js';
import type { TopKResult } from './top-k-result.js';

const kernels = DistanceKernels.load();
const FLOAT_METRICS: readonly FloatMetric[] = ['L2', 'IP', 'COSINE'];
/** Covers the scalar tail, the 4-float loop and the 32-float unrolled loop, alone and combined. */
const DIMS = [1, 3, 4, 7, 16, 17, 31, 32, 33, 36, 128, 784, 1536];

/**
 * Tolerance of a float32 kernel score against the float64 reference: 1e-5 of the sum of the absolute
 * terms, (q_i - b_i)^2 for L2, |q_i b_i| for IP, |q_i b_i| / (|q| |b|) for COSINE, plus 1e-6 for COSINE's
 * rounded norms. Float32 sums of <= 1536 terms split over 32 partial sums stay below ~4e-6 of that sum.
 */
function tolerance(
  metric: FloatMetric,
  query: Float32Array,
  base: Float32Array,
  row: number,
  dim: number,
): number {
  let terms = 0;
  let querySquares = 0;
  let rowSquares = 0;
  for (let i = 0; i < dim; i++) {
    const q = query[i]!;
    const b = base[row * dim + i]!;
    terms += metric === 'L2' ? (q - b) ** 2 : Math.abs(q * b);
    querySquares += q * q;
    rowSquares += b * b;
  }
  if (metric !== 'COSINE') return 1e-5 * terms;
  return rowSquares === 0 ? 0 : 1e-5 * (terms / Math.sqrt(querySquares * rowSquares)) + 1e-6;
}

/** The kernel's own per-query scores, which top-k results must reproduce bit for bit. */
function kernelScores(
  metric: FloatMetric,
  queries: Float32Array,
  base: Float32Array,
  dim: number,
): Float32Array[] {
  const scores: Float32Array[] = [];
  for (let j = 0; j < queries.length / dim; j++) {
    scores.push(kernels.distances(metric, queries.subarray(j * dim, (j + 1) * dim), base));
  }
  return scores;
}

function assertTopK(
  result: TopKResult,
  metric: FloatMetric,
  scores: readonly ArrayLike<number>[],
  k: number,
  bitset?: CandidateBitset,
): void {
  assert.equal(result.nq, scores.length);
  for (let j = 0; j < scores.length; j++) {
    const expected = referenceTopK(metric, scores[j]!, k, bitset);
    assert.equal(result.count, expected.ids.length, `query ${j}: count`);
    const ids = [...result.ids.subarray(j * k, j * k + result.count)];
    const got = [...result.scores.subarray(j * k, j * k + result.count)];
    assert.deepEqual(ids, expected.ids, `query ${j}: ids`);
    assert.deepEqual(got, expected.scores.map(Math.fround), `query ${j}: scores`);
    for (let slot = result.count; slot < k; slot++) {
      assert.equal(result.ids[j * k + slot], -1, 'padding id');
      assert.ok(Number.isNaN(result.scores[j * k + slot]!), 'padding score');
    }
  }
}

function bitsetOf(rows: number, seed: number, density: number): Uint8Array {
  const bytes = randomBytes(seed, rows);
  const bitset = new Uint8Array(Math.ceil(rows / 8));
  for (let row = 0; row < rows; row++) {
    if (bytes[row]! < density * 256) bitset[row >> 3]! |= 1 << (row & 7);
  }
  return bitset;
}

describe('float scores', () => {
  test('match the float64 reference within the stated tolerance for every metric and dim', () => {
    for (const dim of DIMS) {
      const rows = 40;
      const query = randomVectors(dim, dim);
      const base = randomVectors(dim + 1, rows * dim);
      base.fill(0, 5 * dim, 6 * dim); // a zero row: cosine 0, not NaN
      for (const metric of FLOAT_METRICS) {
        const got = kernels.distances(metric, query, base);
        const expected = referenceScores(metric, query, base, dim);
        for (let row = 0; row < rows; row++) {
          const error = Math.abs(got[row]! - expected[row]!);
          assert.ok(
            error <= tolerance(metric, query, base, row, dim),
            `${metric} dim ${dim} row ${row}: ${got[row]} vs ${expected[row]}`,
          );
        }
        if (metric === 'COSINE') assert.equal(got[5], 0);
      }
    }
  });

  test('are exact for integer-valued vectors (every float32 sum is exact)', () => {
    for (const dim of DIMS) {
      const query = randomVectors(dim, dim, { integers: true });
      const base = randomVectors(dim + 1, 30 * dim, { integers: true });
      for (const metric of ['L2', 'IP'] as const) {
        assert.deepEqual(
          [...kernels.distances(metric, query, base)],
          [...referenceScores(metric, query, base, dim)],
          `${metric} dim ${dim}`,
        );
      }
    }
  });

  test('distance() scores one pair like distances()', () => {
    const a = randomVectors(1, 100);
    const b = randomVectors(2, 100);
    for (const metric of FLOAT_METRICS) {
      assert.equal(kernels.distance(metric, a, b), kernels.distances(metric, a, b)[0]);
    }
    assert.throws(() => kernels.distance('L2', a, b.subarray(1)), RangeError);
  });

  test('resident vectors score like copied ones, with and without precomputed COSINE norms', () => {
    const dim = 33;
    const base = randomVectors(5, 200 * dim);
    const query = randomVectors(6, dim);
    const resident = kernels.storeFloat32(base, dim);
    for (const metric of FLOAT_METRICS) {
      assert.deepEqual(kernels.distances(metric, query, resident), kernels.distances(metric, query, base));
    }
    const out = new Float32Array(200);
    assert.equal(kernels.distances('L2', query, resident, out), out);
    kernels.release(resident);
  });
});

describe('top-k', () => {
  test('returns exactly the best k of the kernel scores, for every metric, dim, nq and k', () => {
    const rows = 700;
    for (const dim of [3, 17, 128]) {
      const base = randomVectors(dim * 7, rows * dim);
      for (const nq of [1, 5, 16, 21]) {
        const queries = randomVectors(dim * 11 + nq, nq * dim);
        for (const metric of FLOAT_METRICS) {
          const scores = kernelScores(metric, queries, base, dim);
          for (const k of [1, 10, 100]) {
            assertTopK(kernels.topK({ metric, queries, base, dim, k }), metric, scores, k);
          }
        }
      }
    }
  });

  test('agrees with the reference scores on integer data full of ties (lower row wins)', () => {
    const dim = 8;
    const distinct = randomVectors(21, 6 * dim, { integers: true });
    const base = new Float32Array(300 * dim);
    for (let row = 0; row < 300; row++) {
      const source = (row * 7) % 6;
      base.set(distinct.subarray(source * dim, (source + 1) * dim), row * dim);
    }
    const queries = randomVectors(22, 4 * dim, { integers: true });
    for (const metric of ['L2', 'IP'] as const) {
      const scores = [0, 1, 2, 3].map((j) =>
        referenceScores(metric, queries.subarray(j * dim, (j + 1) * dim), base, dim),
      );
      for (const k of [1, 37, 120])
        assertTopK(kernels.topK({ metric, queries, base, dim, k }), metric, scores, k);
    }
  });

  test('a block of queries returns what one query at a time returns, resident or copied', () => {
    const dim = 50;
    const rows = 1000;
    const base = randomVectors(31, rows * dim);
    const resident = kernels.storeFloat32(base, dim);
    const queries = randomVectors(32, 16 * dim);
    for (const metric of FLOAT_METRICS) {
      const blocked = kernels.topK({ metric, queries, base: resident, dim, k: 20 });
      const copied = kernels.topK({ metric, queries, base, dim, k: 20 });
      assert.deepEqual(copied, blocked, `${metric}: copied base with on-the-fly norms`);
      for (let j = 0; j < 16; j++) {
        const single = kernels.topK({
          metric,
          queries: queries.subarray(j * dim, (j + 1) * dim),
          base: resident,
          dim,
          k: 20,
        });
        assert.deepEqual(single.ids, blocked.ids.subarray(j * 20, (j + 1) * 20), `${metric} query ${j}`);
        assert.deepEqual(
          single.scores,
          blocked.scores.subarray(j * 20, (j + 1) * 20),
          `${metric} query ${j}`,
        );
      }
    }
    kernels.release(resident);
  });

  test('a candidate bitset restricts the scan, as bytes or 32-bit words', () => {
    const dim = 20;
    const rows = 1000;
    const base = randomVectors(41, rows * dim);
    const queries = randomVectors(42, 3 * dim);
    for (const density of [0, 0.01, 0.3, 0.9, 1]) {
      const bitset = bitsetOf(rows, 43, density);
      const words = new Uint32Array(Math.ceil(rows / 32));
      new Uint8Array(words.buffer).set(bitset);
      for (const metric of FLOAT_METRICS) {
        const scores = kernelScores(metric, queries, base, dim);
        for (const k of [1, 10, 400]) {
          const result = kernels.topK({ metric, queries, base, dim, k, bitset });
          assertTopK(result, metric, scores, k, bitset);
          assert.deepEqual(kernels.topK({ metric, queries, base, dim, k, bitset: words }), result);
        }
      }
    }
  });

  test('bits at or beyond the row count are ignored', () => {
    const dim = 4;
    const rows = 37;
    const base = randomVectors(51, rows * dim);
    const query = randomVectors(52, dim);
    const bitset = new Uint8Array(8).fill(0xff); // rows 37..63 do not exist
    const result = kernels.topK({ metric: 'L2', queries: query, base, dim, k: 50, bitset });
    assert.equal(result.count, rows);
    assertTopK(result, 'L2', kernelScores('L2', query, base, dim), 50);
    assert.throws(
      () => kernels.topK({ metric: 'L2', queries: query, base, dim, k: 5, bitset: new Uint8Array(4) }),
      /bitset bytes is 4, expected at least 5/,
    );
  });

  test('k larger than the candidates, no rows, no queries and k = 0', () => {
    const dim = 6;
    const base = randomVectors(61, 10 * dim);
    const query = randomVectors(62, dim);
    const all = kernels.topK({ metric: 'IP', queries: query, base, dim, k: 25 });
    assertTopK(all, 'IP', kernelScores('IP', query, base, dim), 25);
    assert.equal(all.count, 10);
    const three = kernels.topK({
      metric: 'IP',
      queries: query,
      base,
      dim,
      k: 25,
      bitset: new Uint8Array([0b1001, 0b10]),
    });
    assert.equal(three.count, 3);
    assert.deepEqual([...three.ids.subarray(0, 3)].sort(), [0, 3, 9]);

    const empty = kernels.topK({ metric: 'L2', queries: query, base: new Float32Array(0), dim, k: 3 });
    assert.equal(empty.count, 0);
    assert.deepEqual([...empty.ids], [-1, -1, -1]);
    const noQueries = kernels.topK({ metric: 'L2', queries: new Float32Array(0), base, dim, k: 3 });
    assert.equal(noQueries.count, 0);
    assert.equal(noQueries.ids.length, 0);
    const zeroK = kernels.topK({ metric: 'L2', queries: query, base, dim, k: 0 });
    assert.equal(zeroK.count, 0);
    assert.equal(zeroK.ids.length, 0);
    assert.equal(kernels.distances('L2', query, new Float32Array(0)).length, 0);
  });

  test('a NaN score ranks last and is reported as the worst score', () => {
    const dim = 4;
    const base = new Float32Array([Number.NaN, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
    const query = new Float32Array([1, 1, 1, 1]);
    const l2 = kernels.topK({ metric: 'L2', queries: query, base, dim, k: 3 });
    assert.deepEqual([...l2.ids], [1, 2, 0]);
    assert.deepEqual([...l2.scores], [0, 4, Infinity]);
    const ip = kernels.topK({ metric: 'IP', queries: query, base, dim, k: 3 });
    assert.deepEqual([...ip.ids], [2, 1, 0]);
    assert.deepEqual([...ip.scores], [8, 4, -Infinity]);
  });

  test('into is reused and must have the search shape', () => {
    const dim = 5;
    const base = randomVectors(71, 50 * dim);
    const queries = randomVectors(72, 2 * dim);
    const first = kernels.topK({ metric: 'L2', queries, base, dim, k: 4 });
    const into = kernels.topK({ metric: 'IP', queries, base, dim, k: 4 });
    assert.equal(kernels.topK({ metric: 'L2', queries, base, dim, k: 4 }, into), into);
    assert.deepEqual(into, first);
    assert.throws(() => kernels.topK({ metric: 'L2', queries, base, dim, k: 5 }, into), /shaped 2 x 4/);
  });

  test('rejects mismatched shapes, metrics and vector kinds', () => {
    const base = randomVectors(81, 40);
    const resident = kernels.storeFloat32(base, 4);
    const binary = kernels.storeBinary(new Uint8Array(10), 8);
    assert.throws(
      () => kernels.topK({ metric: 'L2', queries: new Float32Array(3), base, dim: 4, k: 1 }),
      RangeError,
    );
    assert.throws(
      () => kernels.topK({ metric: 'L2', queries: new Float32Array(4), base, dim: 3, k: 1 }),
      RangeError,
    );
    assert.throws(
      () => kernels.topK({ metric: 'L2', queries: new Float32Array(4), base, dim: 0, k: 1 }),
      RangeError,
    );
    assert.throws(
      () => kernels.topK({ metric: 'L2', queries: new Float32Array(4), base, dim: 4, k: -1 }),
      RangeError,
    );
    assert.throws(
      () => kernels.topK({ metric: 'L2', queries: new Float32Array(5), base: resident, dim: 5, k: 1 }),
      RangeError,
    );
    assert.throws(
      () => kernels.topK({ metric: 'L2', queries: new Float32Array(8), base: binary, dim: 8, k: 1 }),
      TypeError,
    );
    assert.throws(
      () =>
        kernels.topK({ metric: 'HAMMING' as FloatMetric, queries: new Float32Array(4), base, dim: 4, k: 1 }),
      /HAMMING is not a float vector metric/,
    );
    assert.throws(() => kernels.distances('L2', new Float32Array(4), new Float32Array(6)), RangeError);
    assert.throws(() => kernels.distances('L2', new Float32Array(4), base, new Float32Array(3)), RangeError);
    kernels.release(resident);
    kernels.release(binary);
  });
});
