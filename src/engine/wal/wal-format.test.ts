import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decodeWalFileHeader,
  encodeWalFileHeader,
  encodeWalFrame,
  parseWalFileName,
  readFrameLsn,
  readFrameType,
  walFileName,
  walFormat,
  walFrameCrc,
} from './wal-format.js';

test('file names are the first LSN in 20 digits and parse back', () => {
  assert.equal(walFileName(1n), '00000000000000000001.qwal');
  assert.equal(walFileName(18446744073709551615n), '18446744073709551615.qwal');
  assert.equal(parseWalFileName('00000000000000000042.qwal'), 42n);
  assert.equal(parseWalFileName('42.qwal'), undefined);
  assert.equal(parseWalFileName('00000000000000000042.qwal.tmp'), undefined);
});

test('file header round-trips and rejects damage', () => {
  const header = encodeWalFileHeader(123456789012n);
  assert.equal(header.length, walFormat.fileHeaderBytes);
  assert.equal(header.subarray(0, 4).toString('latin1'), 'QWAL');
  assert.deepEqual(decodeWalFileHeader(header), { version: 1, firstLsn: 123456789012n });
  for (let index = 0; index < header.length; index++) {
    const damaged = Buffer.from(header);
    damaged[index]! ^= 0x10;
    assert.equal(typeof decodeWalFileHeader(damaged), 'string', `flip at byte ${index} must be detected`);
  }
  assert.match(decodeWalFileHeader(header.subarray(0, 10)) as string, /10 bytes/);
});

test('frame layout: length, crc, type, lsn, payload', () => {
  const payload = Buffer.from('hello wal');
  const frame = encodeWalFrame(7, 0x0102030405060708n, payload);
  assert.equal(frame.length, walFormat.frameHeaderBytes + payload.length);
  assert.equal(frame.readUInt32LE(0), payload.length);
  assert.equal(readFrameType(frame, 0), 7);
  assert.equal(readFrameLsn(frame, 0), 0x0102030405060708n);
  assert.deepEqual(frame.subarray(walFormat.frameHeaderBytes), payload);
  assert.equal(frame.readUInt32LE(4), walFrameCrc(frame, 0, frame.length));
});

test('the frame CRC covers every byte but itself, including the length', () => {
  const frame = encodeWalFrame(3, 99n, Buffer.from([1, 2, 3, 4, 5]));
  const stored = frame.readUInt32LE(4);
  for (let index = 0; index < frame.length; index++) {
    if (index >= 4 && index < 8) continue;
    const damaged = Buffer.from(frame);
    damaged[index]! ^= 0x01;
    assert.notEqual(walFrameCrc(damaged, 0, damaged.length), stored, `flip at byte ${index}`);
  }
});

test('the encoder copies the payload', () => {
  const payload = Buffer.from([9, 9, 9]);
  const frame = encodeWalFrame(0, 1n, payload);
  payload.fill(0);
  assert.deepEqual([...frame.subarray(walFormat.frameHeaderBytes)], [9, 9, 9]);
});
