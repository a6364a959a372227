import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isQuiverError } from '../../errors/index.js';
import { stringValue } from '../../expr/generic-value.js';
import { DataType } from '../../schema/index.js';
import { assertCoverage, checkFactory, columnCases, columnRef, concat } from './scalar-index-test-support.js';
import { trieIndexFactory } from './trie-index.js';

test('Trie answers every leaf exactly as evaluateRow does, before and after a round trip', () => {
  const coverage = checkFactory(trieIndexFactory, columnCases([DataType.VarChar], [], 300), 200);
  assertCoverage(coverage, () => 'exactly-the-unanswerable');
  const large = checkFactory(trieIndexFactory, columnCases([DataType.VarChar], [], 2000, [true]), 80);
  assertCoverage(large, () => 'some');
});

test('Trie orders keys by UTF-8 bytes: supplementary characters sort after U+FFFF', () => {
  const column = { type: DataType.VarChar as const, values: ['\uFFFF', '😀', 'a', '\uE000', 'é'] };
  const index = trieIndexFactory.build(column);
  const above = index.evaluate({
    kind: 'compare',
    column: columnRef(column),
    op: '>',
    value: stringValue('\uFFFF'),
  })!;
  assert.deepEqual(Array.from(above), [0, 1, 0, 0, 0]);
  const prefix = index.evaluate({
    kind: 'match',
    column: columnRef(column),
    op: 'prefix',
    operand: '\uD83D',
  })!;
  assert.deepEqual(Array.from(prefix), [0, 1, 0, 0, 0]);
});

test('Trie front-codes its keys: shared prefixes are stored once', () => {
  const values = Array.from(
    { length: 1000 },
    (_, i) => `https://example.com/products/category-${i % 100}/item`,
  );
  const index = trieIndexFactory.build({ type: DataType.VarChar, values });
  const bytes = concat(index.serialize()).byteLength;
  const rawKeyBytes = 100 * values[0]!.length;
  // rows (4 KB) + offsets + shared lengths: the keys themselves take far less than their raw size.
  assert.ok(bytes < 4000 + 2 * 404 + rawKeyBytes / 3, `${bytes} bytes`);
  const loaded = trieIndexFactory.deserialize(concat(index.serialize()));
  const leaf = {
    kind: 'compare' as const,
    column: columnRef({ type: DataType.VarChar, values }),
    op: '==' as const,
    value: stringValue(values[7]!),
  };
  assert.deepEqual(loaded.evaluate(leaf), index.evaluate(leaf));
});

test('Trie holds VarChar only', () => {
  assert.throws(
    () => trieIndexFactory.build({ type: DataType.Int64, values: new BigInt64Array(1) }),
    (error) => isQuiverError(error) && error.kind === 'IndexNotSupported',
  );
});
