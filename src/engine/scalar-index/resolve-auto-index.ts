import { errors } from '../../errors/index.js';
import { type Column, DataType, dataTypeName, type FieldSchema, isIntegerType } from '../../schema/index.js';
import type { ScalarIndexType } from './scalar-index.js';

/**
 * What AUTOINDEX on a scalar field becomes, as Milvus 2.5/2.6 decide it: the proxy picks an index
 * type from `scalarAutoIndex.params.build` (default
 * `{"int": "HYBRID", "varchar": "HYBRID", "bool": "BITMAP", "float": "INVERTED", "json": ...}`) by
 * the field's type (an Array's element type), and HYBRID is resolved per segment by segcore's
 * HybridScalarIndex: fewer than `bitmapCardinalityLimit` (default 100) distinct values make a
 * BITMAP, more make an STL_SORT for integers or an INVERTED for strings and arrays.
 *
 * `milvusIndexType` is the index_type Milvus records for the field (what DescribeIndex params say).
 */
export type AutoIndexResolution =
  | { readonly milvusIndexType: 'BITMAP' | 'INVERTED'; readonly indexType: 'BITMAP' | 'INVERTED' }
  | {
      readonly milvusIndexType: 'HYBRID';
      readonly lowCardinality: 'BITMAP';
      readonly highCardinality: 'STL_SORT' | 'INVERTED';
      readonly bitmapCardinalityLimit: number;
    };

/** scalarAutoIndex.params.bitmapCardinalityLimit's default (DefaultBitmapCardinalityLimit). */
export const defaultBitmapCardinalityLimit = 100;

/** typeutil.IsPrimitiveType: the scalar types the proxy maps through the auto-index table. */
function isPrimitive(type: DataType): boolean {
  return (
    type === DataType.Bool ||
    isIntegerType(type) ||
    type === DataType.Float ||
    type === DataType.Double ||
    type === DataType.String ||
    type === DataType.VarChar
  );
}

/**
 * Milvus's choice for AUTOINDEX on a scalar field. Throws Milvus's error for a field it cannot
 * auto-index: `invalid parameter[expected=supported field][actual=create auto index on type:JSON
 * is not supported]` (code 1100).
 */
export function resolveAutoIndex(
  field: FieldSchema,
  bitmapCardinalityLimit = defaultBitmapCardinalityLimit,
): AutoIndexResolution {
  const isArray = field.dataType === DataType.Array;
  const type = isArray ? field.elementType : field.dataType;
  if (!isPrimitive(field.dataType) && !isArray) {
    throw errors.parameterInvalidValue(
      'supported field',
      `create auto index on type:${dataTypeName(field.dataType)} is not supported`,
      '',
    );
  }
  if (type === DataType.Bool) return { milvusIndexType: 'BITMAP', indexType: 'BITMAP' };
  if (type === DataType.Float || type === DataType.Double) {
    return { milvusIndexType: 'INVERTED', indexType: 'INVERTED' };
  }
  return {
    milvusIndexType: 'HYBRID',
    lowCardinality: 'BITMAP',
    // Arrays and strings: INVERTED; integers: STL_SORT (HybridScalarIndex's legacy selection).
    highCardinality: isIntegerType(type) && !isArray ? 'STL_SORT' : 'INVERTED',
    bitmapCardinalityLimit,
  };
}

/**
 * The index type an auto index builds for one segment's column: HYBRID counts distinct non-null
 * values (Array elements) up to the limit. Milvus also counts the placeholder values of null rows;
 * Quiver does not, so a nullable column may pick BITMAP where Milvus picks the other type (both
 * answer every filter the same).
 */
export function autoIndexTypeFor(resolution: AutoIndexResolution, column: Column): ScalarIndexType {
  if (resolution.milvusIndexType !== 'HYBRID') return resolution.indexType;
  const limit = resolution.bitmapCardinalityLimit;
  const seen = new Set<unknown>();
  const { valid } = column;
  const rows = column.values.length;
  for (let row = 0; row < rows && seen.size < limit; row++) {
    if (valid !== undefined && valid[row] === 0) continue;
    if (column.type === DataType.Array) {
      for (const element of column.values[row] as Iterable<unknown>) seen.add(element);
    } else {
      seen.add((column.values as ArrayLike<unknown>)[row]);
    }
  }
  return seen.size >= limit ? resolution.highCardinality : resolution.lowCardinality;
}
