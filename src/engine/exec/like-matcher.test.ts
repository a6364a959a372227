import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyLikePattern, likePatternMatches } from '../../expr/like-pattern.js';
import { likeMatcher } from './like-matcher.js';

test('compiled LIKE matchers agree with the reference matcher on bytes, escapes and wildcards', () => {
  const patterns = [
    'a%',
    '%a',
    '%an%',
    'a_p%',
    '_',
    '__',
    '%',
    '',
    'a\\%b',
    'a\\_%',
    '%\\\\%',
    'caf_',
    'caf__',
    '%é%',
    '%%a%%b',
    'a\\',
    '_%_',
    '%😀',
  ];
  const texts = [
    '',
    'a',
    'apple',
    'banana',
    'a%b',
    'a_b',
    'a\\b',
    'café',
    'cafe',
    'é',
    '😀',
    'x😀',
    'ab',
    'aab',
    'a\\',
  ];
  for (const pattern of patterns) {
    const { op, operand } = classifyLikePattern(pattern);
    const matches = likeMatcher(op, operand);
    for (const text of texts) {
      assert.equal(
        matches(text),
        likePatternMatches(pattern, text),
        `${JSON.stringify(text)} like ${JSON.stringify(pattern)}`,
      );
    }
  }
  // A long non-ASCII text grows the reused buffer.
  assert.equal(likeMatcher('pattern', '%é_')(`${'é'.repeat(100)}x`), true);
});
