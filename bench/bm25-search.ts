/**
 * BM25 full-text search over a real English corpus: the 117,659 WordNet 3.0 synsets (Debian's
 * wordnet-base, see bench/corpus/), one short document each. Documents go through the BM25 function
 * as inserts do (standard analyzer, Milvus's term hashing) into one sealed segment; queries are words
 * drawn (seeded) from the corpus itself, 1-3 per query. Measures the search path (bm25Search: live
 * corpus statistics, then the sealed segment's inverted index with exact MaxScore, as Milvus's DAAT_MAXSCORE default), single thread, k = 10.
 *
 * Usage: sh bench/corpus/install-corpus.sh && node dist/bench/bm25-search.js [--queries=200]
 * Prints one JSON object, then a table.
 */
import { CollectionData } from '../src/engine/collection/collection-data.js';
import { bm25Search } from '../src/engine/search/bm25-search.js';
import { SparseIndexCache } from '../src/engine/search/sparse-index-cache.js';
import { Segment } from '../src/engine/segment/segment.js';
import { KernelWorkerPool } from '../src/engine/workers/kernel-worker-pool.js';
import { DistanceKernels } from '../src/kernels/distance/distance-kernels.js';
import { KernelMemory } from '../src/kernels/distance/kernel-memory.js';
import { seededRandom } from '../src/kernels/seeded-random.js';
import { type CollectionSchema, type Column, DataType, makeFieldSchema } from '../src/schema/index.js';
import { applyBm25Functions, bm25TermFrequencies } from '../src/service/bm25-function.js';
import { analyzerFor } from '../src/text/analyzer-cache.js';
import { argument } from './argument.js';
import { englishCorpus } from './corpus/english-corpus.js';
import { formatTable } from './format-table.js';
import { machineFacts } from './machine-facts.js';

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

const queryCount = Number(argument('queries', '200'));
const documents = [...englishCorpus()];
const text = makeFieldSchema('text', DataType.VarChar, {
  typeParams: { max_length: '65535', enable_analyzer: 'true' },
});
const schema: CollectionSchema = {
  name: 'wordnet',
  description: '',
  autoId: false,
  enableDynamicField: false,
  fields: [
    makeFieldSchema('id', DataType.Int64, { isPrimaryKey: true }),
    text,
    makeFieldSchema('sparse', DataType.SparseFloatVector, { isFunctionOutput: true }),
  ],
  functions: [
    {
      id: 100,
      name: 'bm25',
      description: '',
      type: 'BM25',
      inputFieldNames: ['text'],
      inputFieldIds: [],
      outputFieldNames: ['sparse'],
      outputFieldIds: [],
      params: {},
    },
  ],
};
const started = performance.now();
const batch = applyBm25Functions(schema, {
  numRows: documents.length,
  columns: new Map<string, Column>([
    ['id', { type: DataType.Int64, values: BigInt64Array.from(documents, (_, i) => BigInt(i)) }],
    ['text', { type: DataType.VarChar, values: documents }],
  ]),
});
const ingestMs = performance.now() - started;
const data = new CollectionData(1, schema, [1]);
data.addLoadedSegment(
  Segment.fromFile(1n, 1, {
    columns: batch.columns,
    insertTimestamps: new BigUint64Array(documents.length).fill(1n),
    numRows: documents.length,
  }),
);
const analyzer = analyzerFor(undefined);
const vocabulary = documents.slice(0, 20_000).flatMap((d) => analyzer.terms(d));
const random = seededRandom(2026);
const queries = Array.from({ length: queryCount }, () =>
  Array.from(
    { length: 1 + Math.floor(random() * 3) },
    () => vocabulary[Math.floor(random() * vocabulary.length)],
  ).join(' '),
);
const kernels = DistanceKernels.load(KernelMemory.create());
const buildPool = KernelWorkerPool.start(kernels.memory, 1);
const sparseIndexes = new SparseIndexCache(buildPool);
const search = (query: string) =>
  bm25Search(data, {
    fieldName: 'sparse',
    queries: [bm25TermFrequencies(query, text)],
    algorithm: 'maxscore',
    sparseIndexes,
    k: 10,
    k1: 1.2,
    b: 0.75,
    filter: { kind: 'alwaysTrue' },
    readTs: 10n,
  });
// The first search starts the sealed segment's index build on a worker (and scans meanwhile); the
// build is timed apart from the searches, which all use the index.
const buildStarted = performance.now();
search('index build');
await sparseIndexes.whenIdle();
const indexBuildMs = performance.now() - buildStarted;
const latencies: number[] = [];
let hits = 0;
for (const query of queries) {
  const start = performance.now();
  const result = search(query);
  latencies.push(performance.now() - start);
  hits += result[0]!.length;
}
latencies.sort((a, b) => a - b);
const percentile = (p: number) =>
  round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!, 2);
const report = {
  bench: 'bm25-search',
  machine: machineFacts(),
  corpus: 'WordNet 3.0 synsets (Debian wordnet-base)',
  documents: documents.length,
  queries: queryCount,
  analyzeAndHashMs: round(ingestMs, 0),
  indexBuildMs: round(indexBuildMs, 0),
  meanHitsPerQuery: round(hits / queryCount, 2),
  latencyMs: {
    p50: percentile(0.5),
    p90: percentile(0.9),
    p99: percentile(0.99),
    mean: round(latencies.reduce((s, x) => s + x, 0) / latencies.length, 2),
  },
};
await buildPool.close();
console.log(JSON.stringify(report));
console.log(
  formatTable(
    ['documents', 'queries', 'analyze+hash ms', 'index build ms', 'p50 ms', 'p90 ms', 'p99 ms', 'mean ms'],
    [
      [
        String(documents.length),
        String(queryCount),
        String(report.analyzeAndHashMs),
        String(report.indexBuildMs),
        String(report.latencyMs.p50),
        String(report.latencyMs.p90),
        String(report.latencyMs.p99),
        String(report.latencyMs.mean),
      ],
    ],
  ),
);
