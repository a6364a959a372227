/**
 * A real English corpus for text-analysis and BM25 benchmarks: the 117,659 synsets of WordNet 3.0
 * as Debian's wordnet-base package installs them (/usr/share/wordnet/data.{noun,verb,adj,adv}).
 * Install with bench/corpus/install-corpus.sh.
 *
 * One document per synset, in file order (noun, verb, adj, adv): its words joined by ", " (underscores
 * become spaces, adjective position markers like "(a)" dropped), then ": " and the gloss (definition
 * and quoted examples), e.g.
 *   "breathe, take a breath, respire, suspire: draw air into, and expel out of, the lungs; "I can
 *    breathe better when the air is clean"; "The patient is respiring""
 * Documents are short (about 14 words on average) and deterministic.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const wordnetDirectory = '/usr/share/wordnet';
const files = ['data.noun', 'data.verb', 'data.adj', 'data.adv'];

/** Yields up to `limit` documents (all 117,659 by default). */
export function* englishCorpus(options: { limit?: number; directory?: string } = {}): Generator<string> {
  const directory = options.directory ?? wordnetDirectory;
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  if (!existsSync(join(directory, files[0]!))) {
    throw new Error(`WordNet data not found in ${directory}: run bench/corpus/install-corpus.sh`);
  }
  let produced = 0;
  for (const file of files) {
    const text = readFileSync(join(directory, file), 'latin1');
    for (const line of text.split('\n')) {
      if (produced >= limit) return;
      const document = synsetDocument(line);
      if (document !== undefined) {
        produced += 1;
        yield document;
      }
    }
  }
}

/** All documents (or the first `limit`) as an array. */
export function loadEnglishCorpus(limit?: number): string[] {
  return [...englishCorpus(limit === undefined ? {} : { limit })];
}

/**
 * One data.* line: "offset lex_filenum ss_type w_cnt word lex_id [word lex_id ...] p_cnt ... | gloss".
 * License header lines start with two spaces and are skipped.
 */
export function synsetDocument(line: string): string | undefined {
  if (line.length === 0 || line.startsWith(' ')) return undefined;
  const bar = line.indexOf(' | ');
  if (bar < 0) return undefined;
  const fields = line.slice(0, bar).split(' ');
  const wordCount = Number.parseInt(fields[3] ?? '', 16);
  if (!Number.isFinite(wordCount)) return undefined;
  const words: string[] = [];
  for (let i = 0; i < wordCount; i++) {
    const word = fields[4 + 2 * i];
    if (word !== undefined) words.push(word.replace(/\([a-z]+\)$/, '').replaceAll('_', ' '));
  }
  return `${words.join(', ')}: ${line.slice(bar + 3).trim()}`;
}
