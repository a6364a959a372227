/**
 * Sparse inverted index search, single thread, k = 10: latency per query of the three exact algorithms
 * (TAAT, block-max WAND, MaxScore) on two seeded synthetic corpora:
 *  - SPLADE-shaped inner product: --rows (100,000) rows over a 30,000-term vocabulary, ~100 non-zeros
 *    per row and ~30 per query, dimensions drawn Zipf(s = --zipf, default 1), weights in (0, 3];
 *  - BM25-shaped full text: the same number of documents of 30-300 tokens drawn Zipf(1) from a
 *    30,000-term vocabulary (so term frequencies are Zipf too), queries of 2-8 tokens.
 * Queries run interleaved (TAAT, WAND, MaxScore for each query) so machine noise hits all alike; every
 * WAND / MaxScore result is compared with TAAT's ("mismatches": queries whose ids or scores differ; must be 0). Also: build time, postings, index bytes.
 *
 * Usage: node .build-NAME/bench/sparse-search.js [--rows=100000] [--queries=200] [--zipf=1]
 * Prints one JSON object, then a table.
 */

import { seededRandom } from '../src/kernels/seeded-random.js';
import { SparseInvertedIndex } from '../src/kernels/sparse/sparse-inverted-index.js';
import type { SparseVector } from '../src/kernels/sparse/sparse-vector.js';
import { argument } from './argument.js';
import { formatTable } from './format-table.js';
import { machineFacts } from './machine-facts.js';

const ROWS = Number(argument('rows', '100000'));
const QUERIES = Number(argument('queries', '200'));
const ZIPF = Number(argument('zipf', '1'));
const VOCABULARY = 30_000;
const K = 10;

/** Draws term ids 0..vocabulary-1 with probability ~ 1 / (id + 1)^s (inverse CDF by binary search). */
function zipfSampler(random: () => number, vocabulary: number, s: number): () => number {
  const cdf = new Float64Array(vocabulary);
  let total = 0;
  for (let i = 0; i < vocabulary; i++) {
    total += 1 / (i + 1) ** s;
    cdf[i] = total;
  }
  return () => {
    const u = random() * total;
    let lo = 0;
    let hi = vocabulary - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** `draws` Zipf term draws folded into a sparse vector; value(term, count) gives each distinct term's value. */
function zipfVector(
  draw: () => number,
  draws: number,
  value: (term: number, count: number) => number,
): SparseVector {
  const terms = new Uint32Array(draws);
  for (let i = 0; i < draws; i++) terms[i] = draw();
  terms.sort();
  const indices: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < draws; ) {
    let j = i + 1;
    while (j < draws && terms[j] === terms[i]) j++;
    indices.push(terms[i]!);
    values.push(value(terms[i]!, j - i));
    i = j;
  }
  return { indices: Uint32Array.from(indices), values: Float32Array.from(values) };
}

interface Latency {
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  qps: number;
}

function summarize(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return { meanMs: r(mean), p50Ms: r(at(0.5)), p99Ms: r(at(0.99)), qps: Math.round(1000 / mean) };
}

const ALGORITHMS = ['taat', 'wand', 'maxscore'] as const;
type Algorithm = (typeof ALGORITHMS)[number];

/** Runs every query with each algorithm in turn (after a warm-up pass); counts results differing from TAAT. */
function measure(search: (q: number, algorithm: Algorithm) => { ids: Int32Array; scores: Float32Array }) {
  for (let q = 0; q < Math.min(QUERIES, 20); q++) for (const algorithm of ALGORITHMS) search(q, algorithm);
  const samples: Record<Algorithm, number[]> = { taat: [], wand: [], maxscore: [] };
  let mismatches = 0;
  for (let q = 0; q < QUERIES; q++) {
    let baseline = '';
    for (const algorithm of ALGORITHMS) {
      const started = performance.now();
      const result = search(q, algorithm);
      samples[algorithm].push(performance.now() - started);
      const key = `${result.ids.join()}|${result.scores.join()}`;
      if (algorithm === 'taat') baseline = key;
      else if (key !== baseline) mismatches++;
    }
  }
  return {
    taat: summarize(samples.taat),
    wand: summarize(samples.wand),
    maxscore: summarize(samples.maxscore),
    mismatches,
  };
}

function corpusFacts(index: SparseInvertedIndex, buildMs: number) {
  return {
    rows: index.rows,
    dimensions: index.dimensions,
    postings: index.postingCount,
    indexMiB: Math.round((index.memoryBytes / 2 ** 20) * 10) / 10,
    buildMs: Math.round(buildMs),
  };
}

// SPLADE-shaped inner product.
const spladeRandom = seededRandom(42);
const spladeDraw = zipfSampler(spladeRandom, VOCABULARY, ZIPF);
// SPLADE gives frequent (uninformative) terms small weights and rare ones large: scale the weight
// cap with the term's rank, times a heavy-tailed random factor.
const weight = (rank: number) =>
  Math.fround(
    3 * (0.1 + 0.9 * (Math.log(2 + rank) / Math.log(2 + VOCABULARY))) * (0.02 + 0.98 * spladeRandom() ** 3),
  );
// ~100 distinct dimensions per row: draw a little more than 100 to make up for repeats of head terms.
const spladeRows = Array.from({ length: ROWS }, () => zipfVector(spladeDraw, 130, weight));
const spladeQueries = Array.from({ length: QUERIES }, () => zipfVector(spladeDraw, 36, weight));
let started = performance.now();
const spladeIndex = SparseInvertedIndex.build(spladeRows);
const spladeBuildMs = performance.now() - started;
const splade = measure((q, algorithm) => spladeIndex.search(spladeQueries[q]!, K, { algorithm }));
const spladeDrop = measure((q, algorithm) =>
  spladeIndex.search(spladeQueries[q]!, K, { algorithm, dropRatioSearch: 0.2 }),
);

// BM25-shaped full text.
const textRandom = seededRandom(7);
const textDraw = zipfSampler(textRandom, VOCABULARY, 1);
const documents = Array.from({ length: ROWS }, () =>
  zipfVector(textDraw, 30 + Math.floor(textRandom() * 270), (_term, count) => count),
);
const queryTerms = Array.from({ length: QUERIES }, () => {
  const terms = new Uint32Array(2 + Math.floor(textRandom() * 7));
  for (let i = 0; i < terms.length; i++) terms[i] = textDraw();
  return terms;
});
const docFreq = new Uint32Array(VOCABULARY);
let tokens = 0;
for (const document of documents) {
  for (const term of document.indices) docFreq[term]!++;
  for (const tf of document.values) tokens += tf;
}
started = performance.now();
const textIndex = SparseInvertedIndex.build(documents);
const textBuildMs = performance.now() - started;
const bm25Options = { avgdl: tokens / ROWS, docCount: ROWS, docFreq: (term: number) => docFreq[term]! };
const bm25 = measure((q, algorithm) =>
  textIndex.searchBm25(queryTerms[q]!, K, { ...bm25Options, algorithm }),
);

const meanNonZeros = (vectors: SparseVector[]) =>
  Math.round((vectors.reduce((sum, v) => sum + v.indices.length, 0) / vectors.length) * 10) / 10;
const report = {
  bench: 'sparse-search',
  machine: machineFacts(),
  k: K,
  queries: QUERIES,
  splade: {
    ...corpusFacts(spladeIndex, spladeBuildMs),
    zipf: ZIPF,
    meanRowNonZeros: meanNonZeros(spladeRows),
    meanQueryNonZeros: meanNonZeros(spladeQueries),
    ...splade,
    dropRatioSearch02: spladeDrop,
  },
  bm25: {
    ...corpusFacts(textIndex, textBuildMs),
    avgdl: Math.round(bm25Options.avgdl * 10) / 10,
    meanQueryTerms: Math.round((queryTerms.reduce((s, t) => s + t.length, 0) / QUERIES) * 10) / 10,
    ...bm25,
  },
};
console.log(JSON.stringify(report));
console.log('');
console.log(
  `${ROWS} rows, vocabulary ${VOCABULARY}, k = ${K}, ${QUERIES} queries, single thread; ` +
    `SPLADE build ${report.splade.buildMs} ms (${report.splade.postings} postings, ${report.splade.indexMiB} MiB), ` +
    `BM25 build ${report.bm25.buildMs} ms (${report.bm25.postings} postings, ${report.bm25.indexMiB} MiB)`,
);
const rows: string[][] = [];
const add = (workload: string, result: ReturnType<typeof measure>) => {
  for (const algorithm of ALGORITHMS) {
    const l = result[algorithm];
    rows.push([
      workload,
      algorithm,
      l.meanMs.toFixed(3),
      l.p50Ms.toFixed(3),
      l.p99Ms.toFixed(3),
      String(l.qps),
      algorithm === 'taat' ? '' : `${(result.taat.meanMs / l.meanMs).toFixed(1)}x`,
      algorithm === 'taat' ? String(result.mismatches) : '',
    ]);
  }
};
add('SPLADE IP', splade);
add('SPLADE IP drop 0.2', spladeDrop);
add('BM25', bm25);
console.log(
  formatTable(['workload', 'algorithm', 'mean ms', 'p50 ms', 'p99 ms', 'QPS', 'vs TAAT', 'mismatches'], rows),
);
