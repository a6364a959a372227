import assert from 'node:assert/strict';
import { test } from 'node:test';
import { synsetDocument } from './english-corpus.js';

test('a WordNet data line becomes "words: gloss"', () => {
  const line =
    '00001740 29 v 04 breathe 0 take_a_breath 0 respire 0 suspire 3 021 * 00005041 v 0000 ~ 00017031 v 0000 02 + 02 00 + 08 00 | draw air into, and expel out of, the lungs; "I can breathe better when the air is clean"  ';
  assert.equal(
    synsetDocument(line),
    'breathe, take a breath, respire, suspire: draw air into, and expel out of, the lungs; "I can breathe better when the air is clean"',
  );
});

test('adjective markers are dropped, word counts are hexadecimal, license lines are skipped', () => {
  const words = Array.from({ length: 16 }, (_, i) => `w${i} 0`).join(' ');
  assert.equal(synsetDocument(`00000001 00 s 10 ${words} 000 | many`)?.split(', ').length, 16);
  assert.equal(
    synsetDocument('00021110 00 s 01 galore(ip) 0 000 | in great numbers'),
    'galore: in great numbers',
  );
  assert.equal(synsetDocument('  1 This software and database is being provided to you'), undefined);
  assert.equal(synsetDocument(''), undefined);
});
