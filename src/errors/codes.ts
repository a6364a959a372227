/**
 * The single registry of user-visible errors. Each entry carries Milvus's numeric `code` (merr),
 * the legacy `commonpb.ErrorCode` enum name that older clients still read, and the base message
 * Milvus uses for that error. Wire mappings (gRPC status, REST body) read only this table.
 */
export interface ErrorDefinition {
  /** Milvus merr code (common.Status.code). */
  readonly code: number;
  /** Legacy enum name for common.Status.error_code. */
  readonly legacy: LegacyErrorCode;
  /** Milvus's base message; details are appended or wrapped around it. */
  readonly message: string;
  /** Whether Milvus marks the error as retriable (clients may retry). */
  readonly retriable: boolean;
}

export type LegacyErrorCode =
  | 'Success'
  | 'UnexpectedError'
  | 'PermissionDenied'
  | 'CollectionNotExists'
  | 'IllegalArgument'
  | 'IndexNotExist'
  | 'RateLimit'
  | 'NotReadyServe'
  | 'SchemaMismatch'
  | 'UpsertAutoIDTrue'
  | 'DiskQuotaExhausted'
  | 'MemoryQuotaExhausted';

function def(code: number, legacy: LegacyErrorCode, message: string, retriable = false): ErrorDefinition {
  return { code, legacy, message, retriable };
}

export const ErrorCodes = {
  Success: def(0, 'Success', ''),
  // Service family (1-99)
  ServiceNotReady: def(1, 'NotReadyServe', 'service not ready', true),
  ServiceUnavailable: def(2, 'UnexpectedError', 'service unavailable', true),
  ServiceMemoryLimitExceeded: def(3, 'MemoryQuotaExhausted', 'memory limit exceeded'),
  ServiceTooManyRequests: def(4, 'RateLimit', 'too many concurrent requests, queue is full', true),
  ServiceInternal: def(5, 'UnexpectedError', 'service internal error'),
  ServiceRateLimit: def(8, 'RateLimit', 'rate limit exceeded', true),
  ServiceDiskLimitExceeded: def(10, 'DiskQuotaExhausted', 'disk limit exceeded'),
  ServiceUnimplemented: def(14, 'UnexpectedError', 'service unimplemented'),
  // Collection family (100-199)
  CollectionNotFound: def(100, 'CollectionNotExists', 'collection not found'),
  CollectionNotLoaded: def(101, 'UnexpectedError', 'collection not loaded'),
  CollectionNumLimitExceeded: def(102, 'UnexpectedError', 'exceeded the limit number of collections'),
  CollectionNotFullyLoaded: def(103, 'UnexpectedError', 'collection not fully loaded', true),
  CollectionSchemaMismatch: def(107, 'SchemaMismatch', 'collection schema mismatch'),
  // Partition family (200-299)
  PartitionNotFound: def(200, 'UnexpectedError', 'partition not found'),
  PartitionNotLoaded: def(201, 'UnexpectedError', 'partition not loaded'),
  // Index family (700-799)
  IndexNotFound: def(700, 'IndexNotExist', 'index not found'),
  IndexNotSupported: def(701, 'UnexpectedError', 'index type not supported'),
  IndexDuplicate: def(702, 'UnexpectedError', 'index duplicates'),
  // Database family (800-899)
  DatabaseNotFound: def(800, 'UnexpectedError', 'database not found'),
  DatabaseNumLimitExceeded: def(801, 'UnexpectedError', 'exceeded the limit number of database'),
  DatabaseInvalidName: def(802, 'UnexpectedError', 'invalid database name'),
  // Parameter family (1100-1199)
  ParameterInvalid: def(1100, 'IllegalArgument', 'invalid parameter'),
  ParameterMissing: def(1101, 'IllegalArgument', 'missing parameter'),
  ParameterTooLarge: def(1102, 'IllegalArgument', 'parameter too large'),
  // Metrics / misc
  MetricNotFound: def(1200, 'UnexpectedError', 'metric not found'),
  // Alias family (1600-1699)
  AliasNotFound: def(1600, 'UnexpectedError', 'alias not found'),
  AliasCollectionNameConfilct: def(1601, 'UnexpectedError', 'alias and collection name conflict'),
  AliasAlreadyExist: def(1602, 'UnexpectedError', 'alias already exist'),
  // Privilege family
  PrivilegeNotAuthenticated: def(1400, 'PermissionDenied', 'not authenticated'),
  PrivilegeNotPermitted: def(1401, 'PermissionDenied', 'privilege not permitted'),
  // Segment / IO
  IoFailed: def(1000, 'UnexpectedError', 'IO failed'),
  SegmentNotFound: def(600, 'UnexpectedError', 'segment not found'),
  // Catch-all, as Milvus does for errors outside merr.
  Unexpected: def(65535, 'UnexpectedError', 'unexpected error'),
} as const satisfies Record<string, ErrorDefinition>;

export type ErrorKind = keyof typeof ErrorCodes;
