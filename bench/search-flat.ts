/**
 * FLAT (exact) search throughput through the engine's search path (VectorSearcher: candidate bitsets,
 * resident vectors, worker pool, merge), the path every Search RPC takes below the gRPC codec.
 *
 * Datasets:
 *  - fashion-mnist-784 from ../shared (60,000 x 784, L2): recall@10 against the shipped ground truth
 *    over the first `--recall-queries` queries (must be 1.0: the search is exact);
 *  - synthetic 1,000,000 x 128 float32 (seeded uniform), L2.
 * For 0 (inline on this thread), 1 and 2 search worker threads: QPS at nq = 1 (queries one after
 * another) and at nq = 16 (one request of 16 queries; QPS counts queries), best of several rounds.
 *
 * Usage: node dist/bench/search-flat.js [--rows=1000000] [--queries=40] [--recall-queries=1000]
 * Prints one JSON object, then a table.
 */

import { CollectionData } from '../src/engine/collection/collection-data.js';
import { ResidentVectorCache } from '../src/engine/search/resident-vector-cache.js';
import { VectorSearcher } from '../src/engine/search/vector-search.js';
import { Segment } from '../src/engine/segment/segment.js';
import { KernelWorkerPool } from '../src/engine/workers/kernel-worker-pool.js';
import type { FilterIr } from '../src/expr/index.js';
import { DistanceKernels } from '../src/kernels/distance/distance-kernels.js';
import { KernelMemory } from '../src/kernels/distance/kernel-memory.js';
import { randomVectors } from '../src/kernels/random-vectors.js';
import { type CollectionSchema, type Column, DataType, makeFieldSchema } from '../src/schema/index.js';
import { loadFashionMnist } from '../test/helpers/fashion-mnist.js';
import { argument } from './argument.js';
import { formatTable } from './format-table.js';
import { machineFacts } from './machine-facts.js';

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
const alwaysTrue: FilterIr = { kind: 'alwaysTrue' };

/** A collection holding `base` as one sealed segment, as if loaded from its file. */
function collectionOf(base: Float32Array, dim: number): CollectionData {
  const schema: CollectionSchema = {
    name: 'bench',
    description: '',
    autoId: false,
    enableDynamicField: false,
    functions: [],
    fields: [
      makeFieldSchema('id', DataType.Int64, { isPrimaryKey: true }),
      makeFieldSchema('v', DataType.FloatVector, { typeParams: { dim: String(dim) } }),
    ],
  };
  const rows = base.length / dim;
  const data = new CollectionData(1, schema, [1]);
  const columns = new Map<string, Column>([
    ['id', { type: DataType.Int64, values: BigInt64Array.from({ length: rows }, (_, i) => BigInt(i)) }],
    ['v', { type: DataType.FloatVector, dim, values: base }],
  ]);
  const segment = Segment.fromFile(1n, 1, {
    columns,
    insertTimestamps: new BigUint64Array(rows).fill(1n),
    numRows: rows,
  });
  data.addLoadedSegment(segment);
  return data;
}

interface Row {
  dataset: string;
  threads: number;
  nq: number;
  queriesPerSecond: number;
  msPerRequest: number;
}

async function measure(
  dataset: string,
  data: CollectionData,
  queries: Float32Array,
  dim: number,
  queryCount: number,
  threads: number,
): Promise<{ rows: Row[]; ids: (q: Float32Array) => Promise<number[][]> }> {
  const kernels = DistanceKernels.load(KernelMemory.create());
  const pool = KernelWorkerPool.start(kernels.memory, threads);
  const searcher = new VectorSearcher(pool, new ResidentVectorCache(kernels), kernels);
  const search = (block: Float32Array) =>
    searcher.search(data, {
      collectionId: 1,
      fieldName: 'v',
      metric: 'L2',
      queries: block,
      nq: block.length / dim,
      dim,
      k: 10,
      filter: alwaysTrue,
      readTs: 10n,
    });
  await search(queries.subarray(0, dim)); // makes the vectors resident, warms the code up
  const rows: Row[] = [];
  for (const nq of [1, 16]) {
    let best = Infinity;
    for (let roundNo = 0; roundNo < 3; roundNo++) {
      const start = performance.now();
      for (let q = 0; q + nq <= queryCount; q += nq) await search(queries.subarray(q * dim, (q + nq) * dim));
      best = Math.min(best, performance.now() - start);
    }
    const requests = Math.floor(queryCount / nq);
    rows.push({
      dataset,
      threads,
      nq,
      queriesPerSecond: round((requests * nq * 1000) / best, 1),
      msPerRequest: round(best / requests, 2),
    });
  }
  const ids = async (block: Float32Array) => {
    const result = await search(block);
    return result.hits.map((hits) => hits.map((hit) => hit.ref.row));
  };
  const closeLater = { pool };
  return {
    rows,
    ids: async (block) => {
      try {
        return await ids(block);
      } finally {
        await closeLater.pool.close();
      }
    },
  };
}

async function main(): Promise<void> {
  const syntheticRows = Number(argument('rows', '1000000'));
  const queryCount = Number(argument('queries', '48'));
  const recallQueries = Number(argument('recall-queries', '1000'));
  const results: Row[] = [];

  const fashion = loadFashionMnist({ queryLimit: Math.max(recallQueries, queryCount) });
  const fashionData = collectionOf(fashion.base, fashion.dim);
  let recall = 0;
  for (const threads of [0, 1, 2]) {
    const run = await measure(
      'fashion-mnist 60k x 784',
      fashionData,
      fashion.queries,
      fashion.dim,
      queryCount,
      threads,
    );
    results.push(...run.rows);
    const found = await run.ids(fashion.queries.subarray(0, recallQueries * fashion.dim));
    let hits = 0;
    found.forEach((rows, q) => {
      const truth = new Set(fashion.groundTruth.subarray(q * 100, q * 100 + 10));
      for (const row of rows) if (truth.has(row)) hits++;
    });
    recall = hits / (recallQueries * 10);
    if (recall !== 1) throw new Error(`FLAT recall@10 is ${recall}, not 1.0 (threads ${threads})`);
  }

  const dim = 128;
  const base = randomVectors(1, syntheticRows * dim);
  const queries = randomVectors(2, queryCount * dim);
  const synthetic = collectionOf(base, dim);
  for (const threads of [0, 1, 2]) {
    const run = await measure(
      `synthetic ${syntheticRows} x 128`,
      synthetic,
      queries,
      dim,
      queryCount,
      threads,
    );
    results.push(...run.rows);
    await run.ids(queries.subarray(0, dim));
  }

  const report = { bench: 'search-flat', machine: machineFacts(), fashionRecallAt10: recall, results };
  console.log(JSON.stringify(report));
  console.log(
    formatTable(
      ['dataset', 'threads', 'nq', 'queries/s', 'ms/request'],
      results.map((r) => [
        r.dataset,
        String(r.threads),
        String(r.nq),
        String(r.queriesPerSecond),
        String(r.msPerRequest),
      ]),
    ),
  );
  console.log(`fashion-mnist recall@10 vs shipped ground truth over ${recallQueries} queries: ${recall}`);
}

await main();
