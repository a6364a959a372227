/**
 * Distance kernel speed, single thread:
 *  - ns per (query, row) pair for L2, IP and COSINE at 128 and 784 dims, WASM SIMD vs the TypeScript
 *    reference, with the rows in cache (about 256 KiB of base vectors scanned repeatedly);
 *  - a FLAT top-10 scan over 1,000,000 x 128 float32 resident vectors (512 MB), nq = 1 and a blocked
 *    nq = 16: ms per call, QPS, ns per pair, base GB/s (base bytes / call time: what is actually read),
 *    per-query GB/s (nq x base bytes / call time: what nq separate scans would have to stream) and its
 *    fraction of the streaming read bound, measured here with memoryReadProbe over the same 512 MB.
 *    1 GB = 10^9 bytes.
 * Every figure is the best of several timed rounds (the machine is shared). Fixed seeds.
 *
 * Usage: node .build-NAME/bench/kernels-distance.js [--rows=1000000]
 * Prints one JSON object, then a table.
 */
import { DistanceKernels } from '../src/kernels/distance/distance-kernels.js';
import { KernelMemory } from '../src/kernels/distance/kernel-memory.js';
import { type FloatMetric, METRIC_CODES } from '../src/kernels/distance/metric.js';
import { cosineSimilarity } from '../src/kernels/distance/reference/cosine-similarity.js';
import { innerProduct } from '../src/kernels/distance/reference/inner-product.js';
import { l2Squared } from '../src/kernels/distance/reference/l2-squared.js';
import type { ResidentVectors } from '../src/kernels/distance/resident-vectors.js';
import { randomVectors } from '../src/kernels/random-vectors.js';
import { seededRandom } from '../src/kernels/seeded-random.js';
import { argument } from './argument.js';
import { round } from './round.js';

const METRICS: readonly FloatMetric[] = ['L2', 'IP', 'COSINE'];
const REFERENCE = { L2: l2Squared, IP: innerProduct, COSINE: cosineSimilarity };

interface PairResult {
  metric: FloatMetric;
  dim: number;
  wasmNsPerPair: number;
  referenceNsPerPair: number;
  speedup: number;
}

interface ScanResult {
  metric: FloatMetric;
  nq: number;
  msPerCall: number;
  queriesPerSecond: number;
  nsPerPair: number;
  baseGigabytesPerSecond: number;
  perQueryGigabytesPerSecond: number;
  fractionOfReadBound: number;
}

/** Best time in ms of `rounds` runs of `run`, after one untimed run (lets V8 tier the code up). */
function bestMs(rounds: number, run: () => void): number {
  run();
  let best = Infinity;
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    run();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

function measurePairs(kernels: DistanceKernels, metric: FloatMetric, dim: number): PairResult {
  const rows = Math.max(16, Math.floor((256 * 1024) / (dim * 4)));
  const base = randomVectors(dim, rows * dim);
  const query = randomVectors(dim + 1, dim);
  const resident = kernels.storeFloat32(base, dim);
  const memory = kernels.memory;
  const queryPtr = memory.allocate(dim * 4);
  const outPtr = memory.allocate(rows * 4);
  memory.float32(queryPtr, dim).set(query);
  const pairsPerRound = 2_000_000;
  const repeats = Math.ceil(pairsPerRound / rows);
  // COSINE uses the precomputed base norms, as scans of resident vectors do.
  const wasmMs = bestMs(5, () => {
    for (let r = 0; r < repeats; r++) {
      kernels.raw.distancesF32(
        METRIC_CODES[metric],
        queryPtr,
        resident.ptr,
        rows,
        dim,
        resident.invNormsPtr,
        outPtr,
      );
    }
  });
  const reference = REFERENCE[metric];
  const out = new Float64Array(rows);
  const referenceRepeats = Math.ceil(repeats / 10);
  const referenceMs = bestMs(3, () => {
    for (let r = 0; r < referenceRepeats; r++) {
      for (let row = 0; row < rows; row++) out[row] = reference(query, 0, base, row * dim, dim);
    }
  });
  memory.release(queryPtr);
  memory.release(outPtr);
  kernels.release(resident);
  const wasmNsPerPair = (wasmMs * 1e6) / (repeats * rows);
  const referenceNsPerPair = (referenceMs * 1e6) / (referenceRepeats * rows);
  return {
    metric,
    dim,
    wasmNsPerPair: round(wasmNsPerPair, 2),
    referenceNsPerPair: round(referenceNsPerPair, 2),
    speedup: round(referenceNsPerPair / wasmNsPerPair, 1),
  };
}

function fillRandom(view: Float32Array, seed: number): void {
  const random = seededRandom(seed);
  for (let i = 0; i < view.length; i++) view[i] = random() * 2 - 1;
}

function measureScan(
  kernels: DistanceKernels,
  vectors: ResidentVectors,
  metric: FloatMetric,
  nq: number,
  readBoundGBps: number,
): ScanResult {
  const dim = vectors.dim;
  const queries = randomVectors(1000 + nq, nq * dim);
  const rounds = nq === 1 ? 5 : 2;
  const ms = bestMs(rounds, () => {
    kernels.topK({ metric, queries, base: vectors, dim, k: 10 });
  });
  const bytes = vectors.rows * vectors.rowBytes;
  const baseGigabytesPerSecond = bytes / (ms / 1000) / 1e9;
  return {
    metric,
    nq,
    msPerCall: round(ms, 2),
    queriesPerSecond: round(nq / (ms / 1000), 1),
    nsPerPair: round((ms * 1e6) / (nq * vectors.rows), 2),
    baseGigabytesPerSecond: round(baseGigabytesPerSecond, 2),
    perQueryGigabytesPerSecond: round(nq * baseGigabytesPerSecond, 2),
    fractionOfReadBound: round((nq * baseGigabytesPerSecond) / readBoundGBps, 2),
  };
}

const rows = Number(argument('rows', '1000000'));
const dim = 128;
const kernels = DistanceKernels.load(KernelMemory.create({ initialBytes: rows * dim * 4 + (64 << 20) }));

const pairs: PairResult[] = [];
for (const pairDim of [128, 784]) {
  for (const metric of METRICS) pairs.push(measurePairs(kernels, metric, pairDim));
}

const vectors = kernels.allocateFloat32(rows, dim, (view) => fillRandom(view, 7));
const scanBytes = rows * dim * 4;
const readMs = bestMs(5, () => {
  kernels.raw.memoryReadProbe(vectors.ptr, scanBytes);
});
const readBoundGBps = scanBytes / (readMs / 1000) / 1e9;
const scans: ScanResult[] = [];
for (const metric of METRICS) {
  for (const nq of [1, 16]) scans.push(measureScan(kernels, vectors, metric, nq, readBoundGBps));
}
kernels.release(vectors);

const report = {
  bench: 'kernels-distance',
  node: process.version,
  scan: { rows, dim, k: 10, bytes: scanBytes },
  readBound: { msPerPass: round(readMs, 2), gigabytesPerSecond: round(readBoundGBps, 2) },
  pairs,
  scans,
};
console.log(JSON.stringify(report));
console.log('');
console.log('metric  dim   WASM ns/pair   TS ns/pair   speedup');
for (const pair of pairs) {
  console.log(
    [
      pair.metric.padEnd(7),
      String(pair.dim).padStart(4),
      pair.wasmNsPerPair.toFixed(2).padStart(14),
      pair.referenceNsPerPair.toFixed(2).padStart(12),
      `${pair.speedup.toFixed(1).padStart(8)}x`,
    ].join(' '),
  );
}
console.log('');
console.log(
  `FLAT top-10 over ${rows} x ${dim} float32 (${(scanBytes / 1e6).toFixed(0)} MB); read bound ${readBoundGBps.toFixed(2)} GB/s (${readMs.toFixed(1)} ms per pass)`,
);
console.log('metric  nq   ms/call      QPS   ns/pair   base GB/s   per-query GB/s   of read bound');
for (const scan of scans) {
  console.log(
    [
      scan.metric.padEnd(7),
      String(scan.nq).padStart(2),
      scan.msPerCall.toFixed(2).padStart(9),
      scan.queriesPerSecond.toFixed(1).padStart(8),
      scan.nsPerPair.toFixed(2).padStart(9),
      scan.baseGigabytesPerSecond.toFixed(2).padStart(11),
      scan.perQueryGigabytesPerSecond.toFixed(2).padStart(16),
      `${Math.round(scan.fractionOfReadBound * 100)}%`.padStart(15),
    ].join(' '),
  );
}
