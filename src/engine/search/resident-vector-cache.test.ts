import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DistanceKernels } from '../../kernels/distance/distance-kernels.js';
import { KernelMemory } from '../../kernels/distance/kernel-memory.js';
import { type ColumnBatch, DataType, makeFieldSchema } from '../../schema/index.js';
import { Segment } from '../segment/segment.js';
import { ResidentVectorCache } from './resident-vector-cache.js';

const fields = [
  makeFieldSchema('id', DataType.Int64, { isPrimaryKey: true }),
  makeFieldSchema('v', DataType.FloatVector, { typeParams: { dim: '4' } }),
  makeFieldSchema('h', DataType.Float16Vector, { typeParams: { dim: '4' } }),
];

function batch(first: number, count: number): ColumnBatch {
  const v = Float32Array.from({ length: count * 4 }, (_, i) => first * 4 + i);
  // float16 bits of 1.0 (0x3c00) and 2.0 (0x4000), alternating.
  const h = Uint16Array.from({ length: count * 4 }, (_, i) => (i % 2 === 0 ? 0x3c00 : 0x4000));
  return {
    numRows: count,
    columns: new Map<string, never>([
      ['id', { type: DataType.Int64, values: new BigInt64Array(count) } as never],
      ['v', { type: DataType.FloatVector, dim: 4, values: v } as never],
      ['h', { type: DataType.Float16Vector, dim: 4, values: h } as never],
    ]),
  };
}

test('a growing segment stays resident as it grows; replaced regions wait for their last lease', () => {
  const kernels = DistanceKernels.load(KernelMemory.create());
  const cache = new ResidentVectorCache(kernels);
  const segment = Segment.growing(1n, 1, fields);
  segment.append(batch(0, 10), 1n, 1n);

  const first = cache.acquire(7, segment, 'v', segment.column('v')!);
  assert.equal(first.vectors.rows, 10);
  assert.deepEqual(
    Array.from(kernels.memory.float32(first.vectors.ptr, 40)),
    Array.from({ length: 40 }, (_, i) => i),
  );
  const bytesAfterFirst = cache.bytes;

  // Appending within the capacity extends the same region.
  segment.append(batch(10, 20), 2n, 2n);
  const second = cache.acquire(7, segment, 'v', segment.column('v')!);
  assert.equal(second.vectors.ptr, first.vectors.ptr);
  assert.equal(second.vectors.rows, 30);
  assert.equal(kernels.memory.float32(second.vectors.ptr + 29 * 16, 4)[3], 119);
  second.release();

  // Outgrowing it moves to a larger region; the old one is kept while `first` holds it.
  segment.append(batch(30, 3000), 3n, 3n);
  const third = cache.acquire(7, segment, 'v', segment.column('v')!);
  assert.notEqual(third.vectors.ptr, first.vectors.ptr);
  assert.equal(third.vectors.rows, 3030);
  assert.equal(kernels.memory.float32(third.vectors.ptr + 3029 * 16, 4)[3], 3030 * 4 - 1);
  assert.equal(kernels.memory.float32(first.vectors.ptr, 4)[1], 1, 'the old region is still intact');
  const bytesWithBoth = cache.bytes;
  assert.ok(bytesWithBoth > bytesAfterFirst);
  first.release();
  assert.ok(cache.bytes < bytesWithBoth, 'the old region is freed with its last lease');
  third.release();

  // Inverse norms were computed for the first rows and the appended ones.
  const lease = cache.acquire(7, segment, 'v', segment.column('v')!);
  const norms = kernels.memory.float32(lease.vectors.invNormsPtr, 3);
  assert.ok(Math.abs(norms[0]! - 1 / Math.hypot(0, 1, 2, 3)) < 1e-6);
  assert.ok(Math.abs(norms[2]! - 1 / Math.hypot(8, 9, 10, 11)) < 1e-6);
  lease.release();

  // float16 is converted to float32 on the way in.
  const half = cache.acquire(7, segment, 'h', segment.column('h')!);
  assert.deepEqual(Array.from(kernels.memory.float32(half.vectors.ptr, 4)), [1, 2, 1, 2]);
  half.release();

  // Segments gone from the collection are freed.
  cache.sweep(7, new Set());
  assert.equal(cache.bytes, 0);
});

test('warm copies a sealed segment ahead of its first search, a slice per event-loop turn', async () => {
  const kernels = DistanceKernels.load(KernelMemory.create());
  const cache = new ResidentVectorCache(kernels);
  const rows = 300_000;
  const values = Float32Array.from({ length: rows * 4 }, (_, i) => i % 1000);
  const segment = Segment.fromFile(2n, 1, {
    columns: new Map([['v', { type: DataType.FloatVector, dim: 4, values } as never]]),
    insertTimestamps: new BigUint64Array(rows).fill(1n),
    numRows: rows,
  });
  // 4.8 MB is more than one 4 MiB slice: the callback queued before the warm-up runs between slices.
  let servedBetweenSlices = false;
  const warming = cache.warm(7, segment, 'v', segment.column('v')!);
  setImmediate(() => {
    servedBetweenSlices = true;
  });
  await warming;
  assert.ok(servedBetweenSlices, 'the event loop ran other work while the copy went on');
  const bytesAfterWarm = cache.bytes;
  const lease = cache.acquire(7, segment, 'v', segment.column('v')!);
  assert.equal(cache.bytes, bytesAfterWarm, 'the search found everything already resident');
  assert.deepEqual(
    Array.from(kernels.memory.float32(lease.vectors.ptr + (rows - 1) * 16, 4)),
    Array.from(values.subarray(-4)),
  );
  lease.release();
});
