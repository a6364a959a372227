import type { Analyzer } from './analyzer.js';
import type { TermDictionary } from './term-dictionary.js';

/** A document (or query) as a sparse vector of term counts. */
export interface TermFrequencies {
  /** Term ids, ascending, each once. */
  indices: Uint32Array;
  /** How often each term occurs, parallel to `indices`. */
  values: Float32Array;
  /** Number of tokens the analyzer produced (BM25's document length), unknown terms included. */
  length: number;
}

/**
 * Analyzes `text` and counts its terms by id. With `addTerms` (the default, for inserted documents)
 * new terms get ids in `dictionary`; with `addTerms: false` (queries) terms the dictionary does not
 * know are left out of the vector, since no document can match them, but still count in `length`.
 */
export function termFrequencies(
  analyzer: Analyzer,
  dictionary: TermDictionary,
  text: string,
  options: { addTerms?: boolean } = {},
): TermFrequencies {
  const addTerms = options.addTerms ?? true;
  // Ids into a plain array, sorted, then counted in runs: cheaper than a Map per (short) document.
  const ids: number[] = [];
  let length = 0;
  analyzer.forEachTerm(text, (term) => {
    length += 1;
    const id = addTerms ? dictionary.getOrAdd(term) : dictionary.id(term);
    if (id >= 0) ids.push(id);
  });
  const sorted = Uint32Array.from(ids).sort();
  let distinct = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct += 1;
  const indices = new Uint32Array(distinct);
  const values = new Float32Array(distinct);
  let at = -1;
  for (let i = 0; i < sorted.length; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) indices[++at] = sorted[i]!;
    values[at]! += 1;
  }
  return { indices, values, length };
}
