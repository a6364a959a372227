import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DistanceKernels } from '../../kernels/distance/distance-kernels.js';
import { KernelMemory } from '../../kernels/distance/kernel-memory.js';
import { seededRandom } from '../../kernels/seeded-random.js';
import { type CollectionSchema, type ColumnBatch, DataType, makeFieldSchema } from '../../schema/index.js';
import { LocalMetaStore } from '../../storage/local/local-meta-store.js';
import { ResidentVectorCache } from '../search/resident-vector-cache.js';
import { VectorSearcher } from '../search/vector-search.js';
import { StorageEngine } from '../storage-engine.js';
import { KernelWorkerPool } from '../workers/kernel-worker-pool.js';
import { VectorIndexManager, type VectorIndexSpec } from './vector-index-manager.js';

const DIM = 8;
const schema: CollectionSchema = {
  name: 'c',
  description: '',
  autoId: false,
  enableDynamicField: false,
  functions: [],
  fields: [
    makeFieldSchema('id', DataType.Int64, { isPrimaryKey: true }),
    makeFieldSchema('v', DataType.FloatVector, { typeParams: { dim: String(DIM) }, fieldId: 101 }),
  ],
};
const spec: VectorIndexSpec = {
  fieldName: 'v',
  fieldId: 101,
  build: { indexType: 'IVF_FLAT', metric: 'L2', params: { nlist: 4 } },
};
const random = seededRandom(5);

function batch(first: number, count: number): ColumnBatch {
  return {
    numRows: count,
    columns: new Map<string, never>([
      [
        'id',
        {
          type: DataType.Int64,
          values: BigInt64Array.from({ length: count }, (_, i) => BigInt(first + i)),
        } as never,
      ],
      [
        'v',
        {
          type: DataType.FloatVector,
          dim: DIM,
          values: Float32Array.from({ length: count * DIM }, random),
        } as never,
      ],
    ]),
  };
}

/** An engine, its search runtime and a vector index manager on a data directory. */
async function open(dir: string, clock: { t: bigint }) {
  const meta = new LocalMetaStore(join(dir, 'meta'));
  await meta.open();
  let manager: VectorIndexManager | undefined;
  const engine = await StorageEngine.open(
    {
      dataDir: dir,
      metaStore: meta,
      allocateTimestamp: async () => clock.t++ << 18n,
      sealRows: 200,
      compactionMinSegments: 3,
      onSegmentsChanged: (id) => manager?.reconcile(id),
    },
    [{ id: 1, schema, partitionIds: [10] }],
  );
  const kernels = DistanceKernels.load(KernelMemory.create());
  const residents = new ResidentVectorCache(kernels);
  const searchPool = KernelWorkerPool.start(kernels.memory, 1);
  const buildPool = KernelWorkerPool.start(kernels.memory, 1);
  manager = new VectorIndexManager({
    collection: (id) => (engine.hasCollection(id) ? engine.collection(id) : undefined),
    indexPath: (c, s, f) => engine.vectorIndexPath(c, s, f),
    kernels,
    residents,
    buildPool,
  });
  const searcher = new VectorSearcher(searchPool, residents, kernels, undefined, manager);
  const close = async () => {
    await manager!.close();
    await searchPool.close();
    await buildPool.close();
    await engine.close();
    await meta.close();
  };
  return { engine, manager, searcher, close };
}

const indexFiles = async (dir: string) =>
  (await readdir(join(dir, 'collections', '1')).catch(() => [] as string[]))
    .filter((f) => f.endsWith('.qvix'))
    .sort();

test('indexes follow sealing, compaction and restarts; deleted rows are never returned', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'quiver-vindex-'));
  const clock = { t: 1000n };
  try {
    let node = await open(dir, clock);
    for (let i = 0; i < 3; i++) {
      await node.engine.insert(1, [{ partitionId: 10, batch: batch(i * 50, 50) }]);
      await node.engine.flush([1]);
    }
    node.manager.setSpecs(1, [spec]);
    await node.manager.whenIdle();
    assert.equal(node.manager.builds, 3);
    assert.deepEqual(node.manager.progress(1, 'v'), {
      indexedRows: 150,
      totalRows: 150,
      pendingRows: 0,
      state: 'Finished',
      failReason: '',
    });
    const before = await indexFiles(dir);
    assert.equal(before.length, 3);

    // Compaction merges the three small segments: the merged one gets an index, the old files go.
    await node.engine.compact(1);
    await node.manager.whenIdle();
    const after = await indexFiles(dir);
    assert.equal(after.length, 1);
    assert.ok(!before.includes(after[0]!));
    assert.equal(node.manager.builds, 4);

    // Deleted rows are excluded by the candidate bitset on the index path too.
    await node.engine.delete(1, [0n, 1n, 2n, 3n]);
    const data = node.engine.collection(1);
    const segment = data.segments()[0]!;
    const query = (segment.column('v')!.values as Float32Array).slice(0, DIM); // row of id 0
    const search = () =>
      node.searcher.search(data, {
        collectionId: 1,
        fieldName: 'v',
        metric: 'L2',
        queries: query,
        nq: 1,
        dim: DIM,
        k: 20,
        filter: { kind: 'alwaysTrue' },
        readTs: node.engine.lastAppliedTimestamp,
        annParams: { nprobe: 4 },
      });
    const ids = (await search()).hits[0]!.map((hit) =>
      Number((hit.ref.segment.column('id')!.values as BigInt64Array)[hit.ref.row]),
    );
    assert.equal(ids.length, 20);
    for (const deleted of [0, 1, 2, 3]) assert.ok(!ids.includes(deleted));
    await node.close();

    // A restart loads the file: nothing is rebuilt, and the answer is the same.
    node = await open(dir, clock);
    node.manager.setSpecs(1, [spec]);
    await node.manager.whenIdle();
    assert.equal(node.manager.builds, 0);
    assert.equal(node.manager.loads, 1);
    const reloaded = node.engine.collection(1);
    const again = await node.searcher.search(reloaded, {
      collectionId: 1,
      fieldName: 'v',
      metric: 'L2',
      queries: query,
      nq: 1,
      dim: DIM,
      k: 20,
      filter: { kind: 'alwaysTrue' },
      readTs: node.engine.lastAppliedTimestamp,
      annParams: { nprobe: 4 },
    });
    assert.deepEqual(
      again.hits[0]!.map((hit) =>
        Number((hit.ref.segment.column('id')!.values as BigInt64Array)[hit.ref.row]),
      ),
      ids,
    );

    // Dropping the declaration frees the index and deletes its file.
    node.manager.setSpecs(1, []);
    await node.manager.whenIdle();
    assert.deepEqual(await indexFiles(dir), []);
    assert.equal(node.manager.stats().ready, 0);
    await node.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
