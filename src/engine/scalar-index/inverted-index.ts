import type { Column } from '../../schema/index.js';
import { DataType, isIntegerType } from '../../schema/index.js';
import { columnTypes, decodePostings, PostingsIndex, refuseColumn } from './postings-index.js';
import type { ScalarIndexFactory } from './scalar-index.js';
import { keySections } from './scalar-index-file.js';
import { buildSortedPostings } from './sorted-postings.js';

/**
 * INVERTED: per distinct value (per distinct element for Array fields) the rows holding it, like
 * Milvus's tantivy-backed inverted index. Answers ==, !=, in, <, <=, >, >=, ranges, prefix LIKE on
 * VarChar, array_contains / _all / _any on Arrays, is null / is not null, and on low-cardinality
 * fields any other predicate of the field alone (evaluated once per distinct value).
 */
export class InvertedIndex extends PostingsIndex {
  readonly type = 'INVERTED' as const;

  protected keySections(): Uint8Array[] {
    return keySections(this.postings.keys);
  }
}

/** Key types INVERTED holds: Bool, integers, Float, Double, VarChar (as fields or Array elements). */
function invertedKeyType(type: DataType): boolean {
  return (
    type === DataType.Bool ||
    isIntegerType(type) ||
    type === DataType.Float ||
    type === DataType.Double ||
    type === DataType.VarChar
  );
}

function accepts(dataType: DataType, elementType: DataType): boolean {
  return dataType === DataType.Array ? invertedKeyType(elementType) : invertedKeyType(dataType);
}

export const invertedIndexFactory: ScalarIndexFactory = {
  type: 'INVERTED',
  build(column: Column): InvertedIndex {
    const { dataType, elementType } = columnTypes(column);
    if (!accepts(dataType, elementType)) refuseColumn('INVERTED', column);
    return new InvertedIndex(dataType, elementType, buildSortedPostings(column));
  },
  deserialize(bytes: Uint8Array, source?: string): InvertedIndex {
    const decoded = decodePostings(bytes, 'INVERTED', source, (sections) => {
      const { dataType, elementType } = sections.header;
      if (!accepts(dataType, elementType))
        sections.fail('the header names a column type INVERTED does not hold');
      return sections.keys('keys', true);
    });
    return new InvertedIndex(decoded.dataType, decoded.elementType, decoded.postings);
  },
};
