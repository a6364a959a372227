import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QuiverError } from '../errors/index.js';
import { fuse, normalizeScore, parseReranker } from './rerank.js';

test('RRF sums 1 / (k + rank) over the lists a key appears in', () => {
  const fused = fuse({ strategy: 'rrf', k: 60 }, [
    { metric: 'L2', keys: ['a', 'b', 'c'], scores: [0.1, 0.2, 0.3] },
    { metric: 'IP', keys: ['c', 'a'], scores: [9, 8] },
  ]);
  const expected = new Map([
    ['a', 1 / 61 + 1 / 62],
    ['b', 1 / 62],
    ['c', 1 / 63 + 1 / 61],
  ]);
  assert.deepEqual(
    fused.map((h) => h.key),
    ['a', 'c', 'b'],
  );
  for (const hit of fused) assert.ok(Math.abs(hit.score - expected.get(hit.key)!) < 1e-12);
});

test("weighted: Σ w · norm(score) with Milvus's per-metric normalisation", () => {
  assert.equal(normalizeScore('COSINE', 0.5), 0.75);
  assert.ok(Math.abs(normalizeScore('IP', 1) - (0.5 + Math.atan(1) / Math.PI)) < 1e-12);
  assert.ok(Math.abs(normalizeScore('L2', 1) - (1 - (2 * Math.atan(1)) / Math.PI)) < 1e-12);
  assert.ok(Math.abs(normalizeScore('BM25', 3) - (2 * Math.atan(3)) / Math.PI) < 1e-12);
  const fused = fuse({ strategy: 'weighted', weights: [0.8, 0.2], normScore: true }, [
    { metric: 'L2', keys: ['a', 'b'], scores: [0, 4] },
    { metric: 'COSINE', keys: ['b'], scores: [1] },
  ]);
  assert.deepEqual(
    fused.map((h) => [h.key, Number(h.score.toFixed(6))]),
    [
      ['a', 0.8],
      ['b', Number((0.8 * normalizeScore('L2', 4) + 0.2).toFixed(6))],
    ],
  );
});

test('rank params are checked with Milvus messages', () => {
  assert.deepEqual(parseReranker({}, 2), { strategy: 'rrf', k: 60 });
  assert.deepEqual(parseReranker({ strategy: 'rrf', params: '{"k":10}' }, 2), { strategy: 'rrf', k: 10 });
  assert.throws(
    () => parseReranker({ strategy: 'weighted', params: '{"weights":[0.2,0.4,0.8]}' }, 2),
    (error: unknown) =>
      error instanceof QuiverError &&
      /the length of weights param mismatch with ann search requests.*\[expected=2\]\[actual=3\]/.test(
        error.message,
      ),
  );
  assert.throws(
    () => parseReranker({ strategy: 'weighted', params: '{"weights":[1.5,0.4]}' }, 2),
    /rank param weight should be in range \[0, 1\]/,
  );
  assert.throws(() => parseReranker({ strategy: 'rrf', params: '{"k":0}' }, 2), /\(0, 16384\)/);
  assert.throws(() => parseReranker({ strategy: 'magic' }, 2), /unsupported rank type magic/);
});
