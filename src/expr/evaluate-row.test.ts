import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QuiverError } from '../errors/quiver-error.js';
import { compileFilter } from './compile-filter.js';
import { evaluateRow } from './evaluate-row.js';
import { dynamicSchema, type Row } from './test-fixtures.js';

const matches = (filter: string, row: Row): boolean => evaluateRow(compileFilter(filter, dynamicSchema), row);

test("null fields: leaves are false and invalid, 'not' of an invalid leaf stays false", () => {
  const row: Row = { n: null, i8: 1 };
  const table: [string, boolean][] = [
    ['n == 1', false],
    ['n != 1', false],
    ['not (n == 1)', false],
    ['not (n != 1)', false],
    ['n in [1]', false],
    ['n not in [1]', false],
    ['n is null', true],
    ['not (n is null)', false],
    ['n is not null', false],
    // and/or OR the validity: with one valid side, not() flips as usual.
    ['n == 1 or i8 == 1', true],
    ['not (n == 1 or i8 == 2)', true],
    ['not (n == 1 and i8 == 1)', true],
    ['not (n == 1 or n == 2)', false],
    ['n + 1 == 1', false],
    ['n == i8', false],
  ];
  for (const [filter, expected] of table) assert.equal(matches(filter, row), expected, filter);
  // A missing key reads as null too.
  assert.equal(matches('n is null', {}), true);
});

test('JSON: unreadable values are false for every operator except != (segcore)', () => {
  const row: Row = { j: { a: 'text', b: null, c: 2.5, d: 3 } };
  const table: [string, boolean][] = [
    ['j["a"] == 1', false],
    ['j["a"] != 1', true],
    ['j["a"] > 1', false],
    ['j["missing"] != "x"', true],
    ['j["missing"] == "x"', false],
    ['j["b"] == 1', false],
    ['j["b"] != 1', true],
    ['j["c"] > 2', true],
    ['j["c"] == 2.5', true],
    ['j["d"] == 3.0', true],
    ['j["d"] < 3.5', true],
    ['not (j["missing"] == 1)', true],
    ['exists j["b"]', false],
    ['exists j["c"]', true],
    ['j["b"] is null', true],
  ];
  for (const [filter, expected] of table) assert.equal(matches(filter, row), expected, filter);
  // A null JSON field (nullable) behaves like any null field.
  assert.equal(matches('nj["a"] != 1', { nj: null }), false);
  assert.equal(matches('nj["a"] != 1', { nj: {} }), true);
});

test('integer arithmetic wraps at 64 bits and divides toward zero, like segcore', () => {
  const max = { i64: 9223372036854775807n };
  assert.equal(matches('i64 + 1 == -9223372036854775808', max), true);
  assert.equal(matches('i64 * 2 == -2', max), true);
  assert.equal(matches('i64 / 2 == -3', { i64: -7n }), true);
  assert.equal(matches('i64 % 3 == -1', { i64: -7n }), true);
  assert.equal(matches('i8 / 2 == 1', { i8: 3 }), true);
});

test('Float columns compare and compute in float32', () => {
  const row = { f: Math.fround(0.1) };
  assert.equal(matches('f == 0.1', row), true);
  assert.equal(matches('f > 0.1', row), false);
  assert.equal(matches('d == 0.1', { d: Math.fround(0.1) }), false);
  assert.equal(
    matches('f + 0.2 == 0.3', { f: Math.fround(0.1) }),
    Math.fround(Math.fround(0.1) + Math.fround(0.2)) === Math.fround(0.3),
  );
});

test('strings order byte-wise (code points), LIKE wildcards are bytes', () => {
  assert.equal(matches('s > "Z"', { s: 'a' }), true);
  assert.equal(matches('s < "\u{1F600}"', { s: '\uFFFF' }), true);
  assert.equal(matches('s like "_"', { s: 'é' }), false);
  assert.equal(matches('s like "__"', { s: 'é' }), true);
  assert.equal(matches('s like "%é%"', { s: 'café au lait' }), true);
});

test('arrays: element access out of range is false, whole-array equality, contains', () => {
  assert.equal(matches('ai[3] == 1', { ai: [1n] }), false);
  assert.equal(matches('ai[3] != 1', { ai: [1n] }), false);
  assert.equal(matches('ai == [1, 2]', { ai: [1n, 2n] }), true);
  assert.equal(matches('ai == [1, 2]', { ai: [2n, 1n] }), false);
  assert.equal(matches('array_contains(ai, 2)', { ai: null }), false);
  assert.equal(matches('not array_contains(ai, 2)', { ai: null }), false);
  assert.equal(matches('array_contains_all(as, ["a", "b"])', { as: ['b', 'a', 'c'] }), true);
  assert.equal(matches('json_contains(j, 1)', { j: [1, 2] }), true);
  assert.equal(matches('json_contains(j["x"], 1.0)', { j: { x: [1] } }), true);
  assert.equal(matches('array_length(j["x"]) == 2', { j: { x: 'ab' } }), false);
});

test('text_match / phrase_match use a simple analyzer unless one is given', () => {
  const row = { title: 'Hello, World! hello again' };
  assert.equal(matches('text_match(title, "WORLD")', row), true);
  assert.equal(matches('text_match(title, "world moon", minimum_should_match=2)', row), false);
  assert.equal(matches('phrase_match(title, "hello world")', row), true);
  assert.equal(matches('phrase_match(title, "world again")', row), false);
  assert.equal(matches('phrase_match(title, "world again", 1)', row), true);
  const ir = compileFilter('text_match(title, "ab")', dynamicSchema);
  assert.equal(evaluateRow(ir, { title: 'xaby' }, { analyze: (text) => text.match(/ab/g) ?? [] }), true);
});

test('random_sample needs a sampler; the predicate still applies', () => {
  const ir = compileFilter('i8 == 1 and random_sample(0.5)', dynamicSchema);
  assert.throws(
    () => evaluateRow(ir, { i8: 1 }),
    (error: unknown) => error instanceof QuiverError && error.code === 3000,
  );
  assert.equal(evaluateRow(ir, { i8: 1 }, { sampleRow: () => true }), true);
  assert.equal(evaluateRow(ir, { i8: 2 }, { sampleRow: () => true }), false);
  assert.equal(evaluateRow(ir, { i8: 1 }, { sampleRow: (factor) => factor > 0.6 }), false);
});

test('filter functions: empty and starts_with on values and nulls', () => {
  assert.equal(matches('empty(s)', { s: '' }), true);
  assert.equal(matches('empty(s)', { s: 'x' }), false);
  assert.equal(matches('not empty(ns)', { ns: null }), false);
  assert.equal(matches('starts_with(s, ns)', { s: 'hello', ns: 'he' }), true);
  assert.equal(matches('starts_with(s, ns)', { s: 'hello', ns: null }), false);
});
