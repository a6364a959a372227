import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errors } from './errors.js';
import { QuiverError } from './quiver-error.js';
import { okStatus, toStatus } from './to-status.js';

test('a QuiverError becomes an in-band status with code, legacy name, reason and retriable', () => {
  assert.deepEqual(toStatus(errors.collectionNotFound('default', 'books')), {
    error_code: 'CollectionNotExists',
    reason: 'collection not found[database=default][collection=books]',
    code: 100,
    retriable: false,
    detail: 'collection not found[database=default][collection=books]',
    extra_info: {},
  });
});

test('retriable comes from the registry', () => {
  const status = toStatus(errors.serviceRateLimit(0.5));
  assert.equal(status.code, 8);
  assert.equal(status.error_code, 'RateLimit');
  assert.equal(status.retriable, true);
  assert.equal(status.reason, 'rate limit exceeded[rate=0.5]');
});

test('a legacy override and extra_info reach the wire', () => {
  assert.deepEqual(toStatus(errors.collectionNotFoundForDescribe('default', 'gone')), {
    error_code: 'UnexpectedError',
    reason: "can't find collection[database=default][collection=gone]",
    code: 100,
    retriable: false,
    detail: "can't find collection[database=default][collection=gone]",
    extra_info: { is_input_error: 'true' },
  });
});

test('the status does not share extra_info with the error', () => {
  const error = new QuiverError('ParameterInvalid', 'x: invalid parameter', { extraInfo: { a: '1' } });
  const status = toStatus(error);
  status.extra_info.b = '2';
  assert.deepEqual(error.extraInfo, { a: '1' });
});

test('any other thrown value becomes 65535 UnexpectedError with its message', () => {
  assert.deepEqual(toStatus(new TypeError('boom')), {
    error_code: 'UnexpectedError',
    reason: 'boom',
    code: 65535,
    retriable: false,
    detail: 'boom',
    extra_info: {},
  });
  assert.equal(toStatus('plain string').reason, 'plain string');
  assert.equal(toStatus(undefined).reason, 'undefined');
});

test('okStatus is the Success status and cannot be mutated', () => {
  assert.deepEqual(
    { ...okStatus },
    {
      error_code: 'Success',
      reason: '',
      code: 0,
      retriable: false,
      detail: '',
      extra_info: {},
    },
  );
  assert.ok(Object.isFrozen(okStatus));
  assert.ok(Object.isFrozen(okStatus.extra_info));
});
