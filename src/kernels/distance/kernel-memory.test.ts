import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KernelMemory } from './kernel-memory.js';
import { webAssembly } from './web-assembly.js';

const HEAP_START = 65536;

test('allocations are 64-byte aligned, above page 0, disjoint and counted', () => {
  const memory = KernelMemory.create();
  const sizes = [1, 64, 65, 1000, 0, 4096];
  const regions = sizes.map((size) => ({
    ptr: memory.allocate(size),
    size: Math.max(64, Math.ceil(size / 64) * 64),
  }));
  for (const region of regions) {
    assert.equal(region.ptr % 64, 0);
    assert.ok(region.ptr >= HEAP_START);
  }
  const sorted = [...regions].sort((a, b) => a.ptr - b.ptr);
  for (let i = 1; i < sorted.length; i++)
    assert.ok(sorted[i - 1]!.ptr + sorted[i - 1]!.size <= sorted[i]!.ptr);
  assert.equal(
    memory.allocatedBytes,
    regions.reduce((total, region) => total + region.size, 0),
  );
});

test('released space is reused first-fit, split, and merged back', () => {
  const memory = KernelMemory.create();
  const a = memory.allocate(1024);
  const b = memory.allocate(4096);
  const c = memory.allocate(1024);
  memory.release(b);
  const small = memory.allocate(1000);
  assert.equal(small, b, 'the first free region that fits is reused');
  const rest = memory.allocate(3000);
  assert.equal(rest, b + 1024, 'the remainder of the split region is reused');
  memory.release(small);
  memory.release(rest);
  memory.release(a);
  memory.release(c);
  assert.equal(memory.allocatedBytes, 0);
  assert.equal(memory.allocate(8192), HEAP_START, 'everything merged back into one free space');
});

test('releasing something that is not an allocated region throws', () => {
  const memory = KernelMemory.create();
  const ptr = memory.allocate(100);
  assert.throws(() => memory.release(ptr + 64), RangeError);
  memory.release(ptr);
  assert.throws(() => memory.release(ptr), RangeError, 'double release');
  assert.throws(() => memory.allocate(-1), RangeError);
  assert.throws(() => memory.allocate(1.5), RangeError);
});

test('the memory grows on demand up to its maximum, and old views stay valid', () => {
  const memory = KernelMemory.create({ initialBytes: 65536, maximumBytes: 4 << 20 });
  const first = memory.allocate(1024);
  const view = memory.float32(first, 256);
  view[7] = 42;
  const big = memory.allocate(2 << 20);
  assert.ok(memory.sizeBytes >= big + (2 << 20));
  assert.equal(view[7], 42, 'a view made before growth still reads the same memory');
  memory.float32(first, 256)[8] = 43;
  assert.equal(view[8], 43);
  assert.throws(() => memory.allocate(8 << 20), /kernel memory exhausted/);
  // A failed allocation leaves the allocator usable.
  const after = memory.allocate(1024);
  assert.ok(after > first);
  memory.release(big);
  assert.equal(memory.allocate(1 << 20), big);
});

test('attach joins a KernelMemory and rejects other memories', () => {
  const owner = KernelMemory.create();
  const ptr = owner.allocate(128);
  const joined = KernelMemory.attach(owner.memory);
  assert.equal(joined.allocatedBytes, 128);
  assert.notEqual(joined.allocate(128), ptr);
  assert.throws(
    () => KernelMemory.attach(new webAssembly.Memory({ initial: 1, maximum: 2, shared: true })),
    TypeError,
  );
  assert.throws(() => KernelMemory.attach(new webAssembly.Memory({ initial: 1 })), TypeError);
});

test('extend grows a region in place into the space after it, or refuses and changes nothing', () => {
  const memory = KernelMemory.create({ initialBytes: 1 << 16, maximumBytes: 8 << 20 });
  const a = memory.allocate(1000);
  memory.uint8(a, 1000).fill(5);
  // The last region grows into the heap top (and the memory grows with it).
  assert.equal(memory.extend(a, 3 << 20), true);
  assert.ok(memory.sizeBytes >= a + (3 << 20));
  assert.equal(memory.uint8(a, 1000)[999], 5, 'contents kept');
  assert.equal(memory.allocatedBytes, 3 << 20);
  const b = memory.allocate(64);
  assert.equal(b, a + (3 << 20), 'the next allocation comes after the extended region');
  // Blocked by a region in use: refused, nothing changes.
  assert.equal(memory.extend(a, (3 << 20) + 64), false);
  assert.equal(memory.allocatedBytes, (3 << 20) + 64);
  // Into a free neighbour: partly, then exactly.
  const c = memory.allocate(640);
  const d = memory.allocate(64);
  memory.release(c);
  assert.equal(memory.extend(b, 64 + 320), true);
  const e = memory.allocate(320);
  assert.equal(e, b + 384, 'the rest of the free neighbour is still free');
  memory.release(e);
  assert.equal(memory.extend(b, 64 + 640), true);
  assert.equal(memory.allocate(64) > d, true, 'no free space left between b and d');
  // Shrinking requests are no-ops; growing past the maximum is refused.
  assert.equal(memory.extend(b, 64), true);
  assert.equal(memory.extend(d, 64 << 20), false);
  assert.throws(() => memory.extend(b + 64, 128), /not an allocated kernel memory region/);
});
