import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { seededRandom } from '../seeded-random.js';
import { SparseInvertedIndex } from './sparse-inverted-index.js';
import { referenceBm25, referenceSparseIp } from './sparse-reference.js';
import type { SparseVector } from './sparse-vector.js';

/**
 * TAAT == WAND == MaxScore == brute-force reference, exactly (ids and float32 scores), on random data. Values come
 * from small sets in some runs so ties are common; dimensions are Zipf-like so some posting lists span
 * many 64-posting blocks and block-max skipping actually happens.
 */
function sparseVector(
  dims: number,
  maxNonZeros: number,
  value: fc.Arbitrary<number>,
): fc.Arbitrary<SparseVector> {
  // Squaring a uniform draw skews dimensions towards 0, giving long head lists.
  const dim = fc.double({ min: 0, max: 1, noNaN: true }).map((u) => Math.floor(u * u * dims));
  return fc.array(fc.tuple(dim, value), { maxLength: maxNonZeros, size: 'max' }).map((pairs) => {
    const byDim = new Map(pairs);
    const indices = [...byDim.keys()].sort((a, b) => a - b);
    return {
      indices: Uint32Array.from(indices),
      values: Float32Array.from(indices.map((d) => byDim.get(d)!)),
    };
  });
}

const tiedValues = fc.constantFrom(0.5, 1, 2, 3);
const anyValues = fc.float({ min: -4, max: 4, noNaN: true, noDefaultInfinity: true });
const positiveValues = fc.float({ min: Math.fround(1e-3), max: 10, noNaN: true, noDefaultInfinity: true });

function bitsetFor(rows: number, seed: number, density: number): Uint8Array {
  const bits = new Uint8Array(Math.ceil(rows / 8));
  let state = seed >>> 0;
  for (let row = 0; row < rows; row++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    if (state / 2 ** 32 < density) bits[row >>> 3]! |= 1 << (row & 7);
  }
  return bits;
}

function asHits(result: { ids: Int32Array; scores: Float32Array; count: number }) {
  return Array.from(result.ids.subarray(0, result.count), (row, i) => ({ row, score: result.scores[i]! }));
}

const ipCase = (value: fc.Arbitrary<number>, maxRows: number, dims: number) =>
  fc.record({
    rows: fc.array(sparseVector(dims, 12, value), { maxLength: maxRows, size: 'max' }),
    queries: fc.array(sparseVector(dims + 5, 8, value), { minLength: 1, maxLength: 4 }),
    k: fc.integer({ min: 1, max: 25 }),
    bitsetSeed: fc.integer(),
    density: fc.constantFrom(1, 0.7, 0.2, 0),
    useBitset: fc.boolean(),
    dropRatioSearch: fc.constantFrom(0, 0, 0.3),
  });

interface IpCase {
  rows: SparseVector[];
  queries: SparseVector[];
  k: number;
  bitsetSeed: number;
  density: number;
  useBitset: boolean;
  dropRatioSearch: number;
}

function checkIp(c: IpCase): void {
  const index = SparseInvertedIndex.build(c.rows);
  const bitset = c.useBitset ? bitsetFor(c.rows.length, c.bitsetSeed, c.density) : undefined;
  for (const query of c.queries) {
    const options = { bitset, dropRatioSearch: c.dropRatioSearch };
    const expected = referenceSparseIp(c.rows, query, c.k, options);
    const taat = asHits(index.search(query, c.k, { ...options, algorithm: 'taat' }));
    const wand = asHits(index.search(query, c.k, { ...options, algorithm: 'wand' }));
    assert.deepEqual(taat, expected, 'taat vs reference');
    assert.deepEqual(wand, expected, 'wand vs reference');
    const maxScore = asHits(index.search(query, c.k, { ...options, algorithm: 'maxscore' }));
    assert.deepEqual(maxScore, expected, 'maxscore vs reference');
  }
}

test('IP: TAAT == WAND == MaxScore == reference, tied values, small corpora', () => {
  fc.assert(fc.property(ipCase(tiedValues, 60, 20), checkIp), { numRuns: 300, seed: 7 });
});

test('IP: TAAT == WAND == MaxScore == reference, signed float values', () => {
  fc.assert(fc.property(ipCase(anyValues, 80, 40), checkIp), { numRuns: 200, seed: 11 });
});

/** A seeded Zipf-like corpus: n rows, dimension d drawn with probability ~ 1 / (d + 1). */
function zipfRows(seed: number, n: number, dims: number, perRow: number, value: (r: () => number) => number) {
  const random = seededRandom(seed);
  const harmonic: number[] = [];
  let total = 0;
  for (let d = 0; d < dims; d++) {
    total += 1 / (d + 1);
    harmonic.push(total);
  }
  const draw = () => {
    const u = random() * total;
    let lo = 0;
    let hi = dims - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (harmonic[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const vector = (count: number): SparseVector => {
    const byDim = new Map<number, number>();
    for (let i = 0; i < count; i++) byDim.set(draw(), value(random));
    const indices = [...byDim.keys()].sort((a, b) => a - b);
    return {
      indices: Uint32Array.from(indices),
      values: Float32Array.from(indices.map((d) => byDim.get(d)!)),
    };
  };
  return { rows: Array.from({ length: n }, () => vector(1 + Math.floor(random() * perRow))), vector };
}

const VALUE_KINDS = {
  tied: (r: () => number) => [0.5, 1, 2, 3][Math.floor(r() * 4)]!,
  positive: (r: () => number) => Math.fround(0.001 + r() * r() * 10),
  signed: (r: () => number) => Math.fround((r() - 0.3) * 4),
};

test('IP: TAAT == WAND == MaxScore == reference, seeded corpora with multi-block posting lists', () => {
  fc.assert(
    fc.property(
      fc.integer(),
      fc.integer({ min: 300, max: 3000 }),
      fc.constantFrom(...(Object.keys(VALUE_KINDS) as (keyof typeof VALUE_KINDS)[])),
      fc.integer({ min: 1, max: 30 }),
      fc.boolean(),
      (seed, n, kind, k, useBitset) => {
        const { rows, vector } = zipfRows(seed, n, 200, 30, VALUE_KINDS[kind]);
        const index = SparseInvertedIndex.build(rows);
        const bitset = useBitset ? bitsetFor(n, seed, 0.6) : undefined;
        for (let q = 0; q < 4; q++) {
          const query = vector(1 + q * 5);
          const expected = referenceSparseIp(rows, query, k, { bitset });
          assert.deepEqual(asHits(index.search(query, k, { algorithm: 'taat', bitset })), expected, 'taat');
          assert.deepEqual(asHits(index.search(query, k, { algorithm: 'wand', bitset })), expected, 'wand');
          assert.deepEqual(
            asHits(index.search(query, k, { algorithm: 'maxscore', bitset })),
            expected,
            'maxscore',
          );
        }
      },
    ),
    { numRuns: 30, seed: 13, endOnFailure: true },
  );
});

test('IP with drop_ratio_build: TAAT == WAND == MaxScore == reference on pre-dropped rows', () => {
  fc.assert(
    fc.property(ipCase(positiveValues, 200, 30), fc.constantFrom(0.1, 0.5, 0.9), (c, dropRatioBuild) => {
      const index = SparseInvertedIndex.build(c.rows, { dropRatioBuild });
      for (const query of c.queries) {
        const expected = referenceSparseIp(c.rows, query, c.k, { dropRatioBuild });
        assert.deepEqual(asHits(index.search(query, c.k, { algorithm: 'taat' })), expected);
        assert.deepEqual(asHits(index.search(query, c.k, { algorithm: 'wand' })), expected);
        assert.deepEqual(asHits(index.search(query, c.k, { algorithm: 'maxscore' })), expected);
      }
    }),
    { numRuns: 60, seed: 19, endOnFailure: true },
  );
});

test('BM25: TAAT == WAND == MaxScore == reference with random k1, b, avgdl, corpus stats and bitsets', () => {
  fc.assert(
    fc.property(
      fc.integer(),
      fc.integer({ min: 0, max: 2500 }),
      fc.array(fc.array(fc.integer({ min: 0, max: 160 }), { maxLength: 8 }), { minLength: 1, maxLength: 4 }),
      fc.record({
        k: fc.integer({ min: 1, max: 20 }),
        k1: fc.constantFrom(0, 0.5, 1.2, 2),
        b: fc.constantFrom(0, 0.5, 0.75, 1),
        avgdlScale: fc.constantFrom(0.01, 0.5, 1, 3),
        extraDocs: fc.integer({ min: 0, max: 1000 }),
        useBitset: fc.boolean(),
      }),
      (seed, n, queries, p) => {
        // Term frequencies: small integers, mostly 1.
        const tf = (r: () => number) => 1 + Math.floor(r() * r() * r() * 6);
        const { rows } = zipfRows(seed, n, 150, 25, tf);
        // Corpus statistics as if this segment were part of a larger collection.
        const df = new Map<number, number>();
        let tokens = 0;
        for (const row of rows) {
          for (const term of row.indices) df.set(term, (df.get(term) ?? 0) + 1);
          for (const value of row.values) tokens += value;
        }
        const docCount = rows.length + p.extraDocs;
        if (docCount === 0) return;
        const avgdl = Math.max((tokens / Math.max(rows.length, 1)) * p.avgdlScale, 0.01);
        const bitset = p.useBitset ? bitsetFor(rows.length, seed, 0.5) : undefined;
        const options = { k1: p.k1, b: p.b, avgdl, docCount, docFreq: (t: number) => df.get(t) ?? 0, bitset };
        const index = SparseInvertedIndex.build(rows);
        for (const terms of queries) {
          const query = Uint32Array.from(terms);
          const expected = referenceBm25(rows, query, p.k, options);
          assert.deepEqual(asHits(index.searchBm25(query, p.k, { ...options, algorithm: 'taat' })), expected);
          assert.deepEqual(asHits(index.searchBm25(query, p.k, { ...options, algorithm: 'wand' })), expected);
          assert.deepEqual(
            asHits(index.searchBm25(query, p.k, { ...options, algorithm: 'maxscore' })),
            expected,
          );
        }
      },
    ),
    { numRuns: 40, seed: 23, endOnFailure: true },
  );
});
