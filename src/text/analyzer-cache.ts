import { type Analyzer, createAnalyzer } from './analyzer.js';

const analyzers = new Map<string, Analyzer>();

/**
 * The analyzer for a field's `analyzer_params` (its JSON text; '' or undefined = the standard
 * analyzer), built once and reused: fields of one collection share parameters, and building one per
 * row or per filter evaluation would dominate the cost of tokenizing. Bounded by the number of
 * distinct parameter texts the server has seen.
 */
export function analyzerFor(params: string | undefined): Analyzer {
  const key = params ?? '';
  let analyzer = analyzers.get(key);
  if (!analyzer) {
    analyzer = createAnalyzer(key === '' ? {} : key);
    analyzers.set(key, analyzer);
  }
  return analyzer;
}
