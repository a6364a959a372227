import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCodes, QuiverError } from '../errors/index.js';
import { normaliseRpcStatusLabel, rpcStatusLabel, rpcStatusLabelForCode } from './rpc-status-label.js';

test('rpcStatusLabel: success, a Quiver error kind, or Unexpected for anything else', () => {
  assert.equal(rpcStatusLabel(), 'success');
  assert.equal(rpcStatusLabel(new QuiverError('ParameterInvalid', 'invalid parameter')), 'ParameterInvalid');
  assert.equal(rpcStatusLabel(new TypeError('x is undefined')), 'Unexpected');
  assert.equal(rpcStatusLabel('a string'), 'Unexpected');
});

test('rpcStatusLabelForCode maps Milvus codes back to kinds', () => {
  assert.equal(rpcStatusLabelForCode(0), 'success');
  assert.equal(rpcStatusLabelForCode(ErrorCodes.CollectionNotFound.code), 'CollectionNotFound');
  assert.equal(rpcStatusLabelForCode(ErrorCodes.IndexNotFound.code), 'IndexNotFound');
  assert.equal(rpcStatusLabelForCode(424242), 'Unexpected');
});

test('normaliseRpcStatusLabel keeps known labels and folds the rest', () => {
  assert.equal(normaliseRpcStatusLabel('success'), 'success');
  assert.equal(normaliseRpcStatusLabel('AliasNotFound'), 'AliasNotFound');
  assert.equal(normaliseRpcStatusLabel('alias foo not found'), 'Unexpected');
  assert.equal(normaliseRpcStatusLabel('constructor'), 'Unexpected');
});
