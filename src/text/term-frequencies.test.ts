import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAnalyzer } from './analyzer.js';
import { TermDictionary } from './term-dictionary.js';
import { termFrequencies } from './term-frequencies.js';

const english = createAnalyzer({ type: 'english' });

test('counts terms by id with indices sorted ascending', () => {
  const dictionary = new TermDictionary();
  dictionary.getOrAdd('zebra'); // id 0, so ids are not in text order below
  const tf = termFrequencies(english, dictionary, 'Running dogs run; the dog runs and runs. Zebras!');
  // english: run dog run dog run run zebra (stop words "the", "and" removed)
  const byTerm = Object.fromEntries([...tf.indices].map((id, i) => [dictionary.term(id), tf.values[i]]));
  assert.deepEqual(byTerm, { zebra: 1, run: 4, dog: 2 });
  assert.deepEqual(
    [...tf.indices],
    [...tf.indices].sort((a, b) => a - b),
  );
  assert.equal(tf.length, 7);
  assert.ok(tf.indices instanceof Uint32Array && tf.values instanceof Float32Array);
});

test('addTerms: false leaves unknown terms out of the vector but counts them in length', () => {
  const dictionary = new TermDictionary();
  termFrequencies(english, dictionary, 'vector database');
  const size = dictionary.size;
  const query = termFrequencies(english, dictionary, 'fast vector databases', { addTerms: false });
  assert.equal(dictionary.size, size);
  assert.deepEqual(
    [...query.indices],
    [dictionary.id('vector'), dictionary.id('databas')].sort((a, b) => a - b),
  );
  assert.deepEqual([...query.values], [1, 1]);
  assert.equal(query.length, 3);
});

test('empty and stop-word-only text give an empty vector of length 0', () => {
  const dictionary = new TermDictionary();
  for (const text of ['', 'the and of', '...']) {
    const tf = termFrequencies(english, dictionary, text);
    assert.equal(tf.indices.length, 0);
    assert.equal(tf.values.length, 0);
    assert.equal(tf.length, 0);
  }
  assert.equal(dictionary.size, 0);
});
