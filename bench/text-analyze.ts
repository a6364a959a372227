/**
 * Text analysis throughput on a real English corpus (WordNet 3.0 synsets from Debian's wordnet-base,
 * 117,659 short documents; install with bench/corpus/install-corpus.sh).
 *
 * Cases, each over the whole corpus (or --docs), interleaved over --rounds rounds, median reported:
 * - terms() of the standard analyzer (default params), the english analyzer, whitespace + lowercase,
 *   and the standard tokenizer in uax29 mode (Intl.Segmenter) + lowercase;
 * - tokens() (with UTF-8 offsets and positions) of the standard analyzer;
 * - termFrequencies() of the english analyzer into a TermDictionary (the BM25 insert path; the
 *   dictionary is filled in a first pass, so rounds measure lookups of known terms).
 *
 * Usage: node .build-NAME/bench/text-analyze.js [--rounds=3] [--docs=N]
 * Prints one JSON object, then a table. Takes about 30-60 s on 2 cores.
 */
import { performance } from 'node:perf_hooks';
import { type Analyzer, createAnalyzer } from '../src/text/analyzer.js';
import { TermDictionary } from '../src/text/term-dictionary.js';
import { termFrequencies } from '../src/text/term-frequencies.js';
import { argument } from './argument.js';
import { loadEnglishCorpus } from './corpus/english-corpus.js';
import { formatTable } from './format-table.js';
import { machineFacts } from './machine-facts.js';
import { round } from './round.js';

const rounds = Number(argument('rounds', '3'));
const docsArgument = argument('docs', '');
const loadStart = performance.now();
const documents = loadEnglishCorpus(docsArgument === '' ? undefined : Number(docsArgument));
const loadMs = performance.now() - loadStart;
const textBytes = documents.reduce((sum, doc) => sum + Buffer.byteLength(doc), 0);

const analyzers: Record<string, Analyzer> = {
  standard: createAnalyzer({}),
  english: createAnalyzer({ type: 'english' }),
  'whitespace+lowercase': createAnalyzer({ tokenizer: 'whitespace', filter: ['lowercase'] }),
  'standard uax29+lowercase': createAnalyzer({
    tokenizer: { type: 'standard', uax29: true },
    filter: ['lowercase'],
  }),
};
const dictionary = new TermDictionary();
for (const doc of documents) termFrequencies(analyzers['english']!, dictionary, doc);

interface Case {
  name: string;
  analyzer: string;
  run: () => number; // returns tokens produced
}
const cases: Case[] = [
  ...Object.keys(analyzers).map((name) => ({
    name: 'terms()',
    analyzer: name,
    run: () => documents.reduce((sum, doc) => sum + analyzers[name]!.terms(doc).length, 0),
  })),
  {
    name: 'tokens()',
    analyzer: 'standard',
    run: () => documents.reduce((sum, doc) => sum + analyzers['standard']!.tokens(doc).length, 0),
  },
  {
    name: 'termFrequencies()',
    analyzer: 'english',
    run: () =>
      documents.reduce((sum, doc) => sum + termFrequencies(analyzers['english']!, dictionary, doc).length, 0),
  },
];

const timings = new Map<Case, { ms: number[]; tokens: number }>();
for (const c of cases) c.run(); // warm-up
for (let r = 0; r < rounds; r++) {
  for (const c of cases) {
    const start = performance.now();
    const tokens = c.run();
    const ms = performance.now() - start;
    const entry = timings.get(c) ?? { ms: [], tokens };
    entry.ms.push(ms);
    timings.set(c, entry);
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const results = cases.map((c) => {
  const { ms, tokens } = timings.get(c)!;
  const m = median(ms);
  return {
    case: c.name,
    analyzer: c.analyzer,
    documents: documents.length,
    tokens,
    medianMs: round(m, 1),
    documentsPerSecond: Math.round(documents.length / (m / 1000)),
    tokensPerSecond: Math.round(tokens / (m / 1000)),
    megabytesPerSecond: round(textBytes / 1e6 / (m / 1000), 1),
  };
});

console.log(
  JSON.stringify({
    bench: 'text-analyze',
    machine: machineFacts(),
    corpus: {
      source: 'wordnet-base (WordNet 3.0 synsets)',
      documents: documents.length,
      utf8Bytes: textBytes,
      loadMs: round(loadMs, 1),
      englishDistinctTerms: dictionary.size,
    },
    rounds,
    results,
  }),
);
console.log(
  formatTable(
    ['case', 'analyzer', 'docs', 'tokens', 'median ms', 'docs/s', 'tokens/s', 'MB/s'],
    results.map((r) => [
      r.case,
      r.analyzer,
      String(r.documents),
      String(r.tokens),
      String(r.medianMs),
      String(r.documentsPerSecond),
      String(r.tokensPerSecond),
      String(r.megabytesPerSecond),
    ]),
  ),
);
