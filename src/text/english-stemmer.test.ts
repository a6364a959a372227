import assert from 'node:assert/strict';
import { test } from 'node:test';
import { englishStem } from './english-stemmer.js';

// Pairs from the Snowball English (Porter2) sample vocabulary and its special cases.
const pairs: [string, string][] = [
  ['consign', 'consign'],
  ['consigned', 'consign'],
  ['consigning', 'consign'],
  ['consignment', 'consign'],
  ['consist', 'consist'],
  ['consisted', 'consist'],
  ['consistency', 'consist'],
  ['consistent', 'consist'],
  ['consistently', 'consist'],
  ['consisting', 'consist'],
  ['consists', 'consist'],
  ['consolation', 'consol'],
  ['consolations', 'consol'],
  ['consolatory', 'consolatori'],
  ['console', 'consol'],
  ['consoled', 'consol'],
  ['consoles', 'consol'],
  ['consolidate', 'consolid'],
  ['consolidated', 'consolid'],
  ['consolidating', 'consolid'],
  ['consoling', 'consol'],
  ['consolingly', 'consol'],
  ['knack', 'knack'],
  ['knackeries', 'knackeri'],
  ['kneaded', 'knead'],
  ['kneeling', 'kneel'],
  ['knightly', 'knight'],
  ['knitting', 'knit'],
  ['knives', 'knive'],
  ['knocker', 'knocker'],
  // special words and prefixes
  ['skis', 'ski'],
  ['skies', 'sky'],
  ['dying', 'die'],
  ['news', 'news'],
  ['generously', 'generous'],
  ['communication', 'communic'],
  ['caresses', 'caress'],
  ['ies', 'ie'],
  ['cries', 'cri'],
  // Milvus docs
  ['running', 'run'],
  ['runs', 'run'],
  ['looked', 'look'],
  ['ran', 'ran'],
  ['runner', 'runner'],
  ['database', 'databas'],
  ['scale', 'scale'],
];

test('Snowball English (Porter2) stems', () => {
  for (const [word, expected] of pairs) assert.equal(englishStem(word), expected, word);
});

test('short words, digits and non-English letters pass through unharmed', () => {
  for (const word of ['a', 'is', 'as', '', '2024', '中文', 'x']) assert.equal(englishStem(word), word);
  assert.equal(englishStem('abc123s'), 'abc123');
  // Uppercase letters are not vowels to Snowball: without a lowercase filter little changes.
  assert.equal(englishStem('RUNNING'), 'RUNNING');
});
