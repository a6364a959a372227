import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { compileFilter } from '../../expr/index.js';
import { DistanceKernels } from '../../kernels/distance/distance-kernels.js';
import { KernelMemory } from '../../kernels/distance/kernel-memory.js';
import { isSimilarityMetric, type Metric } from '../../kernels/distance/metric.js';
import { cosineSimilarity } from '../../kernels/distance/reference/cosine-similarity.js';
import { hammingDistance } from '../../kernels/distance/reference/hamming-distance.js';
import { innerProduct } from '../../kernels/distance/reference/inner-product.js';
import { jaccardDistance } from '../../kernels/distance/reference/jaccard-distance.js';
import { l2Squared } from '../../kernels/distance/reference/l2-squared.js';
import { seededRandom } from '../../kernels/seeded-random.js';
import { type CollectionSchema, type ColumnBatch, DataType, makeFieldSchema } from '../../schema/index.js';
import { LocalMetaStore } from '../../storage/local/local-meta-store.js';
import { StorageEngine } from '../storage-engine.js';
import { KernelWorkerPool } from '../workers/kernel-worker-pool.js';
import { ResidentVectorCache } from './resident-vector-cache.js';
import { type KnnHit, VectorSearcher, type VectorSearchRequest } from './vector-search.js';

// Exactness of the search path (candidates, resident vectors, worker scans, merge, range, group-by)
// against a brute-force TypeScript reference, on a real storage engine holding sealed and growing
// segments with deletes. Vectors have small integer components, so L2 and IP scores are exact in
// float32 and ties are frequent: the expected order breaks them by segment, then row.
const DIM = 8;
const BIN_DIM = 16;
const schema: CollectionSchema = {
  name: 'v',
  description: '',
  autoId: false,
  enableDynamicField: false,
  functions: [],
  fields: [
    makeFieldSchema('id', DataType.Int64, { isPrimaryKey: true }),
    makeFieldSchema('tag', DataType.Int32),
    makeFieldSchema('name', DataType.VarChar, { typeParams: { max_length: '8' }, nullable: true }),
    makeFieldSchema('v', DataType.FloatVector, { typeParams: { dim: String(DIM) } }),
    makeFieldSchema('b', DataType.BinaryVector, { typeParams: { dim: String(BIN_DIM) } }),
  ],
};

interface Row {
  id: number;
  partition: number;
  tag: number;
  name: string | null;
  v: Float32Array;
  b: Uint8Array;
}

const random = seededRandom(20261124);
const int = (n: number) => Math.floor(random() * n);

function makeRows(from: number, count: number, partition: number): Row[] {
  return Array.from({ length: count }, (_, i) => ({
    id: from + i,
    partition,
    tag: int(7),
    name: int(5) === 0 ? null : `n${int(6)}`,
    v: Float32Array.from({ length: DIM }, () => int(7) - 3),
    b: Uint8Array.from({ length: BIN_DIM / 8 }, () => int(256)),
  }));
}

function toBatch(rows: Row[]): ColumnBatch {
  const v = new Float32Array(rows.length * DIM);
  const b = new Uint8Array((rows.length * BIN_DIM) / 8);
  rows.forEach((row, i) => {
    v.set(row.v, i * DIM);
    b.set(row.b, (i * BIN_DIM) / 8);
  });
  return {
    numRows: rows.length,
    columns: new Map<string, never>([
      ['id', { type: DataType.Int64, values: BigInt64Array.from(rows.map((r) => BigInt(r.id))) } as never],
      ['tag', { type: DataType.Int32, values: Int32Array.from(rows.map((r) => r.tag)) } as never],
      [
        'name',
        {
          type: DataType.VarChar,
          values: rows.map((r) => r.name ?? ''),
          valid: Uint8Array.from(rows.map((r) => (r.name === null ? 0 : 1))),
        } as never,
      ],
      ['v', { type: DataType.FloatVector, dim: DIM, values: v } as never],
      ['b', { type: DataType.BinaryVector, dim: BIN_DIM, values: b } as never],
    ]),
  };
}

function referenceScore(metric: Metric, query: Row, row: Row): number {
  switch (metric) {
    case 'L2':
      return l2Squared(query.v, 0, row.v, 0, DIM);
    case 'IP':
      return innerProduct(query.v, 0, row.v, 0, DIM);
    case 'COSINE':
      return cosineSimilarity(query.v, 0, row.v, 0, DIM);
    case 'HAMMING':
      return hammingDistance(query.b, 0, row.b, 0, BIN_DIM);
    case 'JACCARD':
      return jaccardDistance(query.b, 0, row.b, 0, BIN_DIM);
  }
}

const ENGINE_MEMORY = 'the engine memory (2 workers)' as const;

describe('VectorSearcher is exact against a brute-force reference', () => {
  let dir: string;
  let meta: LocalMetaStore;
  let engine: StorageEngine;
  /** Rows in segment order (the order ties are broken in), deleted rows removed. */
  let live: Row[];
  const pools: KernelWorkerPool[] = [];
  /**
   * 0 and 2: inline and 2 workers on memories of their own, so every column is copied in (the copy
   * path); ENGINE_MEMORY: 2 workers on the engine's kernel memory, where the restarted engine keeps
   * its float32 and binary columns, so searches scan them in place (the adopted path).
   */
  const searchers = new Map<number | typeof ENGINE_MEMORY, VectorSearcher>();
  const engineKernels = DistanceKernels.load(KernelMemory.create());

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'quiver-vsearch-'));
    meta = new LocalMetaStore(join(dir, 'meta'));
    await meta.open();
    let clock = 1000n;
    const open = (kernelMemory?: KernelMemory) =>
      StorageEngine.open(
        {
          dataDir: dir,
          metaStore: meta,
          allocateTimestamp: async () => clock++ << 18n,
          sealRows: 300,
          kernelMemory,
        },
        [{ id: 1, schema, partitionIds: [10, 11] }],
      );
    engine = await open();
    const all: Row[] = [];
    // Partition 10: three sealed segments of 300 and a growing one; partition 11: growing only.
    for (let i = 0; i < 10; i++) {
      const rows = makeRows(i * 100, 100, 10);
      all.push(...rows);
      await engine.insert(1, [{ partitionId: 10, batch: toBatch(rows) }]);
    }
    const other = makeRows(5000, 120, 11);
    all.push(...other);
    await engine.insert(1, [{ partitionId: 11, batch: toBatch(other) }]);
    await engine.flush([1]);
    const tail = makeRows(6000, 50, 10);
    all.push(...tail);
    await engine.insert(1, [{ partitionId: 10, batch: toBatch(tail) }]);
    const deleted = new Set([3, 150, 299, 301, 777, 5001, 6010]);
    await engine.delete(1, [...deleted].map(BigInt));
    // Restart on the kernel memory: sealed segments are read from their files into it, and the WAL
    // replay grows the unsealed rows in it.
    await engine.close();
    engine = await open(engineKernels.memory);
    const data = engine.collection(1);
    assert.ok(data.segments().length >= 4, 'sealed and growing segments');
    // Segment order = partition order, then segment order within it; rows in insertion order.
    const byId = new Map(all.map((r) => [r.id, r]));
    live = [];
    for (const partition of data.partitions.values()) {
      for (const segment of partition.segments) {
        const ids = segment.column('id')!.values as BigInt64Array;
        for (let row = 0; row < segment.numRows; row++) {
          const id = Number(ids[row]);
          if (!deleted.has(id)) live.push(byId.get(id)!);
        }
      }
    }
    for (const threads of [0, 2]) {
      const kernels = DistanceKernels.load(KernelMemory.create());
      const pool = KernelWorkerPool.start(kernels.memory, threads);
      pools.push(pool);
      // With workers, tasks of 64 rows: segments are cut into row ranges, as big ones are in production.
      const minTaskRows = threads === 0 ? undefined : 64;
      searchers.set(
        threads,
        new VectorSearcher(pool, new ResidentVectorCache(kernels), kernels, minTaskRows),
      );
    }
    const enginePool = KernelWorkerPool.start(engineKernels.memory, 2);
    pools.push(enginePool);
    searchers.set(
      ENGINE_MEMORY,
      new VectorSearcher(enginePool, new ResidentVectorCache(engineKernels), engineKernels, 64),
    );
  });

  after(async () => {
    for (const pool of pools) await pool.close();
    await engine.close();
    await meta.close();
    await rm(dir, { recursive: true, force: true });
  });

  function expected(
    metric: Metric,
    query: Row,
    k: number,
    keep: (row: Row) => boolean = () => true,
  ): number[] {
    const scored = live
      .filter(keep)
      .map((row, order) => ({ row, order, score: referenceScore(metric, query, row) }));
    const sign = isSimilarityMetric(metric) ? -1 : 1;
    scored.sort((a, b) => sign * (a.score - b.score) || a.order - b.order);
    return scored.slice(0, k).map((s) => s.row.id);
  }

  async function run(
    threads: number | typeof ENGINE_MEMORY,
    metric: Metric,
    queries: Row[],
    extra: Partial<VectorSearchRequest>,
  ) {
    const binary = metric === 'HAMMING' || metric === 'JACCARD';
    const packed = binary
      ? Uint8Array.from(queries.flatMap((q) => [...q.b]))
      : Float32Array.from(queries.flatMap((q) => [...q.v]));
    return searchers.get(threads)!.search(engine.collection(1), {
      collectionId: 1,
      fieldName: binary ? 'b' : 'v',
      metric,
      queries: packed,
      nq: queries.length,
      dim: binary ? BIN_DIM : DIM,
      k: 10,
      filter: { kind: 'alwaysTrue' },
      readTs: engine.lastAppliedTimestamp,
      ...extra,
    });
  }

  const ids = (hits: KnnHit[]) =>
    hits.map((hit) => Number((hit.ref.segment.column('id')!.values as BigInt64Array)[hit.ref.row]));

  test('with workers the scans run off the event loop: search() returns while its tasks are pending', async () => {
    const pool = pools[1]!;
    assert.equal(pool.threads, 2);
    const [query] = makeRows(9500, 1, 10);
    const pending = run(2, 'L2', [query!], { k: 5 });
    // Every scan task was handed to a worker before search() returned its promise.
    assert.ok(pool.pendingTasks > 0);
    assert.equal((await pending).hits[0]!.length, 5);
    assert.equal(pool.pendingTasks, 0);
  });

  test('the restarted engine keeps float32 and binary columns in its kernel memory', () => {
    const sealed = engine.collection(1).segments();
    assert.ok(sealed.some((segment) => segment.state === 'sealed'));
    assert.ok(sealed.some((segment) => segment.state === 'growing'));
    for (const segment of sealed) {
      for (const field of ['v', 'b']) {
        const values = segment.column(field)!.values as ArrayBufferView;
        assert.notEqual(engineKernels.memory.offsetOf(values), undefined, `${segment.state} ${field}`);
      }
    }
  });

  for (const threads of [0, 2, ENGINE_MEMORY] as const) {
    for (const metric of ['L2', 'IP', 'HAMMING', 'JACCARD'] as const) {
      test(`${metric}, nq = 3, ${threads} worker threads: ids and scores match, ties by segment then row`, async () => {
        const queries = makeRows(9000, 3, 10);
        const result = await run(threads, metric, queries, { k: 25 });
        assert.equal(result.hits.length, 3);
        queries.forEach((query, q) => {
          assert.deepEqual(ids(result.hits[q]!), expected(metric, query, 25));
          for (const hit of result.hits[q]!) {
            const row = live.find((r) => r.id === ids([hit])[0])!;
            assert.ok(Math.abs(hit.score - referenceScore(metric, query, row)) <= 1e-5);
          }
        });
      });
    }

    test(`COSINE, ${threads} worker threads: scores within float tolerance of the reference`, async () => {
      const [query] = makeRows(9100, 1, 10);
      const result = await run(threads, 'COSINE', [query!], { k: 40 });
      const reference = expected('COSINE', query!, 40).map((id) =>
        referenceScore('COSINE', query!, live.find((r) => r.id === id)!),
      );
      assert.equal(result.hits[0]!.length, 40);
      result.hits[0]!.forEach((hit, i) => {
        assert.ok(Math.abs(hit.score - reference[i]!) < 1e-5);
      });
    });

    test(`filter, partitions and range search, ${threads} worker threads`, async () => {
      const [query] = makeRows(9200, 1, 10);
      const filter = compileFilter('tag in [1, 2] and id < 5500', schema);
      const filtered = await run(threads, 'L2', [query!], { k: 30, filter });
      const keep = (r: Row) => (r.tag === 1 || r.tag === 2) && r.id < 5500;
      assert.deepEqual(ids(filtered.hits[0]!), expected('L2', query!, 30, keep));

      const partition = await run(threads, 'IP', [query!], { k: 30, partitionIds: new Set([11]) });
      assert.deepEqual(
        ids(partition.hits[0]!),
        expected('IP', query!, 30, (r) => r.partition === 11),
      );

      // L2 range: radius 40 (exclusive) down to range_filter 10 (inclusive), every such row.
      const ranged = await run(threads, 'L2', [query!], {
        k: 10_000,
        range: { radius: 40, rangeFilter: 10 },
      });
      const inRange = (r: Row) => {
        const score = referenceScore('L2', query!, r);
        return score < 40 && score >= 10;
      };
      assert.deepEqual(ids(ranged.hits[0]!), expected('L2', query!, 10_000, inRange));
      assert.ok(ranged.hits[0]!.length > 30);
    });

    test(`a selective filter still returns every match (no recall collapse), ${threads} worker threads`, async () => {
      const [query] = makeRows(9300, 1, 10);
      const filter = compileFilter('id in [7, 450, 900, 5003, 6020]', schema);
      const result = await run(threads, 'L2', [query!], { k: 10, filter });
      assert.deepEqual(
        ids(result.hits[0]!).sort((a, b) => a - b),
        [7, 450, 900, 5003, 6020],
      );
    });

    test(`group by, ${threads} worker threads: Milvus's grouping of the exact ranking`, async () => {
      const [query] = makeRows(9400, 1, 10);
      const result = await run(threads, 'L2', [query!], {
        k: 5,
        groupBy: { field: 'tag', groupSize: 3, offset: 1 },
      });
      // Reference: walk the exact ranking; skip the first group; keep 4 groups of up to 3.
      const ranking = expected('L2', query!, live.length).map((id) => live.find((r) => r.id === id)!);
      const skipped = new Set<number>();
      const groups = new Map<number, number[]>();
      for (const row of ranking) {
        if (skipped.has(row.tag) || skipped.size < 1) {
          skipped.add(row.tag);
          continue;
        }
        const group = groups.get(row.tag);
        if (!group) {
          if (groups.size < 4) groups.set(row.tag, [row.id]);
        } else if (group.length < 3) group.push(row.id);
      }
      assert.deepEqual(ids(result.hits[0]!), [...groups.values()].flat());
      assert.deepEqual(
        result.groupKeys![0],
        [...groups.entries()].flatMap(([tag, members]) => members.map(() => tag)),
      );

      // Null values form a group of their own.
      const byName = await run(threads, 'L2', [query!], {
        k: 20,
        groupBy: { field: 'name', groupSize: 1, offset: 0 },
      });
      const keys = byName.groupKeys![0]!;
      assert.equal(keys.length, 7, 'six names and null');
      assert.ok(keys.includes(null));
      assert.equal(new Set(keys).size, keys.length);
    });
  }
});
