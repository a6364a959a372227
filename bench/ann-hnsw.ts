/**
 * HNSW, Quiver's WASM kernels (src/kernels/ann/hnsw-index.ts) vs native hnswlib (hnswlib-node 3.0.0)
 * and usearch (2.26.2), single thread, in the same process, interleaved so all see the same load:
 *  - build: Quiver's build calls onProgress every 1,024 rows, and the callback inserts the same rows
 *    into each peer (timed apart), so the builds alternate in chunks;
 *  - search: nq = 1, queries one at a time (Quiver: one search() call per query into a reused result;
 *    hnswlib: one searchKnn() per query, the number[] queries prepared outside the timing; usearch:
 *    one search() per query, 1 thread). For each ef of the sweep, each round switches engine every 50
 *    queries; QPS is each engine's best round, recall@10 against exact ground truth.
 * Datasets: `synthetic` (100k x 128 clustered Gaussian, fixed seed, truth by kernels.topK) and
 * `fashion` (fashion-mnist 60k x 784 with its shipped ground truth). Both L2.
 *
 * Usage: node .build-NAME/bench/ann-hnsw.js [--datasets=synthetic,fashion] [--peers=hnswlib,usearch]
 *   [--rows=100000] [--queries=1000] [--M=16] [--efConstruction=200]
 *   [--ef=10,16,24,32,48,64,96,128,200] [--rounds=3]
 * Prints one JSON object, then a table.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import hnswlib from 'hnswlib-node';
import { Index, MetricKind, ScalarKind } from 'usearch';
import { HnswIndex } from '../src/kernels/ann/hnsw-index.js';
import { DistanceKernels } from '../src/kernels/distance/distance-kernels.js';
import { createTopKResult } from '../src/kernels/distance/top-k-result.js';
import { seededRandom } from '../src/kernels/seeded-random.js';
import { loadFashionMnist } from '../test/helpers/fashion-mnist.js';
import { argument } from './argument.js';
import { formatTable } from './format-table.js';
import { machineFacts } from './machine-facts.js';
import { round } from './round.js';

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

/** One engine under test: inserts rows in order, searches one query at a time. */
interface Engine {
  readonly name: string;
  /** Inserts rows [from, to). */
  insert(from: number, to: number): void;
  /** Called once all rows are in; returns the index's size in bytes (as the engine reports it). */
  finish(): number;
  setEf(ef: number): void;
  /** Searches queries [first, end) one by one, writing each query's 10 ids to ids[q * 10 ...]. */
  search(first: number, end: number, ids: Int32Array): void;
}

interface SweepPoint {
  ef: number;
  recall: Record<string, number>;
  qps: Record<string, number>;
  /** Quiver's QPS over each peer's. */
  qpsRatio: Record<string, number>;
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

function hnswlibEngine(dataset: Dataset, options: BenchOptions): Engine {
  const { dim, rows } = dataset;
  const index = new hnswlib.HierarchicalNSW('l2', dim);
  index.initIndex(rows, options.m, options.efConstruction, 100);
  // Its binding takes number[] only: queries are converted once, outside the timing.
  const queries = Array.from({ length: dataset.nq }, (_, q) =>
    Array.from(dataset.queries.subarray(q * dim, (q + 1) * dim)),
  );
  return {
    name: 'hnswlib',
    insert(from, to) {
      for (let row = from; row < to; row++) {
        index.addPoint(Array.from(dataset.base.subarray(row * dim, (row + 1) * dim)), row);
      }
    },
    // Its level-0 block per element (size_data_per_element_): a 4-byte count, M0 = 2M links, the
    // vector and an 8-byte label; the upper-level lists (a few percent) are left out.
    finish: () => rows * (4 + 8 * options.m + dim * 4 + 8),
    setEf: (ef) => index.setEf(ef),
    search(first, end, ids) {
      for (let q = first; q < end; q++) {
        const result = index.searchKnn(queries[q]!, 10);
        for (let i = 0; i < 10; i++) ids[q * 10 + i] = result.neighbors[i] ?? -1;
      }
    },
  };
}

/**
 * usearch fixes expansion_search when an index is constructed, so the built index is saved once and
 * loaded into a new Index per ef. Its prebuilt binary chooses distance kernels by CPU capability at run
 * time (possibly AVX2 / AVX-512), unlike hnswlib-node (compiler defaults: SSE) and WASM (128-bit SIMD).
 */
function usearchEngine(dataset: Dataset, options: BenchOptions, directory: string): Engine {
  const { dim } = dataset;
  const config = (ef: number) => ({
    dimensions: dim,
    metric: MetricKind.L2sq,
    quantization: ScalarKind.F32,
    connectivity: options.m,
    expansion_add: options.efConstruction,
    expansion_search: ef,
    multi: false,
  });
  let index = new Index(config(options.efs[0]!));
  const file = join(directory, `usearch-${dataset.rows}-${dim}.bin`);
  return {
    name: 'usearch',
    insert(from, to) {
      const keys = new BigUint64Array(to - from);
      for (let i = 0; i < keys.length; i++) keys[i] = BigInt(from + i);
      index.add(keys, dataset.base.subarray(from * dim, to * dim), 1);
    },
    finish() {
      index.save(file);
      return statSync(file).size;
    },
    setEf(ef) {
      index = new Index(config(ef));
      index.load(file);
    },
    search(first, end, ids) {
      for (let q = first; q < end; q++) {
        const result = index.search(dataset.queries.subarray(q * dim, (q + 1) * dim), 10, 1);
        for (let i = 0; i < 10; i++) ids[q * 10 + i] = i < result.keys.length ? Number(result.keys[i]) : -1;
      }
    },
  };
}

function runDataset(kernels: DistanceKernels, dataset: Dataset, options: BenchOptions, directory: string) {
  const { dim, rows } = dataset;
  const vectors = kernels.storeFloat32(dataset.base, dim);
  const peers = options.peers.map((name) =>
    name === 'usearch' ? usearchEngine(dataset, options, directory) : hnswlibEngine(dataset, options),
  );

  // Interleaved builds: each peer inserts a chunk right after Quiver did.
  let inserted = 0;
  const peerBuildMs = peers.map(() => 0);
  let peerTotalMs = 0;
  const started = performance.now();
  const index = HnswIndex.build(kernels, vectors, {
    metric: 'L2',
    M: options.m,
    efConstruction: options.efConstruction,
    seed: 100,
    onProgress: (done) => {
      peers.forEach((peer, p) => {
        const peerStarted = performance.now();
        peer.insert(inserted, done);
        const ms = performance.now() - peerStarted;
        peerBuildMs[p]! += ms;
        peerTotalMs += ms;
      });
      inserted = done;
    },
  });
  const quiverBuildMs = performance.now() - started - peerTotalMs;
  const peerBytes = peers.map((peer) => peer.finish());

  const queryViews = Array.from({ length: dataset.nq }, (_, q) =>
    dataset.queries.subarray(q * dim, (q + 1) * dim),
  );
  const single = createTopKResult(1, 10);
  const names = ['quiver', ...peers.map((peer) => peer.name)];
  const ids = names.map(() => new Int32Array(dataset.nq * 10));

  const sweep: SweepPoint[] = [];
  for (const ef of options.efs) {
    for (const peer of peers) peer.setEf(ef);
    const quiverSearch = (first: number, end: number, out: Int32Array) => {
      for (let q = first; q < end; q++) {
        index.search(kernels, { queries: queryViews[q]!, k: 10, ef }, single);
        out.set(single.ids, q * 10);
      }
    };
    const searches = [quiverSearch, ...peers.map((peer) => peer.search.bind(peer))];
    // One round runs every query on every engine, switching engine every QUERY_CHUNK queries, so a
    // change in machine load hits all alike. A warm-up round, then each engine's best of `rounds`.
    const runRound = () => {
      const ms = names.map(() => 0);
      for (let first = 0; first < dataset.nq; first += QUERY_CHUNK) {
        const end = Math.min(dataset.nq, first + QUERY_CHUNK);
        searches.forEach((search, e) => {
          const t = performance.now();
          search(first, end, ids[e]!);
          ms[e]! += performance.now() - t;
        });
      }
      return ms;
    };
    runRound();
    const best = names.map(() => Infinity);
    for (let r = 0; r < options.rounds; r++) {
      runRound().forEach((ms, e) => {
        best[e] = Math.min(best[e]!, ms);
      });
    }
    const point: SweepPoint = { ef, recall: {}, qps: {}, qpsRatio: {} };
    names.forEach((name, e) => {
      point.recall[name] = round(recallAt10(ids[e]!, dataset), 4);
      point.qps[name] = Math.round((dataset.nq * 1000) / best[e]!);
    });
    for (const peer of peers) point.qpsRatio[peer.name] = round(point.qps.quiver! / point.qps[peer.name]!, 2);
    sweep.push(point);
  }

  const result = {
    dataset: dataset.name,
    rows,
    dim,
    queries: dataset.nq,
    M: options.m,
    efConstruction: options.efConstruction,
    buildMs: Object.fromEntries([
      ['quiver', Math.round(quiverBuildMs)],
      ...peers.map((peer, p) => [peer.name, Math.round(peerBuildMs[p]!)]),
    ]) as Record<string, number>,
    /** Quiver's build time over each peer's. */
    buildRatio: Object.fromEntries(
      peers.map((peer, p) => [peer.name, round(quiverBuildMs / peerBuildMs[p]!, 2)]),
    ),
    quiverGraphBytes: index.memoryBytes,
    vectorBytes: rows * dim * 4,
    /** hnswlib: its level-0 block (links, vectors, labels) by its formula; usearch: its saved file. */
    peerBytes: Object.fromEntries(peers.map((peer, p) => [peer.name, peerBytes[p]!])),
    sweep,
  };
  index.release(kernels);
  kernels.release(vectors);
  return result;
}

interface BenchOptions {
  peers: string[];
  m: number;
  efConstruction: number;
  efs: number[];
  rounds: number;
}

const options: BenchOptions = {
  peers: argument('peers', 'hnswlib,usearch').split(','),
  m: Number(argument('M', '16')),
  efConstruction: Number(argument('efConstruction', '200')),
  efs: argument('ef', '10,16,24,32,48,64,96,128,200').split(',').map(Number),
  rounds: Number(argument('rounds', '3')),
};
const datasets = argument('datasets', 'synthetic,fashion').split(',');
const nq = Number(argument('queries', '1000'));
const kernels = DistanceKernels.load();
const directory = mkdtempSync(join(tmpdir(), 'quiver-ann-hnsw-'));
const results = [];
try {
  for (const name of datasets) {
    const dataset =
      name === 'fashion'
        ? fashionDataset(nq)
        : syntheticDataset(kernels, Number(argument('rows', '100000')), nq);
    results.push(runDataset(kernels, dataset, options, directory));
  }
} finally {
  rmSync(directory, { recursive: true, force: true });
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
console.log(JSON.stringify({ machine: machineFacts(), options, results }));
for (const result of results) {
  const peers = options.peers;
  console.log('');
  console.log(
    `${result.dataset}, M=${result.M}, efConstruction=${result.efConstruction}, ${result.queries} queries, nq=1, single thread`,
  );
  console.log(
    `build ms: Quiver ${result.buildMs.quiver}` +
      peers
        .map((peer) => `, ${peer} ${result.buildMs[peer]} (Quiver/${peer} ${result.buildRatio[peer]})`)
        .join(''),
  );
  console.log(
    `memory: Quiver graph ${mib(result.quiverGraphBytes)} + vectors ${mib(result.vectorBytes)}` +
      peers
        .map(
          (peer) =>
            `, ${peer} ${mib(result.peerBytes[peer]!)}${peer === 'hnswlib' ? ' (level 0 incl. vectors)' : ' (saved file)'}`,
        )
        .join(''),
  );
  console.log(
    formatTable(
      [
        'ef',
        'Quiver recall@10',
        'Quiver QPS',
        ...peers.flatMap((peer) => [`${peer} recall@10`, `${peer} QPS`, `Quiver/${peer}`]),
      ],
      result.sweep.map((point) => [
        String(point.ef),
        point.recall.quiver!.toFixed(4),
        String(point.qps.quiver),
        ...peers.flatMap((peer) => [
          point.recall[peer]!.toFixed(4),
          String(point.qps[peer]),
          point.qpsRatio[peer]!.toFixed(2),
        ]),
      ]),
    ),
  );
}
