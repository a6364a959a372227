import { QuiverError } from './quiver-error.js';

/**
 * Factories for the errors Quiver raises, each producing Milvus's message layout.
 * Milvus wraps details around the base message in two ways:
 *   - "<base>[key=value][key=value]" for not-found style errors (merr.WrapErrXxx(name)),
 *   - "<detail>: <base>" for parameter errors (merr.WrapErrParameterInvalidMsg).
 */
export const errors = {
  collectionNotFound(database: string, collection: string): QuiverError {
    return new QuiverError(
      'CollectionNotFound',
      `collection not found[database=${database}][collection=${collection}]`,
    );
  },
  collectionNotLoaded(collection: string): QuiverError {
    return new QuiverError('CollectionNotLoaded', `collection not loaded[collection=${collection}]`);
  },
  partitionNotFound(partition: string): QuiverError {
    return new QuiverError('PartitionNotFound', `partition not found[partition=${partition}]`);
  },
  databaseNotFound(database: string): QuiverError {
    return new QuiverError('DatabaseNotFound', `database not found[database=${database}]`);
  },
  aliasNotFound(database: string, alias: string): QuiverError {
    return new QuiverError('AliasNotFound', `alias not found[database=${database}][alias=${alias}]`);
  },
  indexNotFound(collection: string): QuiverError {
    return new QuiverError('IndexNotFound', `index not found[collection=${collection}]`);
  },
  /** "<detail>: invalid parameter" — Milvus's WrapErrParameterInvalidMsg layout. */
  parameterInvalid(detail: string): QuiverError {
    return new QuiverError('ParameterInvalid', `${detail}: invalid parameter`);
  },
  /** Milvus's WrapErrParameterInvalid(expected, actual, msg) layout. */
  parameterInvalidValue(expected: string, actual: string, detail: string): QuiverError {
    return new QuiverError(
      'ParameterInvalid',
      `${detail}: invalid parameter[expected=${expected}][actual=${actual}]`,
    );
  },
  parameterMissing(name: string): QuiverError {
    return new QuiverError('ParameterMissing', `missing parameter[missing_param=${name}]`);
  },
  unexpected(detail: string, cause?: unknown): QuiverError {
    return new QuiverError('Unexpected', detail, { cause });
  },
  ioFailed(detail: string, cause?: unknown): QuiverError {
    return new QuiverError('IoFailed', `${detail}: IO failed`, { cause });
  },
};
