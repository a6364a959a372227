/**
 * ANN search through the engine's search path (VectorIndexManager builds the index in its worker,
 * VectorSearcher leases it and runs the search on a search worker), on fashion-mnist-784 (60,000 x
 * 784, L2, shipped ground truth): build time, then recall@10 and QPS at nq = 1 for an ef (HNSW) or
 * nprobe (IVF_FLAT) sweep. Compare with bench/ann-hnsw.js and bench/ann-ivf.js, which time the
 * kernels alone against native peers: the difference is the engine's per-search overhead.
 *
 * Usage: node dist/bench/search-ann.js [--queries=1000] [--threads=1]
 * Prints one JSON object, then a table.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CollectionData } from '../src/engine/collection/collection-data.js';
import { ResidentVectorCache } from '../src/engine/search/resident-vector-cache.js';
import { VectorSearcher } from '../src/engine/search/vector-search.js';
import { Segment } from '../src/engine/segment/segment.js';
import type { AnnBuildSpec, AnnSearchParams } from '../src/engine/vector-index/ann-index.js';
import { VectorIndexManager } from '../src/engine/vector-index/vector-index-manager.js';
import { KernelWorkerPool } from '../src/engine/workers/kernel-worker-pool.js';
import { DistanceKernels } from '../src/kernels/distance/distance-kernels.js';
import { KernelMemory } from '../src/kernels/distance/kernel-memory.js';
import { type CollectionSchema, type Column, DataType, makeFieldSchema } from '../src/schema/index.js';
import { loadFashionMnist } from '../test/helpers/fashion-mnist.js';
import { argument } from './argument.js';
import { formatTable } from './format-table.js';
import { machineFacts } from './machine-facts.js';

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

interface Row {
  index: string;
  param: string;
  recallAt10: number;
  queriesPerSecond: number;
  msPerQuery: number;
}

async function main(): Promise<void> {
  const queryCount = Number(argument('queries', '1000'));
  const threads = Number(argument('threads', '1'));
  const data = loadFashionMnist({ queryLimit: queryCount });
  const dim = data.dim;
  const schema: CollectionSchema = {
    name: 'bench',
    description: '',
    autoId: false,
    enableDynamicField: false,
    functions: [],
    fields: [
      makeFieldSchema('id', DataType.Int64, { isPrimaryKey: true }),
      makeFieldSchema('v', DataType.FloatVector, { typeParams: { dim: String(dim) }, fieldId: 101 }),
    ],
  };
  const collection = new CollectionData(1, schema, [1]);
  const columns = new Map<string, Column>([
    [
      'id',
      { type: DataType.Int64, values: BigInt64Array.from({ length: data.baseCount }, (_, i) => BigInt(i)) },
    ],
    ['v', { type: DataType.FloatVector, dim, values: data.base }],
  ]);
  collection.addLoadedSegment(
    Segment.fromFile(1n, 1, {
      columns,
      insertTimestamps: new BigUint64Array(data.baseCount).fill(1n),
      numRows: data.baseCount,
    }),
  );
  const dir = await mkdtemp(join(tmpdir(), 'quiver-bench-ann-'));
  const kernels = DistanceKernels.load(KernelMemory.create());
  const residents = new ResidentVectorCache(kernels);
  const searchPool = KernelWorkerPool.start(kernels.memory, threads);
  const buildPool = KernelWorkerPool.start(kernels.memory, 1);
  const manager = new VectorIndexManager({
    collection: () => collection,
    indexPath: (_c, segmentId, fieldId) => join(dir, `${segmentId}.${fieldId}.qvix`),
    kernels,
    residents,
    buildPool,
  });
  const searcher = new VectorSearcher(searchPool, residents, kernels, undefined, manager);
  const rows: Row[] = [];
  const builds: Array<{ index: string; buildSeconds: number }> = [];
  const sweeps: Array<{ name: string; build: AnnBuildSpec; params: Array<[string, AnnSearchParams]> }> = [
    {
      name: 'HNSW M=16 efC=200',
      build: { indexType: 'HNSW', metric: 'L2', params: { M: 16, efConstruction: 200 } },
      params: [16, 32, 64, 128, 256].map((ef) => [`ef=${ef}`, { ef }]),
    },
    {
      name: 'IVF_FLAT nlist=256',
      build: { indexType: 'IVF_FLAT', metric: 'L2', params: { nlist: 256 } },
      params: [1, 2, 4, 8, 16, 32].map((nprobe) => [`nprobe=${nprobe}`, { nprobe }]),
    },
  ];
  try {
    for (const sweep of sweeps) {
      const started = performance.now();
      manager.setSpecs(1, [{ fieldName: 'v', fieldId: 101, build: sweep.build }]);
      await manager.whenIdle();
      builds.push({ index: sweep.name, buildSeconds: round((performance.now() - started) / 1000, 2) });
      for (const [label, annParams] of sweep.params) {
        const search = (q: number) =>
          searcher.search(collection, {
            collectionId: 1,
            fieldName: 'v',
            metric: 'L2',
            queries: data.queries.subarray(q * dim, (q + 1) * dim),
            nq: 1,
            dim,
            k: 10,
            filter: { kind: 'alwaysTrue' },
            readTs: 10n,
            annParams,
          });
        await search(0);
        let hits = 0;
        const start = performance.now();
        for (let q = 0; q < queryCount; q++) {
          const result = await search(q);
          const truth = new Set(data.groundTruth.subarray(q * 100, q * 100 + 10));
          for (const hit of result.hits[0]!) if (truth.has(hit.ref.row)) hits++;
        }
        const ms = performance.now() - start;
        rows.push({
          index: sweep.name,
          param: label,
          recallAt10: round(hits / (queryCount * 10), 4),
          queriesPerSecond: round((queryCount * 1000) / ms, 1),
          msPerQuery: round(ms / queryCount, 3),
        });
      }
    }
  } finally {
    await manager.close();
    await searchPool.close();
    await buildPool.close();
    await rm(dir, { recursive: true, force: true });
  }
  console.log(
    JSON.stringify({
      bench: 'search-ann',
      machine: machineFacts(),
      threads,
      queryCount,
      builds,
      results: rows,
    }),
  );
  console.log(
    formatTable(
      ['index', 'build s'],
      builds.map((b) => [b.index, String(b.buildSeconds)]),
    ),
  );
  console.log(
    formatTable(
      ['index', 'param', 'recall@10', 'queries/s', 'ms/query'],
      rows.map((r) => [
        r.index,
        r.param,
        String(r.recallAt10),
        String(r.queriesPerSecond),
        String(r.msPerQuery),
      ]),
    ),
  );
}

await main();
