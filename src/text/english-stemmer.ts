import { stem } from 'porter2';

/**
 * Snowball "english" (Porter2), the stemmer Milvus's `{type: "stemmer", language: "english"}` runs
 * (tantivy's Stemmer → rust-stemmers Algorithm::English). The porter2 npm package implements the
 * same algorithm ("running" → "run", "database" → "databas", "skies" → "sky").
 *
 * Like Snowball it only treats lowercase a-z (and y) as letters it knows: uppercase tokens (no
 * lowercase filter before it) come out mostly unchanged, as they do in Milvus.
 */
export function englishStem(term: string): string {
  return stem(term);
}
