/**
 * Scalar index build and evaluate times at 1,000,000 rows, for the target filter
 * `year >= 2023 and category == "database"` (≤ 20 ms over 1M rows with indexes, single thread):
 *
 * - `year`: Int64, uniform over 1990..2025 (36 values; `>= 2023` keeps 3/36 of the rows);
 * - `category`: VarChar, 20 values, uniform (`== "database"` keeps 1/20).
 *
 * For every index type that holds the column: build time, evaluate time of the leaf (a fresh
 * Uint8Array mask of 1M bytes each time, as the filter evaluator receives it), memory held
 * (sizeBytes), file size and deserialize time. Then the combined filter: both leaves from their
 * indexes plus the AND of the two masks (u32 words), for each pair of index types, and a plain
 * typed-array scan of each leaf for comparison.
 *
 * Usage: node .build-NAME/bench/scalar-index.js [--rows=1000000] [--min-ms=300]
 * Prints one JSON object, then a table. Takes about 30-60 s on 2 cores.
 */

import { bitmapIndexFactory } from '../src/engine/scalar-index/bitmap-index.js';
import { invertedIndexFactory } from '../src/engine/scalar-index/inverted-index.js';
import type { ScalarIndex, ScalarIndexFactory } from '../src/engine/scalar-index/scalar-index.js';
import { stlSortIndexFactory } from '../src/engine/scalar-index/stl-sort-index.js';
import { trieIndexFactory } from '../src/engine/scalar-index/trie-index.js';
import { compileFilter, type FilterIr } from '../src/expr/index.js';
import { seededRandom } from '../src/kernels/seeded-random.js';
import type { CollectionSchema, Column, FieldSchema } from '../src/schema/index.js';
import { DataType, makeFieldSchema } from '../src/schema/index.js';
import { argument } from './argument.js';
import { formatTable } from './format-table.js';
import { machineFacts } from './machine-facts.js';

const numRows = Number(argument('rows', '1000000'));
const minMs = Number(argument('min-ms', '300'));

const round = (value: number, digits = 3): number => Math.round(value * 10 ** digits) / 10 ** digits;

/** Median ms of `body` over at least `minMs` (and at least `runs` runs), after three warm-up runs. */
function measure(body: () => unknown, runs = 5): { ms: number; runs: number } {
  for (let i = 0; i < 3; i++) body();
  const times: number[] = [];
  const started = performance.now();
  while (times.length < runs || performance.now() - started < minMs) {
    const t0 = performance.now();
    body();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { ms: times[times.length >> 1]!, runs: times.length };
}

function field(
  fieldId: number,
  name: string,
  dataType: DataType,
  typeParams: Record<string, string> = {},
): FieldSchema {
  return makeFieldSchema(name, dataType, { fieldId, typeParams });
}

const schema: CollectionSchema = {
  name: 'bench',
  description: '',
  autoId: false,
  fields: [
    field(100, 'id', DataType.Int64),
    field(101, 'year', DataType.Int64),
    field(102, 'category', DataType.VarChar, { max_length: '64' }),
  ],
  enableDynamicField: false,
  functions: [],
};
schema.fields[0]!.isPrimaryKey = true;

const categories = [
  'database',
  'search',
  'storage',
  'networking',
  'security',
  'analytics',
  'ml',
  'frontend',
  'backend',
  'devops',
  'mobile',
  'cloud',
  'embedded',
  'graphics',
  'audio',
  'compilers',
  'os',
  'testing',
  'docs',
  'hardware',
];
const random = seededRandom(2023);
const year: Column = {
  type: DataType.Int64,
  values: BigInt64Array.from({ length: numRows }, () => BigInt(1990 + Math.floor(random() * 36))),
};
const category: Column = {
  type: DataType.VarChar,
  values: Array.from({ length: numRows }, () => categories[Math.floor(random() * categories.length)]!),
};

const filter = compileFilter('year >= 2023 and category == "database"', schema);
if (filter.kind !== 'and') throw new Error('expected an and of two leaves');
const [yearLeaf, categoryLeaf] = filter.operands as [FilterIr, FilterIr];

interface IndexResult {
  column: string;
  indexType: string;
  buildMs: number;
  evaluateMs: number;
  matches: number;
  sizeBytes: number;
  fileBytes: number;
  deserializeMs: number;
}

const count = (mask: Uint8Array): number => mask.reduce((sum, bit) => sum + bit, 0);

function benchIndex(
  name: string,
  column: Column,
  leaf: FilterIr,
  factory: ScalarIndexFactory,
): { result: IndexResult; index: ScalarIndex } {
  let index = factory.build(column);
  const build = measure(() => {
    index = factory.build(column);
  });
  const mask = index.evaluate(leaf);
  if (mask === undefined) throw new Error(`${factory.type} did not answer the ${name} leaf`);
  const evaluate = measure(() => index.evaluate(leaf), 20);
  const chunks = index.serialize();
  const file = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0));
  let at = 0;
  for (const chunk of chunks) {
    file.set(chunk, at);
    at += chunk.byteLength;
  }
  const load = measure(() => factory.deserialize(file));
  return {
    index,
    result: {
      column: name,
      indexType: factory.type,
      buildMs: round(build.ms, 1),
      evaluateMs: round(evaluate.ms),
      matches: count(mask),
      sizeBytes: index.sizeBytes,
      fileBytes: file.byteLength,
      deserializeMs: round(load.ms, 1),
    },
  };
}

/** a &= b over u32 words (the masks' buffers are whole words long at least up to numRows). */
function andMasks(a: Uint8Array, b: Uint8Array): Uint8Array {
  const words = numRows >>> 2;
  const x = new Uint32Array(a.buffer, a.byteOffset, words);
  const y = new Uint32Array(b.buffer, b.byteOffset, words);
  for (let i = 0; i < words; i++) x[i]! &= y[i];
  for (let i = words * 4; i < numRows; i++) a[i]! &= b[i];
  return a;
}

const yearIndexes = new Map<string, ScalarIndex>();
const categoryIndexes = new Map<string, ScalarIndex>();
const indexResults: IndexResult[] = [];
for (const factory of [invertedIndexFactory, stlSortIndexFactory, bitmapIndexFactory]) {
  const { result, index } = benchIndex('year', year, yearLeaf, factory);
  indexResults.push(result);
  yearIndexes.set(factory.type, index);
}
for (const factory of [invertedIndexFactory, stlSortIndexFactory, trieIndexFactory, bitmapIndexFactory]) {
  const { result, index } = benchIndex('category', category, categoryLeaf, factory);
  indexResults.push(result);
  categoryIndexes.set(factory.type, index);
}

// Baselines: one pass over the column with no index.
const yearValues = year.values as BigInt64Array;
const categoryValues = category.values as string[];
const scanYear = measure(() => {
  const mask = new Uint8Array(numRows);
  for (let row = 0; row < numRows; row++) mask[row] = yearValues[row]! >= 2023n ? 1 : 0;
  return mask;
});
const scanCategory = measure(() => {
  const mask = new Uint8Array(numRows);
  for (let row = 0; row < numRows; row++) mask[row] = categoryValues[row] === 'database' ? 1 : 0;
  return mask;
});

interface CombinedResult {
  yearIndex: string;
  categoryIndex: string;
  totalMs: number;
  matches: number;
}
const combined: CombinedResult[] = [];
for (const [yearType, yearIndex] of yearIndexes) {
  for (const [categoryType, categoryIndex] of categoryIndexes) {
    const run = () => andMasks(yearIndex.evaluate(yearLeaf)!, categoryIndex.evaluate(categoryLeaf)!);
    const matches = count(run());
    combined.push({
      yearIndex: yearType,
      categoryIndex: categoryType,
      totalMs: round(measure(run, 20).ms),
      matches,
    });
  }
}
const andOnly = measure(() => andMasks(new Uint8Array(numRows), new Uint8Array(numRows)), 20);

const output = {
  bench: 'scalar-index',
  machine: machineFacts(),
  rows: numRows,
  filter: 'year >= 2023 and category == "database"',
  targetMs: 20,
  indexes: indexResults,
  scans: { yearMs: round(scanYear.ms), categoryMs: round(scanCategory.ms) },
  combined,
  allocAndMs: round(andOnly.ms),
};
console.log(JSON.stringify(output));
console.log();
console.log(
  formatTable(
    ['column', 'index', 'build ms', 'leaf ms', 'matches', 'memory MB', 'file MB', 'load ms'],
    indexResults.map((r) => [
      r.column,
      r.indexType,
      r.buildMs.toFixed(1),
      r.evaluateMs.toFixed(3),
      String(r.matches),
      (r.sizeBytes / 1e6).toFixed(2),
      (r.fileBytes / 1e6).toFixed(2),
      r.deserializeMs.toFixed(1),
    ]),
  ),
);
console.log();
console.log(
  `scan without index: year >= 2023 ${output.scans.yearMs.toFixed(3)} ms, category == "database" ${output.scans.categoryMs.toFixed(3)} ms`,
);
console.log();
console.log(
  formatTable(
    ['year index', 'category index', 'both leaves + AND ms', 'matches', `target ${output.targetMs} ms`],
    combined.map((c) => [
      c.yearIndex,
      c.categoryIndex,
      c.totalMs.toFixed(3),
      String(c.matches),
      c.totalMs <= 20 ? 'met' : 'missed',
    ]),
  ),
);
console.log(`(of which allocating two masks and the AND: ${output.allocAndMs.toFixed(3)} ms)`);
