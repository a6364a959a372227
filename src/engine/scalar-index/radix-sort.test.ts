import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../../kernels/seeded-random.js';
import { radixSort } from './radix-sort.js';

const identity = (count: number) => Uint32Array.from({ length: count }, (_, i) => i);

test('radixSort sorts 32- and 64-bit unsigned keys stably, carrying the payload', () => {
  const random = seededRandom(3);
  for (const count of [0, 1, 2, 17, 5000]) {
    for (const wide of [false, true]) {
      const lo = Uint32Array.from({ length: count }, () =>
        random() < 0.5 ? Math.floor(random() * 5) : Math.floor(random() * 2 ** 32),
      );
      const hi = wide
        ? Uint32Array.from({ length: count }, () => Math.floor(random() * 3) * 0x7fff_ffff)
        : undefined;
      const high = (i: number) => (hi === undefined ? 0 : hi[i]!);
      const expected = Array.from({ length: count }, (_, i) => i).sort(
        (a, b) => high(a) - high(b) || lo[a]! - lo[b]! || a - b,
      );
      const sorted = radixSort(lo.slice(), hi?.slice(), identity(count));
      assert.deepEqual(Array.from(sorted.payload), expected, `${count} keys, ${wide ? 64 : 32} bits`);
      assert.deepEqual(
        Array.from(sorted.lo),
        expected.map((i) => lo[i]!),
      );
      if (hi !== undefined)
        assert.deepEqual(
          Array.from(sorted.hi!),
          expected.map((i) => hi[i]!),
        );
    }
  }
});

test('radixSort skips digits that never vary and keeps equal keys in input order', () => {
  const years = radixSort(
    Uint32Array.from([2025, 1990, 2025, 2000, 1990]),
    undefined,
    Uint32Array.from([10, 11, 12, 13, 14]),
  );
  assert.deepEqual(Array.from(years.payload), [11, 14, 13, 10, 12]);
  assert.deepEqual(Array.from(years.lo), [1990, 1990, 2000, 2025, 2025]);
  const same = radixSort(new Uint32Array(4).fill(7), new Uint32Array(4), identity(4));
  assert.deepEqual(Array.from(same.payload), [0, 1, 2, 3]);
});
