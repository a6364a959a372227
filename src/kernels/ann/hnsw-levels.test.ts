import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hnswLevels } from './hnsw-levels.js';

test('levels are deterministic for a seed and thin out geometrically with ratio 1/M', () => {
  const levels = hnswLevels(200_000, 16, 42);
  assert.deepEqual(levels, hnswLevels(200_000, 16, 42));
  assert.notDeepEqual(levels, hnswLevels(200_000, 16, 43));
  const atLeast = (level: number) => levels.filter((l) => l >= level).length / levels.length;
  // P(level >= l) = M^-l.
  assert.ok(Math.abs(atLeast(1) - 1 / 16) < 0.003, `P(level >= 1) = ${atLeast(1)}`);
  assert.ok(Math.abs(atLeast(2) - 1 / 256) < 0.0006, `P(level >= 2) = ${atLeast(2)}`);
  assert.ok(levels.every((l) => l >= 0 && l < 20));
});
