import { ErrorCodes } from './codes.js';
import { describedReason, fieldsReason, prefixedReason, rangeField } from './merr-reason.js';
import { QuiverError } from './quiver-error.js';

/**
 * Factories for the errors Quiver raises, each producing the reason Milvus's merr.WrapErr* function
 * of the same name produces (the function is named in each comment). An optional `detail` is the
 * `msg ...string` argument those functions take; Milvus prefixes it as "<detail>: ".
 */
export const errors = {
  /**
   * An error Milvus raises as a plain Go error (fmt.Errorf / errors.New) rather than a merr error:
   * clients see code 65535, legacy UnexpectedError, and the message verbatim.
   */
  uncoded(message: string): QuiverError {
    return new QuiverError('Unexpected', message);
  },
  /** A failure with no Milvus counterpart (a Quiver bug); same wire shape as `uncoded`. */
  unexpected(detail: string, cause?: unknown): QuiverError {
    return new QuiverError('Unexpected', detail, { cause });
  },

  // Service
  /** WrapErrServiceNotReady(role, sessionID, state): "service not ready[<role>=<id>]: <state>". */
  serviceNotReady(role: string, nodeId: number, state: string): QuiverError {
    return new QuiverError('ServiceNotReady', describedReason('ServiceNotReady', state, [[role, nodeId]]));
  },
  /** WrapErrServiceUnavailable(reason). */
  serviceUnavailable(reason: string): QuiverError {
    return new QuiverError('ServiceUnavailable', describedReason('ServiceUnavailable', reason));
  },
  /** WrapErrServiceInternal(reason). */
  serviceInternal(reason: string, cause?: unknown): QuiverError {
    return new QuiverError('ServiceInternal', describedReason('ServiceInternal', reason), { cause });
  },
  /** WrapErrServiceUnimplemented(grpcErr). */
  serviceUnimplemented(detail: string): QuiverError {
    return new QuiverError('ServiceUnimplemented', describedReason('ServiceUnimplemented', detail));
  },
  /** WrapErrTooManyRequests(limit). */
  serviceTooManyRequests(limit: number): QuiverError {
    return new QuiverError(
      'ServiceTooManyRequests',
      fieldsReason('ServiceTooManyRequests', [['limit', limit]]),
    );
  },
  /** WrapErrServiceRateLimit(rate, msg...). */
  serviceRateLimit(rate: number, detail?: string): QuiverError {
    return new QuiverError('ServiceRateLimit', fieldsReason('ServiceRateLimit', [['rate', rate]], detail));
  },
  /** WrapErrServiceQuotaExceeded(reason, msg...). */
  serviceQuotaExceeded(reason: string, detail?: string): QuiverError {
    return new QuiverError(
      'ServiceQuotaExceeded',
      fieldsReason('ServiceQuotaExceeded', [['reason', reason]], detail),
    );
  },

  // Database
  /** WrapErrDatabaseNotFound(database, msg...). */
  databaseNotFound(database: string, detail?: string): QuiverError {
    return new QuiverError(
      'DatabaseNotFound',
      fieldsReason('DatabaseNotFound', [['database', database]], detail),
    );
  },
  /** WrapErrDatabaseNumLimitExceeded(limit, msg...). */
  databaseNumLimitExceeded(limit: number, detail?: string): QuiverError {
    return new QuiverError(
      'DatabaseNumLimitExceeded',
      fieldsReason('DatabaseNumLimitExceeded', [['limit', limit]], detail),
    );
  },
  /** WrapErrDatabaseNameInvalid(database, msg): "<detail>: invalid database name[database=<name>]". */
  databaseNameInvalid(database: string, detail: string): QuiverError {
    return new QuiverError(
      'DatabaseInvalidName',
      fieldsReason('DatabaseInvalidName', [['database', database]], detail),
    );
  },

  // Collection
  /** WrapErrCollectionNotFoundWithDB(db, collection, msg...). */
  collectionNotFound(database: string, collection: string, detail?: string): QuiverError {
    return new QuiverError(
      'CollectionNotFound',
      fieldsReason(
        'CollectionNotFound',
        [
          ['database', database],
          ['collection', collection],
        ],
        detail,
      ),
    );
  },
  /** WrapErrCollectionNotFound(collection, msg...) (no database field). */
  collectionNotFoundByName(collection: string, detail?: string): QuiverError {
    return new QuiverError(
      'CollectionNotFound',
      fieldsReason('CollectionNotFound', [['collection', collection]], detail),
    );
  },
  /**
   * DescribeCollection's special form (proxy describeCollectionTask, kept "for compatibility with
   * PyMilvus"): code 100 but legacy UnexpectedError, reason "can't find collection[database=..]
   * [collection=..]" and extra_info is_input_error. HasCollection in the SDKs relies on it.
   */
  collectionNotFoundForDescribe(database: string, collection: string): QuiverError {
    return new QuiverError(
      'CollectionNotFound',
      `can't find collection[database=${database}][collection=${collection}]`,
      { legacy: 'UnexpectedError', extraInfo: { is_input_error: 'true' } },
    );
  },
  /** rootcoord createCollectionTask: same name, different schema (plain error in Milvus). */
  collectionExistsWithDifferentParameters(collection: string): QuiverError {
    return new QuiverError(
      'Unexpected',
      `create duplicate collection with different parameters, collection: ${collection}`,
    );
  },
  /** WrapErrCollectionNotLoaded(collection, msg...). */
  collectionNotLoaded(collection: string, detail?: string): QuiverError {
    return new QuiverError(
      'CollectionNotLoaded',
      fieldsReason('CollectionNotLoaded', [['collection', collection]], detail),
    );
  },
  /** WrapErrCollectionNotFullyLoaded(collection, msg...). */
  collectionNotFullyLoaded(collection: string, detail?: string): QuiverError {
    return new QuiverError(
      'CollectionNotFullyLoaded',
      fieldsReason('CollectionNotFullyLoaded', [['collection', collection]], detail),
    );
  },
  /** WrapErrCollectionLoaded(collection, msg). */
  collectionLoaded(collection: string, detail?: string): QuiverError {
    return new QuiverError(
      'CollectionLoaded',
      fieldsReason('CollectionLoaded', [['collection', collection]], detail),
    );
  },
  /** WrapErrCollectionNumLimitExceeded(db, limit, msg...). */
  collectionNumLimitExceeded(database: string, limit: number, detail?: string): QuiverError {
    return new QuiverError(
      'CollectionNumLimitExceeded',
      fieldsReason(
        'CollectionNumLimitExceeded',
        [
          ['dbName', database],
          ['limit', limit],
        ],
        detail,
      ),
    );
  },
  /** WrapErrCollectionIllegalSchema(collection, msg). */
  collectionIllegalSchema(collection: string, detail: string): QuiverError {
    return new QuiverError(
      'CollectionIllegalSchema',
      fieldsReason('CollectionIllegalSchema', [['collection', collection]], detail),
    );
  },
  /** WrapErrCollectionOnRecovering(collection, msg). */
  collectionOnRecovering(collection: string, detail?: string): QuiverError {
    return new QuiverError(
      'CollectionOnRecovering',
      fieldsReason('CollectionOnRecovering', [['collection', collection]], detail),
    );
  },
  /** WrapErrCollectionVectorClusteringKeyNotAllowed(collection). */
  collectionVectorClusteringKeyNotAllowed(collection: string): QuiverError {
    return new QuiverError(
      'CollectionVectorClusteringKeyNotAllowed',
      fieldsReason('CollectionVectorClusteringKeyNotAllowed', [['collection', collection]]),
    );
  },
  /** WrapErrCollectionSchemaMisMatch(collection): insert/upsert with a stale schema_timestamp. */
  collectionSchemaMismatch(collection: string): QuiverError {
    return new QuiverError(
      'CollectionSchemaMismatch',
      fieldsReason('CollectionSchemaMismatch', [['collection', collection]]),
    );
  },

  // Partition
  /** WrapErrPartitionNotFound(partition, msg...). */
  partitionNotFound(partition: string, detail?: string): QuiverError {
    return new QuiverError(
      'PartitionNotFound',
      fieldsReason('PartitionNotFound', [['partition', partition]], detail),
    );
  },
  /** WrapErrPartitionNotLoaded(partition, msg...). */
  partitionNotLoaded(partition: string, detail?: string): QuiverError {
    return new QuiverError(
      'PartitionNotLoaded',
      fieldsReason('PartitionNotLoaded', [['partition', partition]], detail),
    );
  },
  /** WrapErrPartitionNotFullyLoaded(partition, msg...). */
  partitionNotFullyLoaded(partition: string, detail?: string): QuiverError {
    return new QuiverError(
      'PartitionNotFullyLoaded',
      fieldsReason('PartitionNotFullyLoaded', [['partition', partition]], detail),
    );
  },
  /** WrapGeneralCapacityExceed(newGeneralSize, generalCapacity, msg...). */
  generalCapacityExceeded(newGeneralSize: number, generalCapacity: number, detail?: string): QuiverError {
    return new QuiverError(
      'GeneralCapacityExceeded',
      fieldsReason(
        'GeneralCapacityExceeded',
        [
          ['newGeneralSize', newGeneralSize],
          ['generalCapacity', generalCapacity],
        ],
        detail,
      ),
    );
  },

  // Segment
  /** WrapErrSegmentNotFound(id, msg...). */
  segmentNotFound(segmentId: number | bigint, detail?: string): QuiverError {
    return new QuiverError(
      'SegmentNotFound',
      fieldsReason('SegmentNotFound', [['segment', segmentId]], detail),
    );
  },
  /** WrapErrSegmentLoadFailed(id, msg...). */
  segmentLoadFailed(segmentId: number | bigint, detail?: string): QuiverError {
    return new QuiverError(
      'SegmentLoadFailed',
      fieldsReason('SegmentLoadFailed', [['segment', segmentId]], detail),
    );
  },

  // Index
  /** WrapErrIndexNotFoundForCollection(collection, msg...). */
  indexNotFound(collection: string, detail?: string): QuiverError {
    return new QuiverError(
      'IndexNotFound',
      fieldsReason('IndexNotFound', [['collection', collection]], detail),
    );
  },
  /** WrapErrIndexNotFound(indexName, msg...). */
  indexNotFoundByName(indexName: string, detail?: string): QuiverError {
    return new QuiverError(
      'IndexNotFound',
      fieldsReason('IndexNotFound', [['indexName', indexName]], detail),
    );
  },
  /** WrapErrIndexNotSupported(indexType, msg...). */
  indexNotSupported(indexType: string, detail?: string): QuiverError {
    return new QuiverError(
      'IndexNotSupported',
      fieldsReason('IndexNotSupported', [['indexType', indexType]], detail),
    );
  },
  /** WrapErrIndexDuplicate(indexName, msg...). */
  indexDuplicate(indexName: string, detail?: string): QuiverError {
    return new QuiverError(
      'IndexDuplicate',
      fieldsReason('IndexDuplicate', [['indexName', indexName]], detail),
    );
  },

  // Alias
  /** WrapErrAliasNotFound(db, alias, msg...). */
  aliasNotFound(database: string, alias: string, detail?: string): QuiverError {
    return new QuiverError(
      'AliasNotFound',
      fieldsReason(
        'AliasNotFound',
        [
          ['database', database],
          ['alias', alias],
        ],
        detail,
      ),
    );
  },
  /**
   * WrapErrAliasAlreadyExist(db, alias, msg...). Milvus's meta table passes
   * "<alias> is alias to another collection: <collection>" as msg.
   */
  aliasAlreadyExist(database: string, alias: string, detail?: string): QuiverError {
    return new QuiverError(
      'AliasAlreadyExist',
      fieldsReason(
        'AliasAlreadyExist',
        [
          ['database', database],
          ['alias', alias],
        ],
        detail,
      ),
    );
  },
  /** WrapErrAliasCollectionNameConflict(db, alias, msg...). */
  aliasCollectionNameConflict(database: string, alias: string, detail?: string): QuiverError {
    return new QuiverError(
      'AliasCollectionNameConfilct',
      fieldsReason(
        'AliasCollectionNameConfilct',
        [
          ['database', database],
          ['alias', alias],
        ],
        detail,
      ),
    );
  },
  /** WrapErrCollectionIDOfAliasNotFound(collectionID, msg...). */
  collectionIdOfAliasNotFound(collectionId: number | bigint, detail?: string): QuiverError {
    return new QuiverError(
      'CollectionIDOfAliasNotFound',
      fieldsReason('CollectionIDOfAliasNotFound', [['collectionID', collectionId]], detail),
    );
  },

  // Field
  /** WrapErrFieldNotFound(field, msg...). */
  fieldNotFound(field: string, detail?: string): QuiverError {
    return new QuiverError('FieldNotFound', fieldsReason('FieldNotFound', [['field', field]], detail));
  },
  /** WrapErrFieldNameInvalid(field, msg): "<detail>: field name invalid[field=<name>]". */
  fieldNameInvalid(field: string, detail: string): QuiverError {
    return new QuiverError('FieldInvalidName', fieldsReason('FieldInvalidName', [['field', field]], detail));
  },

  // Parameter
  /** WrapErrParameterInvalidMsg(format, args...): "<detail>: invalid parameter". */
  parameterInvalid(detail: string): QuiverError {
    return new QuiverError('ParameterInvalid', prefixedReason('ParameterInvalid', detail));
  },
  /**
   * WrapErrParameterInvalid(expected, actual, msg...):
   * "<detail>: invalid parameter[expected=<expected>][actual=<actual>]" (no prefix when detail is "").
   */
  parameterInvalidValue(expected: unknown, actual: unknown, detail: string): QuiverError {
    return new QuiverError(
      'ParameterInvalid',
      fieldsReason(
        'ParameterInvalid',
        [
          ['expected', expected],
          ['actual', actual],
        ],
        detail,
      ),
    );
  },
  /**
   * WrapErrParameterInvalidRange(lower, upper, actual, msg...):
   * "<detail>: invalid parameter[<actual> out of range <lower> <= value <= <upper>]".
   */
  parameterInvalidRange(lower: unknown, upper: unknown, actual: unknown, detail: string): QuiverError {
    const core = ErrorCodes.ParameterInvalid.message + rangeField(lower, upper, actual);
    return new QuiverError('ParameterInvalid', detail === '' ? core : `${detail}: ${core}`);
  },
  /** WrapErrParameterMissing(param, msg...): "missing parameter[missing_param=<name>]". */
  parameterMissing(name: string, detail?: string): QuiverError {
    return new QuiverError(
      'ParameterMissing',
      fieldsReason('ParameterMissing', [['missing_param', name]], detail),
    );
  },
  /** WrapErrParameterTooLarge(name, msg...): "parameter too large[message=<name>]". */
  parameterTooLarge(name: string, detail?: string): QuiverError {
    return new QuiverError(
      'ParameterTooLarge',
      fieldsReason('ParameterTooLarge', [['message', name]], detail),
    );
  },

  // Privilege
  /** WrapErrPrivilegeNotAuthenticated(format, args...). */
  privilegeNotAuthenticated(detail: string): QuiverError {
    return new QuiverError('PrivilegeNotAuthenticated', prefixedReason('PrivilegeNotAuthenticated', detail));
  },
  /** WrapErrPrivilegeNotPermitted(format, args...). */
  privilegeNotPermitted(detail: string): QuiverError {
    return new QuiverError('PrivilegeNotPermitted', prefixedReason('PrivilegeNotPermitted', detail));
  },

  // IO
  /** WrapErrIoKeyNotFound(key, msg...). */
  ioKeyNotFound(key: string, detail?: string): QuiverError {
    return new QuiverError('IoKeyNotFound', fieldsReason('IoKeyNotFound', [['key', key]], detail));
  },
  /** WrapErrIoFailedReason(reason): "IO failed: <reason>". */
  ioFailed(reason: string, cause?: unknown): QuiverError {
    return new QuiverError('IoFailed', describedReason('IoFailed', reason), { cause });
  },
  /** WrapErrIoFailed(key, err): "IO failed[key=<key>]: <error text>". */
  ioFailedForKey(key: string, reason: string, cause?: unknown): QuiverError {
    return new QuiverError('IoFailed', describedReason('IoFailed', reason, [['key', key]]), { cause });
  },
  /** WrapErrIoUnexpectEOF(key, err). */
  ioUnexpectedEof(key: string, reason: string, cause?: unknown): QuiverError {
    return new QuiverError('IoUnexpectEOF', describedReason('IoUnexpectEOF', reason, [['key', key]]), {
      cause,
    });
  },

  // Misc
  /** WrapErrMetricNotFound(name, msg...). */
  metricNotFound(name: string, detail?: string): QuiverError {
    return new QuiverError('MetricNotFound', fieldsReason('MetricNotFound', [['metric', name]], detail));
  },
  /** WrapErrImportFailed(msg...): "<detail>: importing data failed". */
  importFailed(detail: string): QuiverError {
    return new QuiverError('ImportFailed', prefixedReason('ImportFailed', detail));
  },
  /** merr.ErrOperationNotSupported wrapped with a detail (errors.Wrap layout). */
  operationNotSupported(detail: string): QuiverError {
    return new QuiverError('OperationNotSupported', prefixedReason('OperationNotSupported', detail));
  },
  /** A request cancelled by the client (Go context.Canceled). */
  canceled(): QuiverError {
    return new QuiverError('Canceled', 'context canceled');
  },
  /** A request past its deadline (Go context.DeadlineExceeded). */
  timeout(): QuiverError {
    return new QuiverError('Timeout', 'context deadline exceeded');
  },
};
