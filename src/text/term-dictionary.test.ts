import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TermDictionary } from './term-dictionary.js';

test('ids are dense, stable and in order of first insertion', () => {
  const dictionary = new TermDictionary();
  assert.equal(dictionary.getOrAdd('milvus'), 0);
  assert.equal(dictionary.getOrAdd('vector'), 1);
  assert.equal(dictionary.getOrAdd('milvus'), 0);
  assert.equal(dictionary.getOrAdd('中文'), 2);
  assert.equal(dictionary.size, 3);
  assert.equal(dictionary.id('vector'), 1);
  assert.equal(dictionary.id('unknown'), -1);
  assert.equal(dictionary.term(2), '中文');
  assert.throws(() => dictionary.term(3), RangeError);
});

test('toBytes / fromBytes round trip keeps every id', () => {
  const dictionary = new TermDictionary();
  const words = [
    '',
    'a',
    'café',
    '😀',
    '中文',
    'x'.repeat(1000),
    ...Array.from({ length: 500 }, (_, i) => `w${i}`),
  ];
  for (const word of words) dictionary.getOrAdd(word);
  const bytes = dictionary.toBytes();
  const copy = TermDictionary.fromBytes(bytes);
  assert.equal(copy.size, words.length);
  words.forEach((word, id) => {
    assert.equal(copy.id(word), id);
    assert.equal(copy.term(id), word);
  });
  assert.deepEqual(copy.toBytes(), bytes);
  // Still growable after loading.
  assert.equal(copy.getOrAdd('new'), words.length);
  // Works on a view into a larger buffer.
  const padded = new Uint8Array(bytes.length + 8);
  padded.set(bytes, 4);
  assert.equal(TermDictionary.fromBytes(padded.subarray(4, 4 + bytes.length)).size, words.length);
});

test('fromBytes rejects foreign, truncated or padded bytes', () => {
  const dictionary = new TermDictionary();
  dictionary.getOrAdd('alpha');
  dictionary.getOrAdd('beta');
  const bytes = dictionary.toBytes();
  assert.throws(() => TermDictionary.fromBytes(new Uint8Array(16)), /bad magic/);
  assert.throws(() => TermDictionary.fromBytes(bytes.subarray(0, bytes.length - 1)), /truncated/);
  const longer = new Uint8Array(bytes.length + 1);
  longer.set(bytes);
  assert.throws(() => TermDictionary.fromBytes(longer), /trailing/);
  const newer = bytes.slice();
  newer[4] = 9;
  assert.throws(() => TermDictionary.fromBytes(newer), /version 9/);
});

test('an empty dictionary round trips', () => {
  assert.equal(TermDictionary.fromBytes(new TermDictionary().toBytes()).size, 0);
});
