import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DistanceKernels } from '../../kernels/distance/distance-kernels.js';
import { KernelMemory } from '../../kernels/distance/kernel-memory.js';
import { type Column, DataType, makeFieldSchema } from '../../schema/index.js';
import { makeTempDir } from '../format/format-test-support.js';
import { readSegmentFile, writeSegmentFile } from '../format/segment-file.js';
import { ResidentVectorCache } from '../search/resident-vector-cache.js';
import { KernelVectorAllocator } from './kernel-vector-allocator.js';
import { Segment } from './segment.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const rows = 1000;
const dim = 8;

function contents() {
  const vectors = Float32Array.from({ length: rows * dim }, (_, i) => ((i * 7919) % 1000) / 100 - 5);
  const bits = Uint8Array.from({ length: rows * 2 }, (_, i) => (i * 31) & 0xff);
  const half = Uint16Array.from({ length: rows * dim }, (_, i) => (i % 2 === 0 ? 0x3c00 : 0x4000));
  return {
    segmentId: 5n,
    collectionId: 1,
    partitionId: 2,
    numRows: rows,
    insertTimestamps: BigUint64Array.from({ length: rows }, (_, i) => BigInt(100 + i)),
    columns: new Map<string, Column>([
      ['id', { type: DataType.Int64, values: BigInt64Array.from({ length: rows }, (_, i) => BigInt(i)) }],
      ['v', { type: DataType.FloatVector, dim, values: vectors }],
      ['b', { type: DataType.BinaryVector, dim: 16, values: bits }],
      ['h', { type: DataType.Float16Vector, dim, values: half }],
    ]),
  };
}

async function settle(condition: () => boolean): Promise<boolean> {
  for (let attempt = 0; attempt < 50 && !condition(); attempt++) {
    collectGarbage();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return condition();
}

test('float32 and binary columns are read into kernel memory and scanned in place, without a copy', async () => {
  const { dir, cleanup } = await makeTempDir('kernel-vectors');
  try {
    const path = join(dir, '5.qseg');
    const written = contents();
    await writeSegmentFile(path, written);
    const kernels = DistanceKernels.load(KernelMemory.create());
    const allocator = new KernelVectorAllocator(kernels.memory);
    const before = kernels.memory.allocatedBytes;

    const read = allocator.forRead();
    const loaded = await readSegmentFile(path, { vectorAllocator: read.allocate, expectedSegmentId: 5n });
    read.claim(loaded.columns.values());
    const v = loaded.columns.get('v') as Extract<Column, { type: DataType.FloatVector }>;
    const b = loaded.columns.get('b') as Extract<Column, { type: DataType.BinaryVector }>;
    const h = loaded.columns.get('h') as Extract<Column, { type: DataType.Float16Vector }>;
    assert.deepEqual(Array.from(v.values), Array.from(written.columns.get('v')!.values as Float32Array));
    assert.deepEqual(Array.from(b.values), Array.from(written.columns.get('b')!.values as Uint8Array));
    assert.equal(
      kernels.memory.offsetOf(v.values) !== undefined,
      true,
      'float32 values live in kernel memory',
    );
    assert.equal(
      kernels.memory.offsetOf(b.values) !== undefined,
      true,
      'binary values live in kernel memory',
    );
    assert.equal(
      kernels.memory.offsetOf(h.values),
      undefined,
      'float16 stays out (it is converted for the kernels)',
    );
    assert.ok(h.values.buffer instanceof SharedArrayBuffer);
    const afterRead = kernels.memory.allocatedBytes;
    assert.ok(afterRead - before >= rows * dim * 4 + rows * 2);

    // The cache adopts the column: the lease points at it, and only norms are allocated (on demand).
    const segment = Segment.fromFile(5n, 2, loaded);
    const cache = new ResidentVectorCache(kernels);
    const l2 = cache.acquire(1, segment, 'v', v, false);
    assert.equal(l2.vectors.ptr, kernels.memory.offsetOf(v.values));
    assert.equal(l2.vectors.rows, rows);
    const cosine = cache.acquire(1, segment, 'v', v, true);
    assert.equal(cosine.vectors.ptr, l2.vectors.ptr);
    const norms = kernels.memory.float32(cosine.vectors.invNormsPtr, rows);
    for (const row of [0, 1, 499, rows - 1]) {
      const vector = v.values.subarray(row * dim, (row + 1) * dim);
      const expected = 1 / Math.sqrt(vector.reduce((sum, x) => sum + x * x, 0));
      assert.ok(Math.abs(norms[row]! - expected) < 1e-5 * expected, `inverse norm of row ${row}`);
    }
    assert.ok(kernels.memory.allocatedBytes - afterRead <= rows * 4 + 64, 'only the norms were allocated');
    const binary = cache.acquire(1, segment, 'b', b);
    assert.equal(binary.vectors.ptr, kernels.memory.offsetOf(b.values));

    // Search results through the adopted region equal those over a private copy of the vectors.
    const query = v.values.slice(3 * dim, 4 * dim);
    for (const metric of ['L2', 'COSINE'] as const) {
      const lease = metric === 'L2' ? l2 : cosine;
      const inPlace = kernels.topK({ metric, queries: query, base: lease.vectors, dim, k: 5 });
      const copied = kernels.topK({ metric, queries: query, base: Float32Array.from(v.values), dim, k: 5 });
      assert.deepEqual(Array.from(inPlace.ids), Array.from(copied.ids), metric);
      assert.deepEqual(Array.from(inPlace.scores), Array.from(copied.scores), metric);
      assert.equal(inPlace.ids[0], 3, metric);
    }
    l2.release();
    cosine.release();
    binary.release();
    const beforeDrop = kernels.memory.allocatedBytes;
    cache.dropCollection(1);
    assert.equal(
      beforeDrop - kernels.memory.allocatedBytes,
      Math.ceil((rows * 4) / 64) * 64,
      'dropping the cache frees the norms, not the column',
    );
    assert.deepEqual(
      Array.from(v.values.subarray(0, dim)),
      Array.from((written.columns.get('v')!.values as Float32Array).subarray(0, dim)),
    );
  } finally {
    await cleanup();
  }
});

test('a column region is freed once the column is garbage, and a failed read frees what it took', async () => {
  const { dir, cleanup } = await makeTempDir('kernel-vectors-gc');
  try {
    const path = join(dir, '5.qseg');
    await writeSegmentFile(path, contents());
    const kernels = DistanceKernels.load(KernelMemory.create());
    const allocator = new KernelVectorAllocator(kernels.memory);
    const before = kernels.memory.allocatedBytes;
    await (async () => {
      const read = allocator.forRead();
      const loaded = await readSegmentFile(path, { vectorAllocator: read.allocate });
      read.claim(loaded.columns.values());
      assert.ok(kernels.memory.allocatedBytes > before);
    })();
    assert.ok(await settle(() => kernels.memory.allocatedBytes === before), 'released after collection');

    // Damage the last column's bytes: the read fails after the vector regions were allocated.
    const bytes = Buffer.from(await import('node:fs/promises').then((fs) => fs.readFile(path)));
    bytes[bytes.length - 200] ^= 0xff;
    await writeFile(path, bytes);
    const read = allocator.forRead();
    await assert.rejects(readSegmentFile(path, { vectorAllocator: read.allocate }));
    assert.ok(kernels.memory.allocatedBytes > before, 'regions are held until the caller decides');
    read.abandon();
    assert.equal(kernels.memory.allocatedBytes, before);
  } finally {
    await cleanup();
  }
});

/**
 * A growing segment {id, v: FloatVector(dim)} whose vectors live in a fresh kernel memory;
 * append(first, count) adds rows first..first+count-1, row r's vector being r * dim + (0..dim-1).
 */
function growingSegmentInKernelMemory() {
  const kernels = DistanceKernels.load(KernelMemory.create());
  const allocator = new KernelVectorAllocator(kernels.memory);
  const fields = [
    makeFieldSchema('id', DataType.Int64, { isPrimaryKey: true }),
    makeFieldSchema('v', DataType.FloatVector, { typeParams: { dim: String(dim) } }),
  ];
  const segment = Segment.growing(1n, 1, fields, allocator);
  const append = (first: number, count: number) =>
    segment.append(
      {
        numRows: count,
        columns: new Map<string, Column>([
          [
            'id',
            {
              type: DataType.Int64,
              values: BigInt64Array.from({ length: count }, (_, i) => BigInt(first + i)),
            },
          ],
          [
            'v',
            {
              type: DataType.FloatVector,
              dim,
              values: Float32Array.from({ length: count * dim }, (_, i) => first * dim + i),
            },
          ],
        ]),
      },
      BigInt(first + 1),
      BigInt(first + 1),
    );
  return { kernels, allocator, segment, append };
}

test('a growing segment keeps its vectors in kernel memory; searches follow them as the column moves', async () => {
  const { kernels, segment, append } = growingSegmentInKernelMemory();
  const cache = new ResidentVectorCache(kernels);
  append(0, 100);
  const column = () => segment.column('v') as Extract<Column, { type: DataType.FloatVector }>;
  assert.notEqual(
    kernels.memory.offsetOf(column().values),
    undefined,
    'the growing column is in kernel memory',
  );
  const first = cache.acquire(1, segment, 'v', column(), false);
  assert.equal(first.vectors.ptr, kernels.memory.offsetOf(column().values), 'scanned in place');
  assert.equal(first.vectors.rows, 100);

  // Within the column's capacity (1,024 rows): same region, more rows, still no copy.
  append(100, 200);
  const second = cache.acquire(1, segment, 'v', column(), true);
  assert.equal(second.vectors.ptr, first.vectors.ptr);
  assert.equal(second.vectors.rows, 300);
  const norms = kernels.memory.float32(second.vectors.invNormsPtr, 300);
  const row299 = column().values.subarray(299 * dim, 300 * dim);
  assert.ok(Math.abs(norms[299]! - 1 / Math.hypot(...row299)) < 1e-6);

  // Past it the column moves; the lease taken before still reads the old rows intact.
  append(300, 5000);
  const third = cache.acquire(1, segment, 'v', column(), false);
  assert.notEqual(third.vectors.ptr, first.vectors.ptr);
  assert.equal(third.vectors.ptr, kernels.memory.offsetOf(column().values));
  assert.equal(third.vectors.rows, 5300);
  assert.equal(kernels.memory.float32(third.vectors.ptr + 5299 * dim * 4, dim)[dim - 1], 5300 * dim - 1);
  assert.deepEqual(
    Array.from(kernels.memory.float32(first.vectors.ptr + 99 * dim * 4, dim)),
    Array.from({ length: dim }, (_, i) => 99 * dim + i),
    'the old region is intact while a lease holds it',
  );
  const query = Float32Array.from({ length: dim }, (_, i) => 4321 * dim + i);
  const found = kernels.topK({ metric: 'L2', queries: query, base: third.vectors, dim, k: 1 });
  assert.equal(found.ids[0], 4321);
  for (const lease of [first, second, third]) lease.release();
  // Once nothing holds the old region (lease released, entry retired, views gone), it is freed.
  const held = kernels.memory.allocatedBytes;
  assert.ok(await settle(() => kernels.memory.allocatedBytes < held), 'the moved-from region is released');
});

test("moveColumns puts a merged segment's float32 and binary vectors in kernel memory, values unchanged", () => {
  const kernels = DistanceKernels.load(KernelMemory.create());
  const allocator = new KernelVectorAllocator(kernels.memory);
  const columns = contents().columns;
  const before = new Map(
    [...columns].map(([name, column]) => [name, Array.from(column.values as ArrayLike<number>)]),
  );
  const ids = columns.get('id');
  allocator.moveColumns(columns);
  for (const name of ['v', 'b']) {
    const moved = columns.get(name)!;
    assert.notEqual(kernels.memory.offsetOf(moved.values as ArrayBufferView), undefined, `${name} moved`);
    assert.deepEqual(Array.from(moved.values as ArrayLike<number>), before.get(name), `${name} values`);
  }
  assert.equal(
    kernels.memory.offsetOf(columns.get('h')!.values as ArrayBufferView),
    undefined,
    'float16 stays',
  );
  assert.equal(columns.get('id'), ids, 'scalar columns are left alone');
  const ptr = kernels.memory.offsetOf(columns.get('v')!.values as ArrayBufferView);
  allocator.moveColumns(columns);
  assert.equal(
    kernels.memory.offsetOf(columns.get('v')!.values as ArrayBufferView),
    ptr,
    'already there: not moved again',
  );
});

test('a growing column with free space after it grows in place: no copy, no second region', () => {
  const { kernels, segment, append } = growingSegmentInKernelMemory();
  append(0, 1000);
  const ptr = kernels.memory.offsetOf(segment.column('v')!.values as ArrayBufferView);
  const early = segment.column('v')!.values as Float32Array;
  for (let first = 1000; first < 20_000; first += 1000) append(first, 1000);
  const values = segment.column('v')!.values as Float32Array;
  assert.equal(kernels.memory.offsetOf(values), ptr, 'the column never moved');
  assert.equal(values.length, 20_000 * dim);
  assert.equal(values[19_999 * dim + 3], 19_999 * dim + 3);
  assert.equal(early[999 * dim], 999 * dim, 'a view taken before the growth still reads its rows');
  assert.ok(kernels.memory.allocatedBytes <= 32_768 * dim * 4, 'one region of the final capacity');
});
