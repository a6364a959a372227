import assert from 'node:assert/strict';
import { test } from 'node:test';
import { milvusTokenHash } from './milvus-token-hash.js';

test('CRC-32 IEEE of the UTF-8 bytes (standard check values)', () => {
  assert.equal(milvusTokenHash('123456789'), 0xcbf43926);
  assert.equal(milvusTokenHash(''), 0);
  assert.equal(milvusTokenHash('The quick brown fox jumps over the lazy dog'), 0x414fa339);
});

test('only the first 100 UTF-8 bytes count', () => {
  const long = 'x'.repeat(100);
  assert.equal(milvusTokenHash(`${long}tail`), milvusTokenHash(long));
  assert.notEqual(milvusTokenHash('x'.repeat(99)), milvusTokenHash(long));
  // 34 three-byte characters = 102 bytes: the cut falls inside the 34th character.
  assert.equal(milvusTokenHash('中'.repeat(34)), milvusTokenHash('中'.repeat(35)));
  assert.notEqual(milvusTokenHash('中'.repeat(34)), milvusTokenHash('中'.repeat(33)));
});
