import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryMetaStore } from '../../storage/memory/memory-meta-store.js';
import { composeTimestamp, logicalOf, physicalMsOf, TimestampOracle } from './timestamp-oracle.js';

test('timestamps are physical ms << 18 plus a logical counter, strictly increasing', async () => {
  const store = new MemoryMetaStore();
  await store.open();
  let now = 1_700_000_000_000;
  const oracle = await TimestampOracle.open(store, () => now);
  const a = await oracle.allocate();
  const b = await oracle.allocate();
  assert.equal(physicalMsOf(a), now);
  assert.equal(logicalOf(a), 0);
  assert.equal(logicalOf(b), 1);
  now += 5;
  const c = await oracle.allocate();
  assert.equal(c, composeTimestamp(now, 0));
});

test('the clock stepping back never makes timestamps go back, also across a restart', async () => {
  const store = new MemoryMetaStore();
  await store.open();
  let now = 1_700_000_000_000;
  const first = await TimestampOracle.open(store, () => now);
  let last = 0n;
  for (let i = 0; i < 1000; i++) {
    const ts = await first.allocate();
    assert.ok(ts > last);
    last = ts;
    if (i % 100 === 0) now += 1000;
  }
  now -= 60_000; // NTP step back, then a restart
  const second = await TimestampOracle.open(store, () => now);
  const after = await second.allocate();
  assert.ok(after > last, `${after} must exceed ${last}`);
});

test('an exhausted logical counter borrows the next millisecond', async () => {
  const store = new MemoryMetaStore();
  await store.open();
  const now = 1_700_000_000_000;
  const oracle = await TimestampOracle.open(store, () => now);
  let last = 0n;
  for (let i = 0; i < (1 << 18) + 10; i++) {
    const ts = await oracle.allocate();
    if (ts <= last) assert.fail(`not increasing at ${i}`);
    last = ts;
  }
  assert.equal(physicalMsOf(last), now + 1);
});
