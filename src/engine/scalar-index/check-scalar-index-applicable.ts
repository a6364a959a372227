import { errors, type QuiverError } from '../../errors/index.js';
import {
  DataType,
  dataTypeName,
  type FieldSchema,
  isIntegerType,
  isStringType,
  isVectorType,
} from '../../schema/index.js';
import { resolveAutoIndex } from './resolve-auto-index.js';
import type { ScalarIndexType } from './scalar-index.js';

/**
 * Milvus's CreateIndex rules for scalar index types (2.6: internal/util/indexparamcheck/
 * *_checker.go and internal/proxy/task_index.go; README.md in this folder has the table). The
 * checkers return plain errors that the proxy wraps as
 * `merr.WrapErrParameterInvalid("valid index params", "invalid index params", err.Error())`,
 * so clients see code 1100 and `<checker message>: invalid parameter[expected=valid index
 * params][actual=invalid index params]`.
 */

/** Index type names Milvus registers for the four scalar indexes (conf_adapter_mgr.go). */
const indexTypeNames: ReadonlyMap<string, ScalarIndexType> = new Map([
  ['INVERTED', 'INVERTED'],
  ['STL_SORT', 'STL_SORT'],
  ['Asceneding', 'STL_SORT'],
  ['Trie', 'Trie'],
  ['TRIE', 'Trie'],
  ['marisa-trie', 'Trie'],
  ['BITMAP', 'BITMAP'],
]);

/** Scalar index types Milvus has and Quiver does not build. */
const unbuiltIndexTypes = new Set(['HYBRID', 'NGRAM', 'RTREE']);

/** The scalar index type an index_type name selects (aliases included), if any. */
export function scalarIndexTypeOf(name: string): ScalarIndexType | undefined {
  return indexTypeNames.get(name);
}

/** JSON cast types Milvus 2.6 accepts for an INVERTED index on a JSON path (inverted_checker.go). */
const jsonCastTypes = new Set([
  'BOOL',
  'DOUBLE',
  'VARCHAR',
  'ARRAY_BOOL',
  'ARRAY_DOUBLE',
  'ARRAY_VARCHAR',
  'JSON',
]);

function invalidIndexParams(message: string): QuiverError {
  return errors.parameterInvalidValue('valid index params', 'invalid index params', message);
}

const isArithmetic = (type: DataType): boolean =>
  isIntegerType(type) || type === DataType.Float || type === DataType.Double;

/** Milvus's CheckValidDataType of each checker: the checker's message, or undefined when valid. */
function dataTypeProblem(type: ScalarIndexType, field: FieldSchema): string | undefined {
  const dataType = field.dataType;
  const name = dataTypeName(dataType);
  switch (type) {
    case 'INVERTED':
      return dataType === DataType.Bool ||
        isArithmetic(dataType) ||
        isStringType(dataType) ||
        dataType === DataType.Array ||
        dataType === DataType.JSON
        ? undefined
        : `INVERTED are not supported on ${name} field`;
    case 'STL_SORT':
      return isArithmetic(dataType) || isStringType(dataType) || dataType === DataType.Timestamptz
        ? undefined
        : `STL_SORT are only supported on numeric, varchar or timestamptz field, got ${name}`;
    case 'Trie':
      return isStringType(dataType) ? undefined : 'TRIE are only supported on varchar field';
    case 'BITMAP': {
      if (field.isPrimaryKey) return 'create bitmap index on primary key not supported';
      const bitmapType = (t: DataType): boolean => t === DataType.Bool || isIntegerType(t) || isStringType(t);
      if (!bitmapType(dataType) && dataType !== DataType.Array) {
        return 'bitmap index are only supported on bool, int, string and array field';
      }
      if (dataType === DataType.Array && !bitmapType(field.elementType)) {
        return 'bitmap index are only supported on bool, int, string for array field';
      }
      return undefined;
    }
  }
}

/** INVERTEDChecker.CheckTrain on a JSON field: the json_cast_type / json_cast_function params. */
function jsonParamsProblem(params: Readonly<Record<string, string>>): QuiverError | undefined {
  const castType = params.json_cast_type;
  if (castType === undefined) {
    return invalidIndexParams(
      errors.parameterMissing('json_cast_type', 'json index must specify cast type').message,
    );
  }
  if (!jsonCastTypes.has(castType)) {
    return invalidIndexParams(errors.parameterInvalid(`json_cast_type ${castType} is not supported`).message);
  }
  const castFunction = params.json_cast_function;
  if (castFunction === undefined) return undefined;
  if (castFunction !== 'STRING_TO_DOUBLE') {
    return invalidIndexParams(
      errors.parameterInvalid(`json_cast_function ${castFunction} is not supported`).message,
    );
  }
  if (castType !== 'DOUBLE') {
    return invalidIndexParams(
      errors.parameterInvalid(
        `json_cast_function ${castFunction} is not supported for json_cast_type ${castType}`,
      ).message,
    );
  }
  return undefined;
}

/**
 * Throws the QuiverError Milvus returns from CreateIndex when `indexType` (a Milvus index_type name,
 * aliases and AUTOINDEX included) cannot index `field`; returns when it can. `params` are the
 * request's index params (json_cast_type, metric_type, ...).
 *
 * Where Milvus would accept the index but Quiver cannot build it (a JSON path index, STL_SORT on
 * Timestamptz, HYBRID / NGRAM / RTREE) it throws OperationNotSupported (code 3000) naming the gap.
 * Vector index types (HNSW, ...) are not handled here: the caller sends them to the vector index
 * checks (a vector type name reaching this function is reported as an invalid index type).
 */
export function checkScalarIndexApplicable(
  indexType: string,
  field: FieldSchema,
  params: Readonly<Record<string, string>> = {},
): void {
  if (indexType === 'AUTOINDEX') {
    // On a vector field AUTOINDEX is a vector index: not this function's business.
    if (!isVectorType(field.dataType)) resolveAutoIndex(field);
    return;
  }
  if (unbuiltIndexTypes.has(indexType)) {
    throw errors.operationNotSupported(`Quiver does not build ${indexType} indexes`);
  }
  const type = scalarIndexTypeOf(indexType);
  if (type === undefined) {
    throw errors.parameterInvalidValue('valid index', `invalid index type: ${indexType}`, '');
  }
  if (isVectorType(field.dataType)) {
    // Proxy order for vector fields: the metric type first, then the index / data type pairing.
    if (params.metric_type === undefined) throw invalidIndexParams('metric type not set for vector index');
    throw invalidIndexParams(`data type ${field.dataType} can't build with this index ${indexType}`);
  }
  const problem = dataTypeProblem(type, field);
  if (problem !== undefined) throw invalidIndexParams(problem);
  if (field.dataType === DataType.JSON) {
    const paramsProblem = jsonParamsProblem(params);
    if (paramsProblem !== undefined) throw paramsProblem;
    throw errors.operationNotSupported('Quiver does not build indexes on JSON paths yet');
  }
  if (field.dataType === DataType.Timestamptz) {
    throw errors.operationNotSupported(`Quiver does not build ${type} indexes on Timestamptz fields yet`);
  }
}
