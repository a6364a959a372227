import { type Column, DataType } from '../../schema/index.js';
import { frontCodeStrings, readFrontCodedStrings } from './front-coded-strings.js';
import { columnTypes, decodePostings, PostingsIndex, refuseColumn } from './postings-index.js';
import type { ScalarIndexFactory } from './scalar-index.js';
import { buildSortedPostings, type SortedPostings } from './sorted-postings.js';

/**
 * Trie (Milvus's marisa-trie on VarChar): the distinct strings in UTF-8 byte order with their rows.
 * In memory the trie is flattened to a sorted string array: every query a trie answers (exact
 * match, `in`, prefix LIKE, lexicographic ranges) is a binary search over it, and prefixes map to
 * contiguous runs. On disk the keys are front-coded (each stores only what differs from the key
 * before it), which is what makes a trie compact. Also answers != and is [not] null, and on
 * low-cardinality fields any predicate of the field alone.
 */
export class TrieIndex extends PostingsIndex {
  readonly type = 'Trie' as const;

  constructor(postings: SortedPostings) {
    super(DataType.VarChar, DataType.None, postings);
  }

  protected keySections(): Uint8Array[] {
    return frontCodeStrings(this.postings.keys as string[]);
  }
}

export const trieIndexFactory: ScalarIndexFactory = {
  type: 'Trie',
  build(column: Column): TrieIndex {
    const { dataType } = columnTypes(column);
    if (dataType !== DataType.VarChar) refuseColumn('Trie', column);
    return new TrieIndex(buildSortedPostings(column));
  },
  deserialize(bytes: Uint8Array, source?: string): TrieIndex {
    const decoded = decodePostings(bytes, 'Trie', source, (sections) => {
      if (sections.header.dataType !== DataType.VarChar || sections.header.elementType !== DataType.None) {
        sections.fail('the header names a column type Trie does not hold');
      }
      return readFrontCodedStrings(sections, 'keys', true);
    });
    return new TrieIndex(decoded.postings);
  },
};
