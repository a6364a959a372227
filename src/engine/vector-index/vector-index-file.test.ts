import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeVectorIndexFile, encodeVectorIndexFile, VectorIndexFileError } from './vector-index-file.js';

const contents = {
  segmentId: 42n,
  fieldId: 101,
  description: '{"indexType":"HNSW","metric":"L2","params":{"M":16}}',
  payload: Uint8Array.from({ length: 200 }, (_, i) => (i * 31) & 0xff),
};
const expected = { segmentId: 42n, fieldId: 101, description: contents.description };

test('round trip: the payload comes back 8-byte aligned and intact', () => {
  const bytes = encodeVectorIndexFile(contents);
  const payload = decodeVectorIndexFile(bytes, 'x.qvix', expected);
  assert.deepEqual(Array.from(payload), Array.from(contents.payload));
  assert.equal(payload.byteOffset % 8, 0);
});

test('any flipped byte, any truncation, or another identity is refused, never served', () => {
  const bytes = encodeVectorIndexFile(contents);
  for (let at = 0; at < bytes.length; at++) {
    const damaged = new Uint8Array(bytes); // a copy (Buffer#slice would share memory)
    damaged[at]! ^= 0x40;
    assert.throws(
      () => decodeVectorIndexFile(damaged, 'x.qvix', expected),
      VectorIndexFileError,
      `byte ${at}`,
    );
  }
  for (let length = 0; length < bytes.length; length += 7) {
    assert.throws(
      () => decodeVectorIndexFile(bytes.subarray(0, length), 'x.qvix', expected),
      VectorIndexFileError,
    );
  }
  assert.throws(
    () => decodeVectorIndexFile(bytes, 'x.qvix', { ...expected, segmentId: 43n }),
    /another segment or field/,
  );
  assert.throws(
    () => decodeVectorIndexFile(bytes, 'x.qvix', { ...expected, description: '{"indexType":"IVF_FLAT"}' }),
    /another index/,
  );
});
