import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareMetaKeys } from './compare-meta-keys.js';

function utf8Compare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

test('compareMetaKeys orders by code point, not by UTF-16 code unit', () => {
  // U+E000 sorts before U+1F600 by code point, after it by UTF-16 unit (0xD83D < 0xE000).
  assert.ok(compareMetaKeys('\uE000', '\u{1F600}') < 0);
  assert.ok(compareMetaKeys('\u{1F600}', '\uE000') > 0);
  assert.ok(compareMetaKeys('\uFFFF', '\u{10000}') < 0);
  assert.ok(compareMetaKeys('a', 'ab') < 0);
  assert.ok(compareMetaKeys('ab', 'a') > 0);
  assert.equal(compareMetaKeys('a/\u{1F600}', 'a/\u{1F600}'), 0);
  assert.ok(compareMetaKeys('B', 'a') < 0);
});

test('compareMetaKeys agrees with UTF-8 byte order on a mixed set of keys', () => {
  const keys = [
    '',
    'a',
    'a/',
    'a/b',
    'ab',
    'Z',
    '\u00e9',
    'e\u0301',
    '\u4e2d\u6587',
    '\uE000',
    '\uFFFD',
    '\uFFFF',
    '\u{10000}',
    '\u{1F600}',
    '\u{1F600}x',
    '\u{10FFFF}',
    '10',
    '9',
    '__proto__',
  ];
  for (const a of keys) {
    for (const b of keys) {
      assert.equal(
        Math.sign(compareMetaKeys(a, b)),
        utf8Compare(a, b),
        `${JSON.stringify(a)} vs ${JSON.stringify(b)}`,
      );
    }
  }
});
