import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SparseInvertedIndex } from './sparse-inverted-index.js';
import { dropSmallest, referenceBm25, referenceSparseIp } from './sparse-reference.js';
import type { SparseVector } from './sparse-vector.js';

const fround = Math.fround;

function sv(entries: Record<number, number>): SparseVector {
  const indices = Object.keys(entries)
    .map(Number)
    .sort((a, b) => a - b);
  return { indices: Uint32Array.from(indices), values: Float32Array.from(indices.map((i) => entries[i]!)) };
}

const ROWS = [sv({ 1: 1, 3: 2 }), sv({ 3: 1, 7: 4 }), sv({ 1: 0.5 }), sv({ 9: 5 }), sv({ 1: 2, 7: 1 })];

function hits(result: { ids: Int32Array; scores: Float32Array; count: number }) {
  return Array.from(result.ids.subarray(0, result.count), (row, i) => ({ row, score: result.scores[i]! }));
}

test('inner product top-k, best first, all three algorithms, hand-computed', () => {
  const index = SparseInvertedIndex.build(ROWS);
  assert.equal(index.rows, 5);
  assert.equal(index.dimensions, 4);
  assert.equal(index.postingCount, 8);
  const query = sv({ 1: 2, 7: 0.5 });
  // row 0: 2; row 1: 2; row 2: 1; row 4: 4 + 0.5 = 4.5; row 3 shares nothing.
  const expected = [
    { row: 4, score: 4.5 },
    { row: 0, score: 2 },
    { row: 1, score: 2 },
    { row: 2, score: 1 },
  ];
  for (const algorithm of ['taat', 'wand', 'maxscore'] as const) {
    const result = index.search(query, 10, { algorithm });
    assert.deepEqual(hits(result), expected, algorithm);
    assert.equal(result.ids.length, 10);
    assert.deepEqual(Array.from(result.ids.subarray(4)), [-1, -1, -1, -1, -1, -1]);
    assert.ok(result.scores.subarray(4).every(Number.isNaN));
    assert.deepEqual(hits(index.search(query, 2, { algorithm })), expected.slice(0, 2), `${algorithm} k=2`);
  }
});

test('ties go to the lower row', () => {
  const rows = Array.from({ length: 300 }, () => sv({ 2: 1, 5: 1 }));
  const index = SparseInvertedIndex.build(rows);
  for (const algorithm of ['taat', 'wand', 'maxscore'] as const) {
    const result = index.search(sv({ 2: 1, 5: 3 }), 7, { algorithm });
    assert.deepEqual(Array.from(result.ids), [0, 1, 2, 3, 4, 5, 6], algorithm);
    assert.ok(result.scores.every((s) => s === 4));
  }
});

test('empty queries, absent dimensions and an empty index give no hits', () => {
  const index = SparseInvertedIndex.build(ROWS);
  const empty = { indices: new Uint32Array(0), values: new Float32Array(0) };
  for (const algorithm of ['taat', 'wand', 'maxscore'] as const) {
    assert.equal(index.search(empty, 3, { algorithm }).count, 0);
    assert.equal(index.search(sv({ 0: 1, 4000000000: 2 }), 3, { algorithm }).count, 0);
    assert.equal(index.search(sv({ 1: 0 }), 3, { algorithm }).count, 0, 'zero query value');
    const none = SparseInvertedIndex.build([]);
    const result = none.search(sv({ 1: 1 }), 2, { algorithm });
    assert.equal(result.count, 0);
    assert.deepEqual(Array.from(result.ids), [-1, -1]);
  }
});

test('the bitset is respected, as Uint8Array or Uint32Array', () => {
  const index = SparseInvertedIndex.build(ROWS);
  const bytes = new Uint8Array([0b00000110]); // rows 1 and 2
  const words = new Uint32Array([0b00000110]);
  for (const algorithm of ['taat', 'wand', 'maxscore'] as const) {
    for (const bitset of [bytes, words]) {
      const result = index.search(sv({ 1: 2, 7: 0.5 }), 10, { algorithm, bitset });
      assert.deepEqual(hits(result), [
        { row: 1, score: 2 },
        { row: 2, score: 1 },
      ]);
    }
    assert.equal(index.search(sv({ 1: 2 }), 10, { algorithm, bitset: new Uint8Array(1) }).count, 0);
  }
});

test('drop_ratio_build drops each row smallest values; drop_ratio_search the query smallest', () => {
  const rows = [sv({ 1: 1, 2: 2, 3: 3, 4: 4 }), sv({ 1: -5, 2: 0.1 }), sv({ 3: 0.5, 4: 0.25 })];
  const index = SparseInvertedIndex.build(rows, { dropRatioBuild: 0.5 });
  // floor(4 * 0.5) = 2: threshold 3 keeps {3, 4}; row 1 keeps -5; row 2 keeps 0.5.
  assert.equal(index.postingCount, 4);
  const query = sv({ 1: 1, 2: 1, 3: 1, 4: 1 });
  for (const algorithm of ['taat', 'wand', 'maxscore'] as const) {
    assert.deepEqual(hits(index.search(query, 5, { algorithm })), [
      { row: 0, score: 7 },
      { row: 2, score: 0.5 },
      { row: 1, score: -5 },
    ]);
    // Query drop 0.5 with values 1,2,3,4 keeps dims 3 and 4.
    const weighted = sv({ 1: 1, 2: 2, 3: 3, 4: 4 });
    const got = hits(index.search(weighted, 5, { algorithm, dropRatioSearch: 0.5 }));
    assert.deepEqual(
      got,
      referenceSparseIp(rows, weighted, 5, { dropRatioBuild: 0.5, dropRatioSearch: 0.5 }),
    );
    assert.deepEqual(got, [
      { row: 0, score: 25 },
      { row: 2, score: 1.5 },
    ]);
  }
  assert.deepEqual(Array.from(dropSmallest(rows[0]!, 0.5).indices), [3, 4]);
});

test('searchBatch equals one search per query', () => {
  const index = SparseInvertedIndex.build(ROWS);
  const queries = [sv({ 1: 1 }), sv({ 3: 2, 9: 1 }), sv({ 100: 1 })];
  const batch = index.searchBatch(queries, 3, { algorithm: 'wand' });
  assert.equal(batch.nq, 3);
  queries.forEach((query, j) => {
    const single = index.search(query, 3, { algorithm: 'taat' });
    assert.equal(batch.counts[j], single.count);
    assert.deepEqual(batch.ids.subarray(j * 3, j * 3 + 3), single.ids);
    assert.deepEqual(batch.scores.subarray(j * 3, j * 3 + 3), single.scores);
  });
});

test('toBytes / fromBytes round trip: identical bytes and results; corrupt bytes refused', () => {
  const index = SparseInvertedIndex.build(ROWS);
  const bytes = index.toBytes();
  assert.equal(new TextDecoder().decode(bytes.subarray(0, 4)), 'QSPI');
  const copy = SparseInvertedIndex.fromBytes(bytes.slice());
  assert.deepEqual(copy.toBytes(), bytes);
  assert.equal(copy.memoryBytes, index.memoryBytes);
  const query = sv({ 1: 2, 3: 1, 7: 0.5 });
  assert.deepEqual(
    copy.search(query, 4, { algorithm: 'wand' }),
    index.search(query, 4, { algorithm: 'wand' }),
  );
  const bm25 = { avgdl: 3, docCount: 5, docFreq: () => 2 };
  assert.deepEqual(
    copy.searchBm25(Uint32Array.of(1, 7), 3, bm25),
    index.searchBm25(Uint32Array.of(1, 7), 3, bm25),
  );

  assert.throws(() => SparseInvertedIndex.fromBytes(bytes.subarray(0, 10)), RangeError);
  assert.throws(() => SparseInvertedIndex.fromBytes(bytes.subarray(0, bytes.length - 4)), RangeError);
  const badMagic = bytes.slice();
  badMagic[0] = 0;
  assert.throws(() => SparseInvertedIndex.fromBytes(badMagic), /magic/);
  const badVersion = bytes.slice();
  badVersion[4] = 99;
  assert.throws(() => SparseInvertedIndex.fromBytes(badVersion), /version/);
  const badRow = bytes.slice();
  // First row id (after the 32-byte header, dims and offsets): point it past the row count.
  new DataView(badRow.buffer).setUint32(32 + 4 * 4 + 4 * 5, 1000, true);
  assert.throws(() => SparseInvertedIndex.fromBytes(badRow), RangeError);
});

test('bad parameters throw RangeError', () => {
  const unsorted = { indices: Uint32Array.of(3, 1), values: Float32Array.of(1, 1) };
  const nan = { indices: Uint32Array.of(1), values: Float32Array.of(Number.NaN) };
  const mismatched = { indices: Uint32Array.of(1, 2), values: Float32Array.of(1) };
  for (const row of [unsorted, nan, mismatched]) {
    assert.throws(() => SparseInvertedIndex.build([row]), RangeError);
  }
  assert.throws(() => SparseInvertedIndex.build(ROWS, { dropRatioBuild: 1 }), RangeError);
  assert.throws(() => SparseInvertedIndex.build(ROWS, { dropRatioBuild: -0.1 }), RangeError);
  const index = SparseInvertedIndex.build(ROWS);
  const query = sv({ 1: 1 });
  assert.throws(() => index.search(query, 0, { algorithm: 'taat' }), RangeError);
  assert.throws(() => index.search(query, 1.5, { algorithm: 'taat' }), RangeError);
  assert.throws(() => index.search(unsorted, 1, { algorithm: 'taat' }), RangeError);
  assert.throws(() => index.search(query, 1, { algorithm: 'taat', dropRatioSearch: 1 }), RangeError);
  assert.throws(() => index.search(query, 1, { algorithm: 'bogus' as 'taat' }), RangeError);
  const stats = { avgdl: 2, docCount: 5, docFreq: () => 1 };
  assert.throws(() => index.searchBm25(Uint32Array.of(1), 1, { ...stats, k1: -1 }), RangeError);
  assert.throws(() => index.searchBm25(Uint32Array.of(1), 1, { ...stats, b: 1.5 }), RangeError);
  assert.throws(() => index.searchBm25(Uint32Array.of(1), 1, { ...stats, avgdl: 0 }), RangeError);
  assert.throws(() => index.searchBm25(Uint32Array.of(1), 1, { ...stats, docCount: 0 }), RangeError);
  assert.throws(() => index.searchBm25(Uint32Array.of(1), 1, { ...stats, docFreq: () => 9 }), RangeError);
  const negative = SparseInvertedIndex.build([sv({ 1: -1 })]);
  assert.throws(() => negative.searchBm25(Uint32Array.of(1), 1, stats), /non-negative/);
});

test('BM25 score matches the Milvus/knowhere formula, computed by hand', () => {
  // Two documents as term frequencies: doc 0 = "a a b" (dl 3), doc 1 = "b c" (dl 2).
  const rows = [sv({ 10: 2, 20: 1 }), sv({ 20: 1, 30: 1 })];
  const index = SparseInvertedIndex.build(rows);
  const df = new Map([
    [10, 1],
    [20, 2],
    [30, 1],
  ]);
  const options = { k1: 1.2, b: 0.75, avgdl: 2.5, docCount: 2, docFreq: (t: number) => df.get(t) ?? 0 };
  const idf = (n: number) => Math.log(1 + (2 - n + 0.5) / (n + 0.5));
  const value = (tf: number, dl: number) => (tf * 2.2) / (tf + 1.2 * (1 - 0.75 + (0.75 * dl) / 2.5));
  // Query "a b b": weight(a) = 1 * idf(1), weight(b) = 2 * idf(2).
  const doc0 = idf(1) * value(2, 3) + 2 * idf(2) * value(1, 3);
  const doc1 = 2 * idf(2) * value(1, 2);
  for (const algorithm of ['taat', 'wand', 'maxscore'] as const) {
    const result = index.searchBm25(Uint32Array.of(20, 10, 20), 5, { ...options, algorithm });
    assert.equal(result.count, 2);
    assert.deepEqual(Array.from(result.ids.subarray(0, 2)), doc0 > doc1 ? [0, 1] : [1, 0]);
    const byRow = new Map(hits(result).map((h) => [h.row, h.score]));
    assert.ok(Math.abs(byRow.get(0)! - doc0) < 1e-5, `${byRow.get(0)} vs ${doc0}`);
    assert.ok(Math.abs(byRow.get(1)! - doc1) < 1e-5);
    // Bit-identical to the float32 reference.
    assert.deepEqual(hits(result), referenceBm25(rows, Uint32Array.of(20, 10, 20), 5, options));
  }
  // avgdl below 1 is clamped to 1 (knowhere), so 0.5 and 1 score alike.
  const low = index.searchBm25(Uint32Array.of(10), 1, { ...options, avgdl: 0.5 });
  const one = index.searchBm25(Uint32Array.of(10), 1, { ...options, avgdl: 1 });
  assert.equal(low.scores[0], one.scores[0]);
  assert.equal(fround(low.scores[0]!), low.scores[0]);
});
