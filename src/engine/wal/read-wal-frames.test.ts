import assert from 'node:assert/strict';
import { open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { readWalFrames } from './read-wal-frames.js';
import { encodeWalFrame } from './wal-format.js';
import { makeTempDir, payloadFor } from './wal-test-support.js';

/** Frames of varied sizes: empty, small, around the chunk sizes below, and several chunks long. */
const sizes = [0, 1, 17, 63, 64, 65, 100, 999, 1000, 1001, 4096, 5000, 3, 20_000, 0, 250];

async function withFile(bytes: Buffer, body: (path: string) => Promise<void>) {
  const { dir, cleanup } = await makeTempDir('read-frames');
  try {
    const path = join(dir, 'frames.qwal');
    await writeFile(path, bytes);
    await body(path);
  } finally {
    await cleanup();
  }
}

for (const chunkBytes of [64, 100, 1000, 4096, 1 << 20]) {
  test(`every frame comes back whole and in order with ${chunkBytes}-byte read chunks`, async () => {
    const frames = sizes.map((size, i) => encodeWalFrame(i % 3, BigInt(i + 1), payloadFor(i, size)));
    const prefix = Buffer.alloc(20, 7);
    const bytes = Buffer.concat([prefix, ...frames]);
    await withFile(bytes, async (path) => {
      const file = await open(path, 'r');
      try {
        const seen: Array<{ lsn: bigint; type: number; payload: Buffer; offset: number }> = [];
        let slow = 0;
        const result = await readWalFrames(
          file,
          prefix.length,
          bytes.length,
          (lsn, type, payload, offset) => {
            seen.push({ lsn, type, payload, offset });
            // Every third frame makes reading wait (as an async apply does), so read-ahead overlaps it.
            if (lsn % 3n === 0n) {
              slow++;
              return new Promise((resolve) => setTimeout(resolve, 1));
            }
            return undefined;
          },
          chunkBytes,
        );
        assert.equal(result.problem, undefined);
        assert.equal(result.goodEndOffset, bytes.length);
        assert.ok(slow > 0);
        assert.equal(seen.length, sizes.length);
        let offset = prefix.length;
        seen.forEach((frame, i) => {
          assert.equal(frame.lsn, BigInt(i + 1));
          assert.equal(frame.type, i % 3);
          assert.equal(frame.offset, offset);
          // Payloads stay valid after their visit: compare them only now, at the end.
          assert.ok(frame.payload.equals(payloadFor(i, sizes[i]!)), `payload ${i}`);
          offset += frames[i]!.length;
        });
      } finally {
        await file.close();
      }
    });
  });
}

test('a file shorter than the range, or a damaged frame, stops reading at the last good frame', async () => {
  const frames = sizes.map((size, i) => encodeWalFrame(0, BigInt(i + 1), payloadFor(i, size)));
  const bytes = Buffer.concat(frames);
  const goodThrough = (count: number) => frames.slice(0, count).reduce((sum, frame) => sum + frame.length, 0);
  // Cut inside frame 13 (20,000 bytes, longer than every chunk size used).
  await withFile(bytes.subarray(0, goodThrough(13) + 5000), async (path) => {
    const file = await open(path, 'r');
    try {
      const result = await readWalFrames(file, 0, bytes.length, () => undefined, 1000);
      assert.equal(result.goodEndOffset, goodThrough(13));
      assert.match(result.problem!.reason, /file ended while reading/);
    } finally {
      await file.close();
    }
  });
  const damaged = Buffer.from(bytes);
  damaged[goodThrough(9) + 30] ^= 0x40;
  await withFile(damaged, async (path) => {
    const file = await open(path, 'r');
    try {
      const visited: bigint[] = [];
      const result = await readWalFrames(file, 0, damaged.length, (lsn) => void visited.push(lsn), 100);
      assert.equal(result.goodEndOffset, goodThrough(9));
      assert.equal(result.problem!.reason, 'record checksum mismatch');
      assert.deepEqual(
        visited,
        Array.from({ length: 9 }, (_, i) => BigInt(i + 1)),
      );
    } finally {
      await file.close();
    }
  });
});
