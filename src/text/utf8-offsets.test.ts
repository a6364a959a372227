import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Utf8Offsets, utf8Length } from './utf8-offsets.js';

test('byte offsets agree with Buffer on every code point boundary', () => {
  const text = 'aé中😀b\u{10ffff}ß\u0000z';
  const offsets = new Utf8Offsets(text);
  let index = 0;
  for (const char of text) {
    assert.equal(offsets.byteOffset(index), Buffer.byteLength(text.slice(0, index)), `index ${index}`);
    index += char.length;
  }
  assert.equal(offsets.byteOffset(text.length), Buffer.byteLength(text));
  assert.equal(utf8Length(text), Buffer.byteLength(text));
});

test('lone surrogates count as U+FFFD (3 bytes), as the UTF-8 encoder writes them', () => {
  for (const text of ['\ud800', 'a\udc00b', '\ud83d'])
    assert.equal(utf8Length(text), Buffer.byteLength(text));
});
