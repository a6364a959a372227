import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DistanceKernels } from '../../kernels/distance/distance-kernels.js';
import { KernelMemory } from '../../kernels/distance/kernel-memory.js';
import { seededRandom } from '../../kernels/seeded-random.js';
import {
  type CollectionSchema,
  type Column,
  DataType,
  makeFieldSchema,
  type SparseVector,
} from '../../schema/index.js';
import { CollectionData } from '../collection/collection-data.js';
import { Segment } from '../segment/segment.js';
import { KernelWorkerPool } from '../workers/kernel-worker-pool.js';
import { bm25Search } from './bm25-search.js';
import { SparseIndexCache } from './sparse-index-cache.js';
import { sparseSearch } from './sparse-search.js';

const schema: CollectionSchema = {
  name: 's',
  description: '',
  autoId: false,
  enableDynamicField: false,
  functions: [],
  fields: [
    makeFieldSchema('id', DataType.Int64, { isPrimaryKey: true }),
    makeFieldSchema('sparse', DataType.SparseFloatVector),
  ],
};

function randomRows(count: number, seed: number): SparseVector[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const dims = [
      ...new Set(Array.from({ length: 1 + Math.floor(random() * 6) }, () => Math.floor(random() * 40))),
    ];
    dims.sort((a, b) => a - b);
    return {
      indices: Uint32Array.from(dims),
      values: Float32Array.from(dims, () => 1 + Math.floor(random() * 3)),
    };
  });
}

test('sealed segments get their sparse index built on a worker; results equal the exact scan', async () => {
  const rows = randomRows(3000, 9);
  const data = new CollectionData(1, schema, [1]);
  const columns = new Map<string, Column>([
    ['id', { type: DataType.Int64, values: BigInt64Array.from(rows, (_, i) => BigInt(i)) }],
    ['sparse', { type: DataType.SparseFloatVector, values: rows }],
  ]);
  data.addLoadedSegment(
    Segment.fromFile(1n, 1, {
      columns,
      insertTimestamps: new BigUint64Array(rows.length).fill(1n),
      numRows: rows.length,
    }),
  );
  const kernels = DistanceKernels.load(KernelMemory.create());
  const pool = KernelWorkerPool.start(kernels.memory, 1);
  const cache = new SparseIndexCache(pool);
  try {
    const segment = data.segments()[0]!;
    assert.equal(cache.get(segment, 'sparse', 0), undefined, 'not built yet: the first search scans');
    await cache.whenIdle();
    assert.ok(cache.get(segment, 'sparse', 0), 'built');
    assert.equal(cache.builds, 1);

    const queries = randomRows(5, 10);
    const request = {
      fieldName: 'sparse',
      queries,
      k: 15,
      filter: { kind: 'alwaysTrue' as const },
      readTs: 5n,
    };
    const exact = sparseSearch(data, request);
    for (const algorithm of ['taat', 'wand', 'maxscore'] as const) {
      const indexed = sparseSearch(data, {
        ...request,
        index: { algorithm, dropRatioBuild: 0 },
        sparseIndexes: cache,
      });
      assert.deepEqual(
        indexed.map((hits) => hits.map((h) => [h.ref.row, h.score])),
        exact.map((hits) => hits.map((h) => [h.ref.row, h.score])),
        algorithm,
      );
    }
    const bm25 = { ...request, k1: 1.2, b: 0.75 };
    const exactBm25 = bm25Search(data, bm25);
    const indexedBm25 = bm25Search(data, { ...bm25, algorithm: 'wand', sparseIndexes: cache });
    assert.deepEqual(
      indexedBm25.map((hits) => hits.map((h) => [h.ref.row, h.score])),
      exactBm25.map((hits) => hits.map((h) => [h.ref.row, h.score])),
    );
  } finally {
    await pool.close();
  }
});
