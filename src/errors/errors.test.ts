import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errors } from './errors.js';
import { isQuiverError, QuiverError } from './quiver-error.js';

/** [factory call, expected code, expected reason]: reasons as Milvus's merr.WrapErr* produce them. */
const cases: [string, QuiverError, number, string][] = [
  ['uncoded', errors.uncoded('primary key is not specified'), 65535, 'primary key is not specified'],
  ['unexpected', errors.unexpected('invariant broken'), 65535, 'invariant broken'],
  [
    'serviceNotReady',
    errors.serviceNotReady('standalone', 1, 'Initializing'),
    1,
    'service not ready[standalone=1]: Initializing',
  ],
  ['serviceUnavailable', errors.serviceUnavailable('stopping'), 2, 'service unavailable: stopping'],
  ['serviceInternal', errors.serviceInternal('wal closed'), 5, 'service internal error: wal closed'],
  [
    'serviceUnimplemented',
    errors.serviceUnimplemented('RunAnalyzer'),
    10,
    'service unimplemented: RunAnalyzer',
  ],
  [
    'serviceTooManyRequests',
    errors.serviceTooManyRequests(1024),
    4,
    'too many concurrent requests, queue is full[limit=1024]',
  ],
  ['serviceRateLimit', errors.serviceRateLimit(0.1, 'insert'), 8, 'insert: rate limit exceeded[rate=0.1]'],
  [
    'serviceQuotaExceeded',
    errors.serviceQuotaExceeded('disk quota exceeded'),
    9,
    'quota exceeded[reason=disk quota exceeded]',
  ],
  ['databaseNotFound', errors.databaseNotFound('db1'), 800, 'database not found[database=db1]'],
  [
    'databaseNotFound with detail',
    errors.databaseNotFound('db1', 'failed to create collection'),
    800,
    'failed to create collection: database not found[database=db1]',
  ],
  [
    'databaseNumLimitExceeded',
    errors.databaseNumLimitExceeded(64),
    801,
    'exceeded the limit number of database[limit=64]',
  ],
  [
    'databaseNameInvalid',
    errors.databaseNameInvalid(
      '1db',
      'the first character of a database name must be an underscore or letter',
    ),
    802,
    'the first character of a database name must be an underscore or letter: invalid database name[database=1db]',
  ],
  [
    'collectionNotFound',
    errors.collectionNotFound('default', 'books'),
    100,
    'collection not found[database=default][collection=books]',
  ],
  [
    'collectionNotFoundByName',
    errors.collectionNotFoundByName('books'),
    100,
    'collection not found[collection=books]',
  ],
  [
    'collectionNotFoundForDescribe',
    errors.collectionNotFoundForDescribe('default', 'books'),
    100,
    "can't find collection[database=default][collection=books]",
  ],
  [
    'collectionExistsWithDifferentParameters',
    errors.collectionExistsWithDifferentParameters('books'),
    65535,
    'create duplicate collection with different parameters, collection: books',
  ],
  [
    'collectionNotLoaded',
    errors.collectionNotLoaded('books'),
    101,
    'collection not loaded[collection=books]',
  ],
  [
    'collectionNotFullyLoaded',
    errors.collectionNotFullyLoaded('books'),
    103,
    'collection not fully loaded[collection=books]',
  ],
  ['collectionLoaded', errors.collectionLoaded('books'), 104, 'collection already loaded[collection=books]'],
  [
    'collectionNumLimitExceeded',
    errors.collectionNumLimitExceeded('default', 65536),
    102,
    'exceeded the limit number of collections[dbName=default][limit=65536]',
  ],
  [
    'collectionIllegalSchema',
    errors.collectionIllegalSchema('books', 'there are more than one clustering key, field name = a, b'),
    105,
    'there are more than one clustering key, field name = a, b: illegal collection schema[collection=books]',
  ],
  [
    'collectionOnRecovering',
    errors.collectionOnRecovering('books'),
    106,
    'collection on recovering[collection=books]',
  ],
  [
    'collectionVectorClusteringKeyNotAllowed',
    errors.collectionVectorClusteringKeyNotAllowed('books'),
    107,
    'vector clustering key not allowed[collection=books]',
  ],
  [
    'collectionSchemaMismatch',
    errors.collectionSchemaMismatch('books'),
    109,
    'collection schema mismatch[collection=books]',
  ],
  ['partitionNotFound', errors.partitionNotFound('p1'), 200, 'partition not found[partition=p1]'],
  ['partitionNotLoaded', errors.partitionNotLoaded('p1'), 201, 'partition not loaded[partition=p1]'],
  [
    'partitionNotFullyLoaded',
    errors.partitionNotFullyLoaded('p1'),
    202,
    'partition not fully loaded[partition=p1]',
  ],
  [
    'generalCapacityExceeded',
    errors.generalCapacityExceeded(70000, 65536),
    250,
    'general capacity exceeded[newGeneralSize=70000][generalCapacity=65536]',
  ],
  ['segmentNotFound', errors.segmentNotFound(42n), 600, 'segment not found[segment=42]'],
  [
    'segmentLoadFailed',
    errors.segmentLoadFailed(7, 'checksum'),
    604,
    'checksum: segment load failed[segment=7]',
  ],
  ['indexNotFound', errors.indexNotFound('books'), 700, 'index not found[collection=books]'],
  ['indexNotFoundByName', errors.indexNotFoundByName('idx'), 700, 'index not found[indexName=idx]'],
  ['indexNotSupported', errors.indexNotSupported('SCANN'), 701, 'index type not supported[indexType=SCANN]'],
  [
    'indexDuplicate',
    errors.indexDuplicate('idx', 'at most one distinct index is allowed per field'),
    702,
    'at most one distinct index is allowed per field: index duplicates[indexName=idx]',
  ],
  [
    'aliasNotFound',
    errors.aliasNotFound('default', 'a1'),
    1600,
    'alias not found[database=default][alias=a1]',
  ],
  [
    'aliasAlreadyExist',
    errors.aliasAlreadyExist('default', 'a1', 'a1 is alias to another collection: other'),
    1602,
    'a1 is alias to another collection: other: alias already exist[database=default][alias=a1]',
  ],
  [
    'aliasCollectionNameConflict',
    errors.aliasCollectionNameConflict('default', 'books'),
    1601,
    'alias and collection name conflict[database=default][alias=books]',
  ],
  [
    'collectionIdOfAliasNotFound',
    errors.collectionIdOfAliasNotFound(449),
    1603,
    'collection id of alias not found[collectionID=449]',
  ],
  ['fieldNotFound', errors.fieldNotFound('vec'), 1700, 'field not found[field=vec]'],
  [
    'fieldNameInvalid',
    errors.fieldNameInvalid('', 'field name should not be empty'),
    1701,
    'field name should not be empty: field name invalid[field=]',
  ],
  [
    'parameterInvalid',
    errors.parameterInvalid('schema does not contain vector field'),
    1100,
    'schema does not contain vector field: invalid parameter',
  ],
  [
    'parameterInvalidValue',
    errors.parameterInvalidValue(
      'DataType_Int64',
      'not match',
      'default value type mismatches field schema type',
    ),
    1100,
    'default value type mismatches field schema type: invalid parameter[expected=DataType_Int64][actual=not match]',
  ],
  [
    'parameterInvalidValue without detail',
    errors.parameterInvalidValue('valid field', 'field data type: 300 is not supported', ''),
    1100,
    'invalid parameter[expected=valid field][actual=field data type: 300 is not supported]',
  ],
  [
    'parameterInvalidRange',
    errors.parameterInvalidRange(-128, 127, 128, 'default value out of range'),
    1100,
    'default value out of range: invalid parameter[128 out of range -128 <= value <= 127]',
  ],
  ['parameterMissing', errors.parameterMissing('dim'), 1101, 'missing parameter[missing_param=dim]'],
  ['parameterTooLarge', errors.parameterTooLarge('insert'), 1102, 'parameter too large[message=insert]'],
  [
    'privilegeNotAuthenticated',
    errors.privilegeNotAuthenticated('auth check failure, please check username and password are correct'),
    1400,
    'auth check failure, please check username and password are correct: not authenticated',
  ],
  [
    'privilegeNotPermitted',
    errors.privilegeNotPermitted('PrivilegeSearch: permission deny to alice'),
    1401,
    'PrivilegeSearch: permission deny to alice: privilege not permitted',
  ],
  ['ioKeyNotFound', errors.ioKeyNotFound('meta/x'), 1000, 'key not found[key=meta/x]'],
  [
    'ioFailed',
    errors.ioFailed('ENOSPC: no space left on device'),
    1001,
    'IO failed: ENOSPC: no space left on device',
  ],
  [
    'ioFailedForKey',
    errors.ioFailedForKey('segments/1.bin', 'EIO'),
    1001,
    'IO failed[key=segments/1.bin]: EIO',
  ],
  [
    'ioUnexpectedEof',
    errors.ioUnexpectedEof('wal/3', 'short read'),
    1002,
    'unexpected EOF[key=wal/3]: short read',
  ],
  ['metricNotFound', errors.metricNotFound('system_info'), 1200, 'metric not found[metric=system_info]'],
  ['importFailed', errors.importFailed('bad row 3'), 2100, 'bad row 3: importing data failed'],
  [
    'operationNotSupported',
    errors.operationNotSupported('resource groups'),
    3000,
    'resource groups: unsupported operation',
  ],
  ['canceled', errors.canceled(), 10000, 'context canceled'],
  ['timeout', errors.timeout(), 10001, 'context deadline exceeded'],
];

for (const [name, error, code, reason] of cases) {
  test(`errors.${name} builds Milvus's reason`, () => {
    assert.ok(isQuiverError(error));
    assert.equal(error.code, code);
    assert.equal(error.reason, reason);
    assert.equal(error.message, reason);
  });
}

test('every factory of errors is covered by the table above', () => {
  const covered = new Set(cases.map(([name]) => name.split(' ')[0]));
  assert.deepEqual(
    Object.keys(errors).filter((name) => !covered.has(name)),
    [],
  );
});

test('QuiverError carries kind, definition, cause and an override of the legacy code', () => {
  const cause = new Error('disk gone');
  const error = errors.ioFailed('write failed', cause);
  assert.equal(error.kind, 'IoFailed');
  assert.equal(error.name, 'QuiverError');
  assert.equal(error.cause, cause);
  assert.equal(error.legacy, 'UnexpectedError');
  assert.equal(error.retriable, false);
  assert.ok(error instanceof Error);

  const overridden = new QuiverError('CollectionNotFound', 'x', { legacy: 'UnexpectedError' });
  assert.equal(overridden.legacy, 'UnexpectedError');
  assert.equal(overridden.definition.legacy, 'CollectionNotExists');
  assert.equal(new QuiverError('ServiceNotReady', 'x').retriable, true);
});

test('isQuiverError rejects other errors', () => {
  assert.equal(isQuiverError(new Error('x')), false);
  assert.equal(isQuiverError({ kind: 'Unexpected', message: 'x' }), false);
});
