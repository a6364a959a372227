import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MetaStoreCorruptError } from '../meta-store.js';
import { decodeMetaSnapshot, encodeMetaSnapshot, META_SNAPSHOT_HEADER_BYTES } from './meta-snapshot-codec.js';

const concat = (parts: Uint8Array[]) => Buffer.concat(parts);

test('encode then decode returns the same entries', () => {
  const entries: Array<[string, string]> = [
    ['10', 'x'],
    ['__proto__', '{"nested":"json"}'],
    ['a\u0000b', 'nul \u0000 inside'],
    ['\uE000', 'private use'],
    ['\u{1F600}', '\u{1F600}'.repeat(1000)],
  ];
  const file = concat(encodeMetaSnapshot(entries));
  assert.deepEqual(decodeMetaSnapshot('/x/catalog.qmeta', file), entries);
  assert.deepEqual(decodeMetaSnapshot('/x/catalog.qmeta', concat(encodeMetaSnapshot([]))), []);
});

test('decode reads a file from a view with a non-zero byte offset', () => {
  const file = concat(encodeMetaSnapshot([['k', 'v']]));
  const padded = new Uint8Array(file.length + 3);
  padded.set(file, 3);
  assert.deepEqual(decodeMetaSnapshot('f', padded.subarray(3)), [['k', 'v']]);
});

test('the header is exactly 20 bytes and the payload length matches', () => {
  const [header, payload] = encodeMetaSnapshot([['a', '1']]);
  assert.equal(header.length, META_SNAPSHOT_HEADER_BYTES);
  assert.equal(new DataView(header.buffer).getUint32(12, true), payload.length);
});

test('decode errors name the file', () => {
  assert.throws(
    () => decodeMetaSnapshot('/data/meta/catalog.qmeta', new Uint8Array(3)),
    (error: unknown) =>
      error instanceof MetaStoreCorruptError &&
      error.file === '/data/meta/catalog.qmeta' &&
      error.message ===
        'metadata file /data/meta/catalog.qmeta is corrupt: truncated: 3 bytes, shorter than the 20-byte header',
  );
});
