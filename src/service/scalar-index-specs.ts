import type { ScalarIndexSpec } from '../engine/collection/scalar-index-manager.js';
import { scalarIndexTypeOf } from '../engine/scalar-index/check-scalar-index-applicable.js';
import { resolveAutoIndex } from '../engine/scalar-index/resolve-auto-index.js';
import type { ScalarIndexType } from '../engine/scalar-index/scalar-index.js';
import { type FieldSchema, isVectorType } from '../schema/index.js';
import type { CollectionInfo } from './catalog/catalog-model.js';

/**
 * The index type to build for a declared scalar index. AUTOINDEX follows Milvus's choice; where
 * Milvus picks per segment by cardinality (HYBRID), Quiver builds its high-cardinality type for
 * every segment, which answers every filter the same way.
 */
function resolveScalarIndexType(indexType: string, field: FieldSchema): ScalarIndexType {
  if (indexType === 'AUTOINDEX') {
    const resolution = resolveAutoIndex(field);
    return resolution.milvusIndexType === 'HYBRID' ? resolution.highCardinality : resolution.indexType;
  }
  const type = scalarIndexTypeOf(indexType);
  if (!type) throw new Error(`catalog holds unknown scalar index type ${indexType}`);
  return type;
}

/** The scalar indexes the engine must maintain for a collection, from its declared indexes. */
export function scalarIndexSpecs(collection: CollectionInfo): ScalarIndexSpec[] {
  const byName = new Map(collection.schema.fields.map((f) => [f.name, f]));
  return (collection.indexes ?? [])
    .filter((index) => {
      const field = byName.get(index.fieldName);
      return field !== undefined && !isVectorType(field.dataType);
    })
    .map((index) => ({
      fieldName: index.fieldName,
      fieldId: index.fieldId,
      type: resolveScalarIndexType(index.indexType, byName.get(index.fieldName)!),
    }));
}
