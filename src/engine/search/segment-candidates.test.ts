import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isCandidate } from '../../kernels/distance/candidate-bitset.js';
import { packMask } from './segment-candidates.js';

test('packMask packs a 0/1 byte mask into LSB-first kernel bits and counts them', () => {
  for (const length of [0, 1, 7, 8, 9, 63, 64, 65, 1000]) {
    const mask = Uint8Array.from({ length }, (_, i) => ((i * 7) % 3 === 0 ? 1 : 0));
    const { bits, count } = packMask(mask);
    assert.equal(bits!.length, Math.ceil(length / 8));
    assert.equal(
      count,
      mask.reduce((sum, v) => sum + v, 0),
    );
    for (let i = 0; i < length; i++) assert.equal(isCandidate(bits!, i), mask[i] === 1);
  }
});
