/**
 * HNSW, Quiver's WASM kernels (src/kernels/ann/hnsw-index.ts) vs native hnswlib (hnswlib-node 3.0.0),
 * single thread, in the same process, interleaved so both see the same machine load:
 *  - build: Quiver's build calls onProgress every 1,024 rows, and the callback inserts the same rows
 *    into hnswlib (timed apart), so the two builds alternate in chunks;
 *  - search: nq = 1, queries one at a time (Quiver: one search() call per query into a reused result;
 *    hnswlib: one searchKnn() per query, the number[] queries prepared outside the timing). For each ef
 *    of the sweep, each round alternates the engines every 50 queries; QPS is the best of the rounds,
 *    recall@10 against exact ground truth.
 * Datasets: `synthetic` (100k x 128 clustered Gaussian, fixed seed, truth by kernels.topK) and
 * `fashion` (fashion-mnist 60k x 784 with its shipped ground truth). Both L2.
 *
 * Usage: node .build-NAME/bench/ann-hnsw.js [--datasets=synthetic,fashion] [--rows=100000]
 *   [--queries=1000] [--M=16] [--efConstruction=200] [--ef=10,16,24,32,48,64,96,128,200] [--rounds=3]
 * Prints one JSON object, then a table.
 */
import hnswlib from 'hnswlib-node';
import { HnswIndex } from '../src/kernels/ann/hnsw-index.js';
import { DistanceKernels } from '../src/kernels/distance/distance-kernels.js';
import { createTopKResult } from '../src/kernels/distance/top-k-result.js';
import { seededRandom } from '../src/kernels/seeded-random.js';
import { loadFashionMnist } from '../test/helpers/fashion-mnist.js';
import { formatTable } from './format-table.js';
import { machineFacts } from './machine-facts.js';

/** Queries per engine before switching to the other within a timed round. */
const QUERY_CHUNK = 50;

interface Dataset {
  name: string;
  dim: number;
  base: Float32Array;
  rows: number;
  queries: Float32Array;
  nq: number;
  /** truthK ids per query, best first. */
  truth: Int32Array;
  truthK: number;
}

interface SweepPoint {
  ef: number;
  quiverRecall: number;
  quiverQps: number;
  hnswlibRecall: number;
  hnswlibQps: number;
  qpsRatio: number;
}

function argument(name: string, fallback: string): string {
  const prefix = `--${name}=`;
  return process.argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length) ?? fallback;
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** Standard normal deviates (Box-Muller) from the seeded generator. */
function gaussian(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/**
 * Clustered Gaussian data: 256 centres drawn N(0, 1) per coordinate; each point is a random centre
 * plus N(0, 0.35^2) noise per coordinate. Queries come from the same mixture with another seed.
 */
function syntheticDataset(kernels: DistanceKernels, rows: number, nq: number): Dataset {
  const dim = 128;
  const clusters = 256;
  const normal = gaussian(seededRandom(1234));
  const centres = new Float32Array(clusters * dim);
  for (let i = 0; i < centres.length; i++) centres[i] = normal();
  const draw = (count: number, seed: number) => {
    const random = seededRandom(seed);
    const noise = gaussian(seededRandom(seed + 1));
    const out = new Float32Array(count * dim);
    for (let r = 0; r < count; r++) {
      const c = Math.floor(random() * clusters);
      for (let d = 0; d < dim; d++) out[r * dim + d] = centres[c * dim + d]! + 0.35 * noise();
    }
    return out;
  };
  const base = draw(rows, 99);
  const queries = draw(nq, 777);
  const truthK = 10;
  const exact = kernels.topK({ metric: 'L2', queries, base, dim, k: truthK });
  return { name: `synthetic ${rows}x${dim}`, dim, base, rows, queries, nq, truth: exact.ids, truthK };
}

function fashionDataset(nq: number): Dataset {
  const data = loadFashionMnist({ queryLimit: nq });
  return {
    name: `fashion-mnist ${data.baseCount}x${data.dim}`,
    dim: data.dim,
    base: data.base,
    rows: data.baseCount,
    queries: data.queries,
    nq: data.queryCount,
    truth: data.groundTruth,
    truthK: data.groundTruthK,
  };
}

function recallAt10(found: Int32Array, dataset: Dataset): number {
  let hits = 0;
  for (let q = 0; q < dataset.nq; q++) {
    const truth = new Set(dataset.truth.subarray(q * dataset.truthK, q * dataset.truthK + 10));
    for (let i = 0; i < 10; i++) if (truth.has(found[q * 10 + i]!)) hits++;
  }
  return hits / (dataset.nq * 10);
}

function runDataset(kernels: DistanceKernels, dataset: Dataset, options: BenchOptions) {
  const { dim, rows } = dataset;
  const vectors = kernels.storeFloat32(dataset.base, dim);
  const peer = new hnswlib.HierarchicalNSW('l2', dim);
  peer.initIndex(rows, options.m, options.efConstruction, 100);
  const rowArray = (row: number) => Array.from(dataset.base.subarray(row * dim, (row + 1) * dim));

  // Interleaved builds: hnswlib inserts each chunk right after Quiver did.
  let peerInserted = 0;
  let peerBuildMs = 0;
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  const index = HnswIndex.build(kernels, vectors, {
    metric: 'L2',
    M: options.m,
    efConstruction: options.efConstruction,
    seed: 100,
    onProgress: (done) => {
      const peerStarted = performance.now();
      for (; peerInserted < done; peerInserted++) peer.addPoint(rowArray(peerInserted), peerInserted);
      peerBuildMs += performance.now() - peerStarted;
    },
  });
  const quiverBuildMs = performance.now() - started - peerBuildMs;
  const rssGrowthBytes = process.memoryUsage().rss - rssBefore;

  const queryArrays = Array.from({ length: dataset.nq }, (_, q) =>
    Array.from(dataset.queries.subarray(q * dim, (q + 1) * dim)),
  );
  const queryViews = Array.from({ length: dataset.nq }, (_, q) =>
    dataset.queries.subarray(q * dim, (q + 1) * dim),
  );
  const single = createTopKResult(1, 10);
  const quiverIds = new Int32Array(dataset.nq * 10);
  const peerIds = new Int32Array(dataset.nq * 10);

  const sweep: SweepPoint[] = [];
  for (const ef of options.efs) {
    peer.setEf(ef);
    const quiverChunk = (first: number, end: number) => {
      const t = performance.now();
      for (let q = first; q < end; q++) {
        index.search(kernels, { queries: queryViews[q]!, k: 10, ef }, single);
        quiverIds.set(single.ids, q * 10);
      }
      return performance.now() - t;
    };
    const peerChunk = (first: number, end: number) => {
      const t = performance.now();
      for (let q = first; q < end; q++) {
        const result = peer.searchKnn(queryArrays[q]!, 10);
        // hnswlib returns farthest-first; recall does not care about order.
        for (let i = 0; i < 10; i++) peerIds[q * 10 + i] = result.neighbors[i] ?? -1;
      }
      return performance.now() - t;
    };
    // One round runs every query on both engines, alternating in chunks of QUERY_CHUNK queries, so a
    // change in machine load hits both alike. A warm-up round, then the best of `rounds`.
    const runRound = () => {
      let quiver = 0;
      let hnswlibMs = 0;
      for (let first = 0; first < dataset.nq; first += QUERY_CHUNK) {
        const end = Math.min(dataset.nq, first + QUERY_CHUNK);
        quiver += quiverChunk(first, end);
        hnswlibMs += peerChunk(first, end);
      }
      return { quiver, hnswlibMs };
    };
    runRound();
    let quiverMs = Infinity;
    let peerMs = Infinity;
    for (let r = 0; r < options.rounds; r++) {
      const times = runRound();
      quiverMs = Math.min(quiverMs, times.quiver);
      peerMs = Math.min(peerMs, times.hnswlibMs);
    }
    const quiverQps = (dataset.nq * 1000) / quiverMs;
    const hnswlibQps = (dataset.nq * 1000) / peerMs;
    sweep.push({
      ef,
      quiverRecall: round(recallAt10(quiverIds, dataset), 4),
      quiverQps: Math.round(quiverQps),
      hnswlibRecall: round(recallAt10(peerIds, dataset), 4),
      hnswlibQps: Math.round(hnswlibQps),
      qpsRatio: round(quiverQps / hnswlibQps, 2),
    });
  }

  // hnswlib's level-0 block per element (its size_data_per_element_): a 4-byte count, M0 = 2M links,
  // the vector and an 8-byte label. Its upper-level lists are left out (a few percent).
  const vectorBytes = rows * dim * 4;
  const hnswlibLevel0Bytes = rows * (4 + 8 * options.m + dim * 4 + 8);
  const result = {
    dataset: dataset.name,
    rows,
    dim,
    queries: dataset.nq,
    M: options.m,
    efConstruction: options.efConstruction,
    quiverBuildMs: Math.round(quiverBuildMs),
    hnswlibBuildMs: Math.round(peerBuildMs),
    buildRatio: round(quiverBuildMs / peerBuildMs, 2),
    quiverGraphBytes: index.memoryBytes,
    vectorBytes,
    hnswlibLevel0Bytes,
    processRssGrowthDuringBuildBytes: rssGrowthBytes,
    sweep,
  };
  index.release(kernels);
  kernels.release(vectors);
  return result;
}

interface BenchOptions {
  m: number;
  efConstruction: number;
  efs: number[];
  rounds: number;
}

const options: BenchOptions = {
  m: Number(argument('M', '16')),
  efConstruction: Number(argument('efConstruction', '200')),
  efs: argument('ef', '10,16,24,32,48,64,96,128,200').split(',').map(Number),
  rounds: Number(argument('rounds', '3')),
};
const datasets = argument('datasets', 'synthetic,fashion').split(',');
const nq = Number(argument('queries', '1000'));
const kernels = DistanceKernels.load();
const results = [];
for (const name of datasets) {
  const dataset =
    name === 'fashion'
      ? fashionDataset(nq)
      : syntheticDataset(kernels, Number(argument('rows', '100000')), nq);
  results.push(runDataset(kernels, dataset, options));
}

console.log(JSON.stringify({ machine: machineFacts(), options, results }));
for (const result of results) {
  console.log('');
  console.log(
    `${result.dataset}, M=${result.M}, efConstruction=${result.efConstruction}, ${result.queries} queries, nq=1, single thread`,
  );
  console.log(
    `build: Quiver ${result.quiverBuildMs} ms, hnswlib ${result.hnswlibBuildMs} ms (Quiver/hnswlib ${result.buildRatio}); ` +
      `Quiver graph ${(result.quiverGraphBytes / 2 ** 20).toFixed(1)} MiB + vectors ${(result.vectorBytes / 2 ** 20).toFixed(1)} MiB, ` +
      `hnswlib level 0 (links + vectors + labels) ${(result.hnswlibLevel0Bytes / 2 ** 20).toFixed(1)} MiB`,
  );
  console.log(
    formatTable(
      ['ef', 'Quiver recall@10', 'Quiver QPS', 'hnswlib recall@10', 'hnswlib QPS', 'QPS Quiver/hnswlib'],
      result.sweep.map((point) => [
        String(point.ef),
        point.quiverRecall.toFixed(4),
        String(point.quiverQps),
        point.hnswlibRecall.toFixed(4),
        String(point.hnswlibQps),
        point.qpsRatio.toFixed(2),
      ]),
    ),
  );
}
