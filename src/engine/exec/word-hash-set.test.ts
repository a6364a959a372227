import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WordHashSet } from './word-hash-set.js';

test('WordHashSet finds exactly the keys it was built with, both words compared', () => {
  const keys: [number, number][] = [];
  for (let i = 0; i < 500; i++) keys.push([i * 7919, i % 3 === 0 ? -1 : i]);
  keys.push([0, 0x3ff00000], [0, -0x80000000], [-1, -1]);
  const set = new WordHashSet([...keys, ...keys]);
  for (const [low, high] of keys) assert.ok(set.has(low, high), `${low},${high}`);
  assert.equal(set.has(7919, 0), false, 'low word alone does not match');
  assert.equal(set.has(0, 0x3ff00001), false);
  assert.equal(set.has(1, 1), false);
  assert.equal(new WordHashSet([]).has(0, 0), false);
});
