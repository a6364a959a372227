/**
 * Filter evaluation speed at 1,000,000 rows in one segment, single thread, for the filter
 * `year >= 2023 and category == "database"`:
 *
 * - `year`: Int64, uniform over 1990..2025 (`>= 2023` keeps 3/36 of the rows);
 * - `category`: VarChar, 20 values, uniform (`== "database"` keeps 1/20), one decoded string
 *   object per row as the engine holds them.
 *
 * Compared: (a) a plain JavaScript loop over an array of 1M row objects
 * (`rows.filter((r) => r.year >= 2023n && r.category === 'database')`), (b) the reference row
 * evaluator (expr/evaluate-row.ts) over the same row objects, (c) the vectorized evaluateFilter over
 * the columns without indexes, (d) evaluateFilter with per-segment scalar indexes on both fields
 * (every index type that holds the column, built once before timing). Also: the same filter with
 * `or`, and the MVCC visibility mask plus mask → row offsets, for context.
 *
 * Every figure is the median and the best over at least --min-ms (and 5 runs) after one warm-up
 * run; the machine is shared, so medians move between runs (the best is the steadier figure).
 * All methods must select the same rows.
 *
 * Usage: node .build-NAME/bench/filter-eval.js [--rows=1000000] [--min-ms=500] [--strings=decoded|literal]
 * Prints one JSON object, then a table.
 */
import { evaluateFilter, type SegmentColumns } from '../src/engine/exec/evaluate-filter.js';
import { maskToRows } from '../src/engine/exec/mask-to-rows.js';
import { visibleMask } from '../src/engine/exec/visible-mask.js';
import { bitmapIndexFactory } from '../src/engine/scalar-index/bitmap-index.js';
import { invertedIndexFactory } from '../src/engine/scalar-index/inverted-index.js';
import type { ScalarIndex, ScalarIndexFactory } from '../src/engine/scalar-index/scalar-index.js';
import { stlSortIndexFactory } from '../src/engine/scalar-index/stl-sort-index.js';
import { trieIndexFactory } from '../src/engine/scalar-index/trie-index.js';
import { compileFilter, evaluateRow } from '../src/expr/index.js';
import { seededRandom } from '../src/kernels/seeded-random.js';
import {
  type CollectionSchema,
  type Column,
  DataType,
  type FieldSchema,
  makeFieldSchema,
} from '../src/schema/index.js';
import { argument } from './argument.js';
import { formatTable } from './format-table.js';
import { machineFacts } from './machine-facts.js';

const numRows = Number(argument('rows', '1000000'));
const minMs = Number(argument('min-ms', '500'));
const literalStrings = argument('strings', 'decoded') === 'literal';
const round = (value: number, digits = 3): number => Math.round(value * 10 ** digits) / 10 ** digits;

/** Median and best ms of `body` over at least `minMs` and `runs` runs, after one warm-up run. */
function measure(body: () => unknown, runs = 5): { ms: number; bestMs: number; runs: number } {
  body();
  const times: number[] = [];
  const started = performance.now();
  while (times.length < runs || performance.now() - started < minMs) {
    const t0 = performance.now();
    body();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { ms: times[times.length >> 1]!, bestMs: times[0]!, runs: times.length };
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
    field(102, 'category', DataType.VarChar, { max_length: '32' }),
  ],
  enableDynamicField: false,
  functions: [],
};
schema.fields[0]!.isPrimaryKey = true;

const categories = [
  'database',
  'search',
  'ml',
  'systems',
  'networking',
  'security',
  'compilers',
  'graphics',
  'theory',
  'hci',
  'robotics',
  'vision',
  'nlp',
  'storage',
  'os',
  'web',
  'mobile',
  'cloud',
  'embedded',
  'quantum',
];

const random = seededRandom(20250101);
const years = new BigInt64Array(numRows);
const categoryValues = new Array<string>(numRows);
for (let row = 0; row < numRows; row++) {
  years[row] = BigInt(1990 + Math.floor(random() * 36));
  const category = categories[Math.floor(random() * categories.length)]!;
  // By default a fresh string per row, as the wire and segment-file decoders produce; with
  // --strings=literal the 20 shared literals (V8 compares those by pointer, in both methods).
  categoryValues[row] = literalStrings ? category : Buffer.from(category).toString();
}
const yearColumn: Column = { type: DataType.Int64, values: years };
const categoryColumn: Column = { type: DataType.VarChar, values: categoryValues };
const columns = new Map<string, Column>([
  ['year', yearColumn],
  ['category', categoryColumn],
]);
const segment: SegmentColumns = { numRows, column: (name) => columns.get(name) };
const rowObjects = Array.from({ length: numRows }, (_, row) => ({
  year: years[row]!,
  category: categoryValues[row]!,
}));

const filterText = 'year >= 2023 and category == "database"';
const ir = compileFilter(filterText, schema);
const orIr = compileFilter('year >= 2023 or category == "database"', schema);
const count = (mask: Uint8Array): number => {
  let selected = 0;
  for (let row = 0; row < mask.length; row++) selected += mask[row]!;
  return selected;
};

const expected = rowObjects.filter((r) => r.year >= 2023n && r.category === 'database').length;
const check = (name: string, selected: number): void => {
  if (selected !== expected) throw new Error(`${name} selected ${selected} rows, expected ${expected}`);
};

interface Result {
  method: string;
  /** Median. */
  ms: number;
  bestMs: number;
  runs: number;
  selected: number;
}
const results: Result[] = [];
const record = (method: string, body: () => number): void => {
  const selected = body();
  const timing = measure(body);
  results.push({ method, ms: round(timing.ms), bestMs: round(timing.bestMs), runs: timing.runs, selected });
};

record(
  '(a) plain JS loop over row objects',
  () => rowObjects.filter((r) => r.year >= 2023n && r.category === 'database').length,
);
check('(a)', results.at(-1)!.selected);
record('(b) evaluateRow over row objects', () => {
  let selected = 0;
  for (const row of rowObjects) if (evaluateRow(ir, row)) selected++;
  return selected;
});
check('(b)', results.at(-1)!.selected);
// The result mask is written into one reused buffer, as a caller scanning segment after segment
// would; "fresh result" shows the cost of a new 1 MB array per call (page faults on first touch).
const out = new Uint8Array(numRows);
record('(c) evaluateFilter, no index', () => count(evaluateFilter(ir, segment, { out })));
check('(c)', results.at(-1)!.selected);

interface IndexPair {
  year: ScalarIndexFactory;
  category: ScalarIndexFactory;
}
const pairs: IndexPair[] = [
  { year: invertedIndexFactory, category: invertedIndexFactory },
  { year: stlSortIndexFactory, category: stlSortIndexFactory },
  { year: bitmapIndexFactory, category: bitmapIndexFactory },
  { year: stlSortIndexFactory, category: trieIndexFactory },
];
const builds: { index: string; field: string; buildMs: number; sizeBytes: number }[] = [];
for (const pair of pairs) {
  const built = new Map<string, ScalarIndex>();
  for (const [name, factory] of [
    ['year', pair.year],
    ['category', pair.category],
  ] as const) {
    const t0 = performance.now();
    const index = factory.build(columns.get(name)!);
    builds.push({
      index: factory.type,
      field: name,
      buildMs: round(performance.now() - t0, 1),
      sizeBytes: index.sizeBytes,
    });
    built.set(name, index);
  }
  record(`(d) evaluateFilter, ${pair.year.type} year + ${pair.category.type} category`, () =>
    count(evaluateFilter(ir, segment, { indexes: built, out })),
  );
  check('(d)', results.at(-1)!.selected);
}

const context: Result[] = [];
const recordContext = (method: string, body: () => number): void => {
  const selected = body();
  const timing = measure(body);
  context.push({ method, ms: round(timing.ms), bestMs: round(timing.bestMs), runs: timing.runs, selected });
};
recordContext('(c) with a fresh result array per call', () => count(evaluateFilter(ir, segment)));
const yearIr = compileFilter('year >= 2023', schema);
const categoryIr = compileFilter('category == "database"', schema);
recordContext('(c) the year leaf alone', () => count(evaluateFilter(yearIr, segment, { out })));
recordContext('(c) the category leaf alone (all rows)', () =>
  count(evaluateFilter(categoryIr, segment, { out })),
);
recordContext('same filter with `or`, no index', () => count(evaluateFilter(orIr, segment, { out })));
// Every row inserted at ts 5; every tenth deleted at ts 7; read at ts 10.
const inserted = new BigUint64Array(numRows).fill(5n);
const deleted = new BigUint64Array(numRows);
for (let row = 0; row < numRows; row += 10) deleted[row] = 7n;
const versioned = { numRows, insertTimestamps: () => inserted, deleteTimestamps: () => deleted };
const visible = new Uint8Array(numRows);
recordContext('visibleMask (10% deleted)', () => count(visibleMask(versioned, 10n, visible)));
recordContext('evaluateFilter with candidates = visible, no index', () =>
  count(evaluateFilter(ir, segment, { candidates: visible, out })),
);
const result = evaluateFilter(ir, segment);
recordContext('maskToRows of the result', () => maskToRows(result).length);

const plain = results[0]!;
const noIndex = results[2]!;
const indexed = results.slice(3).reduce((best, result) => (result.bestMs < best.bestMs ? result : best));
const output = {
  bench: 'filter-eval',
  rows: numRows,
  filter: filterText,
  categoryStrings: literalStrings ? 'literal' : 'decoded',
  selectedRows: expected,
  minMsPerFigure: minMs,
  results,
  context,
  indexBuilds: builds,
  summary: {
    plainLoop: { medianMs: plain.ms, bestMs: plain.bestMs },
    evaluateFilterNoIndex: { medianMs: noIndex.ms, bestMs: noIndex.bestMs },
    evaluateFilterBestIndexed: { method: indexed.method, medianMs: indexed.ms, bestMs: indexed.bestMs },
    speedupNoIndexVsPlainLoop: {
      median: round(plain.ms / noIndex.ms, 1),
      best: round(plain.bestMs / noIndex.bestMs, 1),
    },
    speedupIndexedVsPlainLoop: {
      median: round(plain.ms / indexed.ms, 1),
      best: round(plain.bestMs / indexed.bestMs, 1),
    },
    indexedTargetMs: 20,
    indexedMeetsTarget: indexed.ms <= 20,
  },
  machine: machineFacts(),
};

console.log(JSON.stringify(output));
console.log();
console.log(`${filterText} over ${numRows.toLocaleString('en-US')} rows (${expected} selected):`);
console.log(
  formatTable(
    ['method', 'median ms', 'best ms', 'x plain (median)', 'x plain (best)', 'runs'],
    [...results, ...context].map((result) => [
      result.method,
      result.ms.toFixed(3),
      result.bestMs.toFixed(3),
      (plain.ms / result.ms).toFixed(1),
      (plain.bestMs / result.bestMs).toFixed(1),
      String(result.runs),
    ]),
  ),
);
console.log();
console.log(
  formatTable(
    ['index', 'field', 'build ms', 'MB'],
    builds.map((build) => [
      build.index,
      build.field,
      build.buildMs.toFixed(1),
      (build.sizeBytes / 1e6).toFixed(1),
    ]),
  ),
);
