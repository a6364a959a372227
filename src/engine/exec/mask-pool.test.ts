import assert from 'node:assert/strict';
import { test } from 'node:test';
import { acquireBuffer, pooledByteCount, recycleBuffer } from './mask-pool.js';

test('pooled buffers come back zero-filled, are reused, and the pool stays within its budget', () => {
  const first = acquireBuffer(10_000);
  assert.equal(first.length, 10_000);
  assert.equal(first.byteOffset, 0);
  first.fill(7);
  const before = pooledByteCount();
  recycleBuffer(first);
  assert.equal(pooledByteCount(), before + 16384);
  const second = acquireBuffer(9_000);
  assert.equal(second.buffer, first.buffer, 'same capacity class: reused');
  assert.ok(second.every((byte) => byte === 0));
  assert.equal(pooledByteCount(), before);
  // Far more than the budget: most are dropped rather than kept.
  const many = Array.from({ length: 40 }, () => acquireBuffer(2 * 1024 * 1024));
  for (const buffer of many) recycleBuffer(buffer);
  assert.ok(pooledByteCount() <= 32 * 1024 * 1024);
});
