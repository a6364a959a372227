/**
 * The single registry of user-visible errors. Each entry carries Milvus's numeric `code` (merr),
 * the legacy `commonpb.ErrorCode` enum name that older clients still read, the base message
 * Milvus uses for that error, and Milvus's retriable flag. Wire mappings (gRPC status, REST body)
 * read only this table. docs/ERRORS.md lists the same table; codes.test.ts keeps the two equal.
 *
 * Source: milvus pkg/util/merr/errors.go (codes, messages, retriable) and pkg/util/merr/utils.go
 * `oldCode()` (legacy enum), Milvus 2.5/2.6. Codes Milvus gives no legacy mapping fall back to
 * UnexpectedError, exactly as `oldCode()` does.
 */
export interface ErrorDefinition {
  /** Milvus merr code (common.Status.code). */
  readonly code: number;
  /** Legacy enum name for common.Status.error_code. */
  readonly legacy: LegacyErrorCode;
  /** Milvus's base message; details are appended or wrapped around it (see errors.ts). */
  readonly message: string;
  /** Whether Milvus marks the error as retriable (clients may retry). */
  readonly retriable: boolean;
}

/**
 * Numeric values of common.ErrorCode as the milvus-proto in @zilliz/milvus2-sdk-node 2.6 defines
 * them. The legacy field is deprecated but Node clients still test `error_code == "Success"`.
 */
export const legacyErrorCodeValues = {
  Success: 0,
  UnexpectedError: 1,
  ConnectFailed: 2,
  PermissionDenied: 3,
  CollectionNotExists: 4,
  IllegalArgument: 5,
  IllegalDimension: 7,
  IllegalIndexType: 8,
  IllegalCollectionName: 9,
  IllegalTOPK: 10,
  IllegalRowRecord: 11,
  IllegalVectorID: 12,
  IllegalSearchResult: 13,
  FileNotFound: 14,
  MetaFailed: 15,
  CacheFailed: 16,
  CannotCreateFolder: 17,
  CannotCreateFile: 18,
  CannotDeleteFolder: 19,
  CannotDeleteFile: 20,
  BuildIndexError: 21,
  IllegalNLIST: 22,
  IllegalMetricType: 23,
  OutOfMemory: 24,
  IndexNotExist: 25,
  EmptyCollection: 26,
  UpdateImportTaskFailure: 27,
  CollectionNameNotFound: 28,
  CreateCredentialFailure: 29,
  UpdateCredentialFailure: 30,
  DeleteCredentialFailure: 31,
  GetCredentialFailure: 32,
  ListCredUsersFailure: 33,
  GetUserFailure: 34,
  CreateRoleFailure: 35,
  DropRoleFailure: 36,
  OperateUserRoleFailure: 37,
  SelectRoleFailure: 38,
  SelectUserFailure: 39,
  SelectResourceFailure: 40,
  OperatePrivilegeFailure: 41,
  SelectGrantFailure: 42,
  RefreshPolicyInfoCacheFailure: 43,
  ListPolicyFailure: 44,
  NotShardLeader: 45,
  NoReplicaAvailable: 46,
  SegmentNotFound: 47,
  ForceDeny: 48,
  RateLimit: 49,
  NodeIDNotMatch: 50,
  UpsertAutoIDTrue: 51,
  InsufficientMemoryToLoad: 52,
  MemoryQuotaExhausted: 53,
  DiskQuotaExhausted: 54,
  TimeTickLongDelay: 55,
  NotReadyServe: 56,
  NotReadyCoordActivating: 57,
  CreatePrivilegeGroupFailure: 58,
  DropPrivilegeGroupFailure: 59,
  ListPrivilegeGroupsFailure: 60,
  OperatePrivilegeGroupFailure: 61,
  SchemaMismatch: 62,
  DataCoordNA: 100,
  DDRequestRace: 1000,
} as const;

export type LegacyErrorCode = keyof typeof legacyErrorCodeValues;

function def(code: number, legacy: LegacyErrorCode, message: string, retriable = false): ErrorDefinition {
  return Object.freeze({ code, legacy, message, retriable });
}

/**
 * Kinds are merr's variable names without the `Err` prefix (Milvus's own spelling kept, including
 * `AliasCollectionNameConfilct`), so a reader can grep Milvus for the same error.
 */
export const ErrorCodes = {
  Success: def(0, 'Success', ''),

  // Service (1-99)
  ServiceNotReady: def(1, 'NotReadyServe', 'service not ready', true),
  ServiceUnavailable: def(2, 'UnexpectedError', 'service unavailable', true),
  ServiceMemoryLimitExceeded: def(3, 'InsufficientMemoryToLoad', 'memory limit exceeded'),
  ServiceTooManyRequests: def(4, 'UnexpectedError', 'too many concurrent requests, queue is full', true),
  ServiceInternal: def(5, 'UnexpectedError', 'service internal error'),
  ServiceDiskLimitExceeded: def(7, 'DiskQuotaExhausted', 'disk limit exceeded'),
  ServiceRateLimit: def(8, 'RateLimit', 'rate limit exceeded', true),
  ServiceQuotaExceeded: def(9, 'ForceDeny', 'quota exceeded'),
  ServiceUnimplemented: def(10, 'UnexpectedError', 'service unimplemented'),

  // Collection (100-199)
  CollectionNotFound: def(100, 'CollectionNotExists', 'collection not found'),
  CollectionNotLoaded: def(101, 'UnexpectedError', 'collection not loaded'),
  CollectionNumLimitExceeded: def(102, 'UnexpectedError', 'exceeded the limit number of collections'),
  CollectionNotFullyLoaded: def(103, 'UnexpectedError', 'collection not fully loaded', true),
  CollectionLoaded: def(104, 'UnexpectedError', 'collection already loaded'),
  CollectionIllegalSchema: def(105, 'UnexpectedError', 'illegal collection schema'),
  CollectionOnRecovering: def(106, 'UnexpectedError', 'collection on recovering', true),
  CollectionVectorClusteringKeyNotAllowed: def(107, 'UnexpectedError', 'vector clustering key not allowed'),
  CollectionSchemaMismatch: def(109, 'SchemaMismatch', 'collection schema mismatch'),

  // Partition (200-249) and general capacity (250)
  PartitionNotFound: def(200, 'MetaFailed', 'partition not found'),
  PartitionNotLoaded: def(201, 'UnexpectedError', 'partition not loaded'),
  PartitionNotFullyLoaded: def(202, 'UnexpectedError', 'partition not fully loaded', true),
  GeneralCapacityExceeded: def(250, 'UnexpectedError', 'general capacity exceeded'),

  // Segment (600-699)
  SegmentNotFound: def(600, 'SegmentNotFound', 'segment not found'),
  SegmentLoadFailed: def(604, 'UnexpectedError', 'segment load failed'),

  // Index (700-799)
  IndexNotFound: def(700, 'IndexNotExist', 'index not found'),
  IndexNotSupported: def(701, 'UnexpectedError', 'index type not supported'),
  IndexDuplicate: def(702, 'UnexpectedError', 'index duplicates'),

  // Database (800-899)
  DatabaseNotFound: def(800, 'UnexpectedError', 'database not found'),
  DatabaseNumLimitExceeded: def(801, 'UnexpectedError', 'exceeded the limit number of database'),
  DatabaseInvalidName: def(802, 'UnexpectedError', 'invalid database name'),

  // IO (1000-1099)
  IoKeyNotFound: def(1000, 'UnexpectedError', 'key not found'),
  IoFailed: def(1001, 'UnexpectedError', 'IO failed'),
  IoUnexpectEOF: def(1002, 'UnexpectedError', 'unexpected EOF', true),

  // Parameter (1100-1199)
  ParameterInvalid: def(1100, 'IllegalArgument', 'invalid parameter'),
  ParameterMissing: def(1101, 'UnexpectedError', 'missing parameter'),
  ParameterTooLarge: def(1102, 'UnexpectedError', 'parameter too large'),

  // Metrics (1200-1299)
  MetricNotFound: def(1200, 'UnexpectedError', 'metric not found'),

  // Privilege (1400-1499)
  PrivilegeNotAuthenticated: def(1400, 'UnexpectedError', 'not authenticated'),
  PrivilegeNotPermitted: def(1401, 'UnexpectedError', 'privilege not permitted'),
  PrivilegeGroupInvalidName: def(1402, 'UnexpectedError', 'invalid privilege group name'),

  // Alias (1600-1699)
  AliasNotFound: def(1600, 'UnexpectedError', 'alias not found'),
  AliasCollectionNameConfilct: def(1601, 'UnexpectedError', 'alias and collection name conflict'),
  AliasAlreadyExist: def(1602, 'UnexpectedError', 'alias already exist'),
  CollectionIDOfAliasNotFound: def(1603, 'UnexpectedError', 'collection id of alias not found'),

  // Field (1700-1799)
  FieldNotFound: def(1700, 'UnexpectedError', 'field not found'),
  FieldInvalidName: def(1701, 'UnexpectedError', 'field name invalid'),

  // High-level RESTful API (1800-1899)
  NeedAuthenticate: def(1800, 'UnexpectedError', "user hasn't authenticated"),
  IncorrectParameterFormat: def(1801, 'UnexpectedError', 'can only accept json format request'),
  MissingRequiredParameters: def(1802, 'UnexpectedError', 'missing required parameters'),
  MarshalCollectionSchema: def(1803, 'UnexpectedError', 'fail to marshal collection schema'),
  InvalidInsertData: def(1804, 'UnexpectedError', 'fail to deal the insert data'),
  InvalidSearchResult: def(1805, 'UnexpectedError', 'fail to parse search result'),
  CheckPrimaryKey: def(
    1806,
    'UnexpectedError',
    "please check the primary key and its' type can only in [int, string]",
  ),
  HTTPRateLimit: def(1807, 'UnexpectedError', 'request is rejected by limiter', true),

  // Import (2100)
  ImportFailed: def(2100, 'UnexpectedError', 'importing data failed'),

  // General (3000)
  OperationNotSupported: def(3000, 'UnexpectedError', 'unsupported operation'),

  // Context errors: merr.Code() maps Go's context.Canceled / DeadlineExceeded to these codes and the
  // reason is the Go error text.
  Canceled: def(10000, 'UnexpectedError', 'context canceled'),
  Timeout: def(10001, 'UnexpectedError', 'context deadline exceeded'),

  // Catch-all: every error Milvus raises without a merr code (plain Go errors) reaches clients as
  // 65535 with the error text as reason.
  Unexpected: def(65535, 'UnexpectedError', 'unexpected error'),
} as const satisfies Record<string, ErrorDefinition>;

export type ErrorKind = keyof typeof ErrorCodes;
