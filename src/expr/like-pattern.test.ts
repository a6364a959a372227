import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyLikePattern, likePatternMatches } from './like-pattern.js';

test('patterns with only leading/trailing % become cheaper operations', () => {
  const cases: [string, string, string][] = [
    ['abc', 'equal', 'abc'],
    ['abc%', 'prefix', 'abc'],
    ['abc%%', 'prefix', 'abc'],
    ['%abc', 'suffix', 'abc'],
    ['%abc%', 'infix', 'abc'],
    ['%', 'prefix', ''],
    ['%%%', 'prefix', ''],
    ['', 'equal', ''],
    ['a\\%b%', 'prefix', 'a%b'],
    ['%\\_x', 'suffix', '_x'],
    ['a\\\\%', 'prefix', 'a\\'],
    ['abc\\%', 'equal', 'abc%'],
    ['a_c', 'pattern', 'a_c'],
    ['a%c', 'pattern', 'a%c'],
    ['%a_', 'pattern', '%a_'],
    ['a\\', 'pattern', 'a\\'],
  ];
  for (const [pattern, op, operand] of cases) {
    assert.deepEqual(classifyLikePattern(pattern), { op, operand }, pattern);
  }
});

test('full patterns match whole strings, _ being one byte', () => {
  assert.equal(likePatternMatches('a_c', 'abc'), true);
  assert.equal(likePatternMatches('a_c', 'abbc'), false);
  assert.equal(likePatternMatches('a%c', 'ac'), true);
  assert.equal(likePatternMatches('a%c', 'abxc'), true);
  assert.equal(likePatternMatches('a%c', 'abxcd'), false);
  assert.equal(likePatternMatches('%a%b%', 'xxaxxbxx'), true);
  assert.equal(likePatternMatches('a\\%c', 'a%c'), true);
  assert.equal(likePatternMatches('a\\%c', 'abc'), false);
  // é is two UTF-8 bytes: one _ does not cover it, two do.
  assert.equal(likePatternMatches('_', 'é'), false);
  assert.equal(likePatternMatches('__', 'é'), true);
  assert.equal(likePatternMatches('%', ''), true);
  assert.equal(likePatternMatches('a\\', 'a\\'), true);
});
