import assert from 'node:assert/strict';
import { test } from 'node:test';
import { selectGroups } from './select-groups.js';

test('groups in order of their best hit, offset skips whole groups, sizes are capped', () => {
  const ranked = ['a1', 'b1', 'a2', 'c1', 'a3', 'b2', 'd1', 'c2', 'a4', 'e1'].map((hit) => ({
    hit,
    key: hit[0],
  }));
  const all = selectGroups(ranked, 0, 3, 2);
  assert.deepEqual(all.hits, ['a1', 'a2', 'b1', 'b2', 'c1', 'c2']);
  assert.deepEqual(all.keys, ['a', 'a', 'b', 'b', 'c', 'c']);
  assert.equal(all.complete, true);

  const skipped = selectGroups(ranked, 1, 2, 3);
  assert.deepEqual(skipped.hits, ['b1', 'b2', 'c1', 'c2']);
  assert.equal(skipped.complete, false, 'groups b and c have only 2 hits each');

  const few = selectGroups(ranked, 0, 10, 1);
  assert.deepEqual(few.hits, ['a1', 'b1', 'c1', 'd1', 'e1']);
  assert.equal(few.complete, false);
});
