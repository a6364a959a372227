import { errors } from '../../errors/index.js';
import { bitmapIndexFactory } from './bitmap-index.js';
import { invertedIndexFactory } from './inverted-index.js';
import type { ScalarIndex, ScalarIndexFactory, ScalarIndexType } from './scalar-index.js';
import { readScalarIndexFileHeader } from './scalar-index-file.js';
import { stlSortIndexFactory } from './stl-sort-index.js';
import { trieIndexFactory } from './trie-index.js';

const factories: ReadonlyMap<ScalarIndexType, ScalarIndexFactory> = new Map(
  [invertedIndexFactory, stlSortIndexFactory, trieIndexFactory, bitmapIndexFactory].map((factory) => [
    factory.type,
    factory,
  ]),
);

/** The factory of a scalar index type. */
export function scalarIndexFactory(type: ScalarIndexType): ScalarIndexFactory {
  const factory = factories.get(type);
  if (factory === undefined) throw errors.indexNotSupported(String(type));
  return factory;
}

/**
 * Loads a scalar index file of any type: the header names the type. `source` (the path) appears in
 * ScalarIndexFileCorruptError messages.
 */
export function deserializeScalarIndex(bytes: Uint8Array, source?: string): ScalarIndex {
  const { indexType } = readScalarIndexFileHeader(bytes, source);
  return scalarIndexFactory(indexType).deserialize(bytes, source);
}
