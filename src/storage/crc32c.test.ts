import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { crc32c } from './crc32c.js';

// The crc-32 package's CRC-32C, the implementation this one replaced, as the reference.
const require = createRequire(import.meta.url);
const reference = require('crc-32/crc32c') as { buf(data: Uint8Array, seed?: number): number };
const referenceCrc = (data: Uint8Array, previous = 0) => reference.buf(data, previous | 0) >>> 0;

/** Deterministic bytes (xorshift32), so a failure reproduces. */
function seededBytes(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = seed | 1;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[i] = state & 0xff;
  }
  return bytes;
}

test('crc32c matches the standard check value and chains across chunks', () => {
  // RFC 3720 / iSCSI check value for "123456789".
  const data = new TextEncoder().encode('123456789');
  assert.equal(crc32c(data), 0xe3069283);
  assert.equal(crc32c(data.subarray(4), crc32c(data.subarray(0, 4))), 0xe3069283);
  assert.equal(crc32c(new Uint8Array(32)), 0x8a9136aa);
});

test('crc32c matches the RFC 3720 (iSCSI) test patterns', () => {
  const ascending = Uint8Array.from({ length: 32 }, (_, i) => i);
  const descending = Uint8Array.from({ length: 32 }, (_, i) => 31 - i);
  assert.equal(crc32c(new Uint8Array(32)), 0x8a9136aa);
  assert.equal(crc32c(new Uint8Array(32).fill(0xff)), 0x62a8ab43);
  assert.equal(crc32c(ascending), 0x46dd794e);
  assert.equal(crc32c(descending), 0x113fdb5c);
  assert.equal(crc32c(new Uint8Array(0)), 0);
  assert.equal(crc32c(new Uint8Array(0), 0x12345678), 0x12345678);
});

test('crc32c equals the reference for every length 0..300 at every alignment', () => {
  const source = seededBytes(304, 7);
  for (let offset = 0; offset < 4; offset++) {
    for (let length = 0; length + offset <= 300; length++) {
      const data = source.subarray(offset, offset + length);
      assert.equal(crc32c(data), referenceCrc(data), `offset ${offset} length ${length}`);
    }
  }
});

test('crc32c equals the reference on large random buffers, offsets, seeds and backing stores', () => {
  // Lengths straddle the 256-byte switch to the word path and the 64 KiB chunk boundary.
  const lengths = [63, 64, 65, 255, 256, 257, 1023, 4096, 65_535, 65_536, 65_537, 65_536 * 3 + 13, 1_000_003];
  let seed = 1;
  for (const length of lengths) {
    for (let offset = 0; offset < 8; offset += 3) {
      const bytes = seededBytes(length + offset, seed++);
      const shared = new Uint8Array(new SharedArrayBuffer(length + offset));
      shared.set(bytes);
      const previous = (seed * 0x9e3779b9) >>> 0;
      for (const data of [
        bytes.subarray(offset),
        shared.subarray(offset),
        Buffer.from(bytes).subarray(offset),
      ]) {
        const label = `length ${length} offset ${offset} ${data.constructor.name}`;
        assert.equal(crc32c(data), referenceCrc(data), label);
        assert.equal(crc32c(data, previous), referenceCrc(data, previous), `${label} continued`);
      }
    }
  }
});

test('crc32c of a buffer equals the chained crc32c of any split of it', () => {
  const data = seededBytes(200_001, 99);
  const whole = crc32c(data);
  for (const split of [0, 1, 3, 17, 64, 65_536, 100_000, 199_999, 200_001]) {
    assert.equal(crc32c(data.subarray(split), crc32c(data.subarray(0, split))), whole, `split at ${split}`);
  }
});
