import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TransientArena } from './transient-arena.js';

test('regions are aligned, disjoint until reset, reused after it, and survive growth', () => {
  const arena = new TransientArena();
  const a = arena.allocate(13) as Uint8Array;
  const b = arena.allocate(100) as Uint8Array;
  assert.equal(a.byteOffset % 8, 0);
  assert.equal(b.byteOffset % 8, 0);
  assert.equal(b.byteOffset, 16, 'right after the first, rounded up to 8 bytes');
  a.fill(1);
  b.fill(2);
  // Bigger than the buffer: a new one; regions from before keep their contents.
  const big = arena.allocate(3 << 20) as Uint8Array;
  big.fill(3);
  assert.equal(a[12], 1);
  assert.equal(b[99], 2);
  assert.notEqual(big.buffer, a.buffer);
  arena.reset();
  const again = arena.allocate(8) as Uint8Array;
  assert.equal(again.buffer, big.buffer, 'after a reset the current buffer is reused from its start');
  assert.equal(again.byteOffset, 0);
});
