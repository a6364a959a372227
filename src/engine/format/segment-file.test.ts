import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Column } from '../../schema/column.js';
import { DataType } from '../../schema/data-type.js';
import { type AtomicWriteStep, removeAtomicWriteLeftovers } from '../../storage/local/write-file-atomic.js';
import { concatChunks, makeTempDir, sampleColumns } from './format-test-support.js';
import {
  encodeSegmentFile,
  readSegmentFile,
  type SegmentFileContents,
  segmentFileFormat,
  writeSegmentFile,
} from './segment-file.js';
import { SegmentFileCorruptError } from './segment-file-corrupt-error.js';

function sampleSegment(numRows: number, overrides: Partial<SegmentFileContents> = {}): SegmentFileContents {
  return {
    segmentId: 18_446_744_073_709_551_000n, // near u64 max: IDs are not confined to 2^53
    collectionId: 450_000_000_000_123,
    partitionId: 7,
    numRows,
    insertTimestamps: BigUint64Array.from(
      { length: numRows },
      (_, row) => 449_000_000_000_000_000n + BigInt((row * 37) % 11),
    ),
    columns: sampleColumns(numRows, { nullable: true }),
    ...overrides,
  };
}

/** Asserts that `promise` rejects with SegmentFileCorruptError naming the path, segment and defect. */
async function assertCorrupt(
  promise: Promise<unknown>,
  path: string,
  defect: RegExp,
  context = '',
): Promise<SegmentFileCorruptError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(
      error instanceof SegmentFileCorruptError,
      `${context}: expected SegmentFileCorruptError, got ${error}`,
    );
    assert.equal(error.kind, 'IoFailed');
    assert.ok(error.message.includes(path), `${context}: message names the path: ${error.message}`);
    assert.match(error.message, /\(segment (\d+|unknown)/, `${context}: message names the segment`);
    assert.match(error.defect, defect, `${context}: ${error.message}`);
    return error;
  }
  assert.fail(`${context}: expected a SegmentFileCorruptError, the read succeeded`);
}

test('a segment with every column type (nulls included) round-trips through a real file', async () => {
  const { dir, cleanup } = await makeTempDir('segment');
  try {
    const path = join(dir, '1.qseg');
    const segment = sampleSegment(123);
    const { sizeBytes } = await writeSegmentFile(path, segment);
    assert.equal((await readFile(path)).length, sizeBytes);
    const read = await readSegmentFile(path, { expectedSegmentId: segment.segmentId });
    assert.deepEqual(read, segment);
    assert.deepEqual([...read.columns.keys()], [...segment.columns.keys()]);
    assert.deepEqual(await readdir(dir), ['1.qseg'], 'no temp file is left behind');
    const layout = encodeSegmentFile(segment);
    assert.equal(layout.headerBytes % 8, 0);
    for (const block of layout.blocks)
      assert.equal(block.offset % 8, 0, `${block.label} starts 8-byte aligned`);
  } finally {
    await cleanup();
  }
});

test('a segment with 0 rows, and one with no columns, round-trip', async () => {
  const { dir, cleanup } = await makeTempDir('segment-empty');
  try {
    const empty = sampleSegment(0);
    await writeSegmentFile(join(dir, 'empty.qseg'), empty);
    assert.deepEqual(await readSegmentFile(join(dir, 'empty.qseg')), empty);
    const bare = sampleSegment(3, { columns: new Map(), collectionId: -1, partitionId: 0, segmentId: 0n });
    await writeSegmentFile(join(dir, 'bare.qseg'), bare);
    assert.deepEqual(await readSegmentFile(join(dir, 'bare.qseg')), bare);
  } finally {
    await cleanup();
  }
});

test('dense vectors are read straight into SharedArrayBuffer memory when asked', async () => {
  const { dir, cleanup } = await makeTempDir('segment-sab');
  try {
    const path = join(dir, '2.qseg');
    const segment = sampleSegment(50);
    await writeSegmentFile(path, segment);
    const read = await readSegmentFile(path, {
      vectorAllocator: (byteLength) => new SharedArrayBuffer(byteLength),
    });
    assert.deepEqual(read, segment);
    for (const name of ['embedding', 'half', 'brain', 'bits', 'bytes']) {
      const values = read.columns.get(name)!.values as Float32Array;
      assert.ok(values.buffer instanceof SharedArrayBuffer, name);
    }
    assert.ok(!((read.columns.get('pk')!.values as BigInt64Array).buffer instanceof SharedArrayBuffer));
  } finally {
    await cleanup();
  }
});

test('a segment whose vectors live in a SharedArrayBuffer is written without copying them', async () => {
  const { dir, cleanup } = await makeTempDir('segment-sab-write');
  try {
    const values = new Float32Array(new SharedArrayBuffer(4 * 16 * 10));
    values.forEach((_, index) => {
      values[index] = index / 7;
    });
    const columns = new Map<string, Column>([
      ['id', { type: DataType.Int64, values: BigInt64Array.from({ length: 10 }, (_, row) => BigInt(row)) }],
      ['v', { type: DataType.FloatVector, dim: 16, values }],
    ]);
    const segment = sampleSegment(10, { columns });
    assert.ok(encodeSegmentFile(segment).chunks.some((chunk) => chunk.buffer === values.buffer));
    await writeSegmentFile(join(dir, 's.qseg'), segment);
    assert.deepEqual((await readSegmentFile(join(dir, 's.qseg'))).columns.get('v')!.values, values);
  } finally {
    await cleanup();
  }
});

test('the writer rejects inconsistent contents before touching the disk', async () => {
  const { dir, cleanup } = await makeTempDir('segment-invalid');
  try {
    const path = join(dir, 'x.qseg');
    await assert.rejects(writeSegmentFile(path, sampleSegment(4, { numRows: 5 })), /numRows 5/);
    const short = sampleColumns(3);
    await assert.rejects(
      writeSegmentFile(path, sampleSegment(4, { columns: short })),
      /has 3 rows, the segment 4/,
    );
    await assert.rejects(writeSegmentFile(path, sampleSegment(1, { segmentId: -1n })), /not a u64/);
    await assert.rejects(writeSegmentFile(path, sampleSegment(1, { collectionId: 2 ** 60 })), /safe integer/);
    assert.deepEqual(await readdir(dir), []);
  } finally {
    await cleanup();
  }
});

test('a missing file rejects with ENOENT, not as corruption', async () => {
  const { dir, cleanup } = await makeTempDir('segment-missing');
  try {
    await assert.rejects(readSegmentFile(join(dir, 'absent.qseg')), { code: 'ENOENT' });
  } finally {
    await cleanup();
  }
});

/** A small segment (so that every byte can be damaged in turn) still holding several column kinds. */
function smallSegment(): SegmentFileContents {
  const all = sampleColumns(5, { nullable: true });
  const columns = new Map<string, Column>();
  for (const name of ['pk', 'title', 'a_varchar', 'embedding', 'sparse']) columns.set(name, all.get(name)!);
  return sampleSegment(5, { columns });
}

test('truncation at any length is reported as corruption, never read as a shorter segment', async () => {
  const { dir, cleanup } = await makeTempDir('segment-truncate');
  try {
    const encoded = encodeSegmentFile(smallSegment());
    const bytes = concatChunks(encoded.chunks);
    const path = join(dir, '9.qseg');
    for (let length = 0; length < bytes.length; length++) {
      await writeFile(path, bytes.subarray(0, length));
      const defect =
        length < segmentFileFormat.preambleBytes
          ? /truncated|bad magic|unknown format version/
          : /truncated: the file has/;
      await assertCorrupt(readSegmentFile(path), path, defect, `cut at ${length}`);
    }
    await writeFile(path, Buffer.concat([bytes, Buffer.from('extra')]));
    await assertCorrupt(readSegmentFile(path), path, /5 unexpected bytes after the end/);
  } finally {
    await cleanup();
  }
});

test('a flipped byte anywhere in the file is caught and the defect names its region', async () => {
  const { dir, cleanup } = await makeTempDir('segment-flip');
  try {
    const segment = smallSegment();
    const encoded = encodeSegmentFile(segment);
    const bytes = concatChunks(encoded.chunks);
    const path = join(dir, '9.qseg');
    const regionOf = (offset: number): RegExp => {
      if (offset < 8) return /bad magic/;
      if (offset < 12) return /unknown format version/;
      if (offset < segmentFileFormat.preambleBytes) return /preamble checksum mismatch/;
      if (offset < encoded.headerBytes) return /header checksum mismatch/;
      const block = encoded.blocks.findIndex((candidate) => offset < candidate.offset + candidate.byteLength);
      if (block >= 0)
        return new RegExp(`checksum mismatch in block ${block} \\(${encoded.blocks[block]!.label}\\)`);
      if (offset >= bytes.length - 8) return /bad tail magic/;
      return /footer checksum mismatch/;
    };
    const seen = new Set<string>();
    for (let offset = 0; offset < bytes.length; offset++) {
      const damaged = Buffer.from(bytes);
      damaged[offset]! ^= 0x10;
      await writeFile(path, damaged);
      const error = await assertCorrupt(readSegmentFile(path), path, regionOf(offset), `flip at ${offset}`);
      seen.add(error.defect.replace(/\d+/g, 'N'));
    }
    assert.equal(encoded.blocks.length, 6);
    assert.ok(seen.size >= 9, `every region produced its own defect: ${[...seen].join(' | ')}`);
  } finally {
    await cleanup();
  }
});

test('damage to a dense vector block is caught on the direct read into SharedArrayBuffer memory too', async () => {
  const { dir, cleanup } = await makeTempDir('segment-flip-sab');
  try {
    const encoded = encodeSegmentFile(smallSegment());
    const bytes = concatChunks(encoded.chunks);
    const block = encoded.blocks.findIndex((candidate) => candidate.label === 'column "embedding"');
    const { offset, byteLength } = encoded.blocks[block]!;
    const path = join(dir, '9.qseg');
    const options = { vectorAllocator: (length: number) => new SharedArrayBuffer(length) };
    for (let at = offset; at < offset + byteLength; at++) {
      const damaged = Buffer.from(bytes);
      damaged[at]! ^= 0x01;
      await writeFile(path, damaged);
      await assertCorrupt(
        readSegmentFile(path, options),
        path,
        new RegExp(`checksum mismatch in block ${block} `),
        `flip at ${at}`,
      );
    }
  } finally {
    await cleanup();
  }
});

test('errors name the verified segment ID, the expected one, or mark an unverified one', async () => {
  const { dir, cleanup } = await makeTempDir('segment-ids');
  try {
    const segment = smallSegment();
    const bytes = concatChunks(encodeSegmentFile(segment).chunks);
    const path = join(dir, 'ids.qseg');
    const blockDamage = Buffer.from(bytes);
    blockDamage[bytes.length - 100]! ^= 1;
    await writeFile(path, blockDamage);
    const inBlock = await assertCorrupt(readSegmentFile(path), path, /checksum/);
    assert.match(inBlock.message, new RegExp(`\\(segment ${segment.segmentId}\\) is corrupt`));
    assert.equal(inBlock.segmentId, segment.segmentId);

    const preambleDamage = Buffer.from(bytes);
    preambleDamage[20]! ^= 1;
    await writeFile(path, preambleDamage);
    const unverified = await assertCorrupt(readSegmentFile(path), path, /preamble checksum/);
    assert.match(unverified.message, new RegExp(`\\(segment ${segment.segmentId}, unverified\\)`));
    const expected = await assertCorrupt(
      readSegmentFile(path, { expectedSegmentId: 5n }),
      path,
      /preamble checksum/,
    );
    assert.match(expected.message, /\(segment 5\) is corrupt/);

    await writeFile(path, bytes);
    const other = await assertCorrupt(
      readSegmentFile(path, { expectedSegmentId: 5n }),
      path,
      /holds segment/,
    );
    assert.match(
      other.message,
      /^IO failed: segment file .*ids\.qseg \(segment 5\) is corrupt: the file holds segment 18446744073709551000/,
    );
  } finally {
    await cleanup();
  }
});

test('a newer format version is refused as unknown, whatever follows it', async () => {
  const { dir, cleanup } = await makeTempDir('segment-version');
  try {
    const bytes = concatChunks(encodeSegmentFile(smallSegment()).chunks);
    bytes.writeUInt32LE(2, 8);
    const path = join(dir, 'v2.qseg');
    await writeFile(path, bytes);
    await assertCorrupt(
      readSegmentFile(path),
      path,
      /unknown format version 2 \(this build reads version 1\)/,
    );
  } finally {
    await cleanup();
  }
});

for (const crashStep of ['before-write', 'after-write', 'after-fsync', 'after-rename'] as AtomicWriteStep[]) {
  test(`a crash at '${crashStep}' leaves no file or the whole old file or the whole new one`, async () => {
    const { dir, cleanup } = await makeTempDir(`segment-crash-${crashStep}`);
    try {
      const path = join(dir, '3.qseg');
      const crash = (step: AtomicWriteStep) => {
        if (step === crashStep) throw new Error(`crash at ${step}`);
      };
      const renamed = crashStep === 'after-rename';
      // First write: no old file.
      const first = sampleSegment(20);
      await assert.rejects(writeSegmentFile(path, first, { faultHook: crash }), /crash at/);
      if (renamed) assert.deepEqual(await readSegmentFile(path), first);
      else await assert.rejects(readSegmentFile(path), { code: 'ENOENT' });
      await removeAtomicWriteLeftovers(path);
      // Replacement: the old file stays whole until the rename.
      const old = sampleSegment(7);
      await writeSegmentFile(path, old);
      const replacement = sampleSegment(30, { partitionId: 8 });
      await assert.rejects(writeSegmentFile(path, replacement, { faultHook: crash }), /crash at/);
      assert.deepEqual(await readSegmentFile(path), renamed ? replacement : old);
      assert.equal((await removeAtomicWriteLeftovers(path)).length, renamed ? 0 : 1);
      assert.deepEqual(await readdir(dir), ['3.qseg']);
    } finally {
      await cleanup();
    }
  });
}
