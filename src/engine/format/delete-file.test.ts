import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { type AtomicWriteStep, removeAtomicWriteLeftovers } from '../../storage/local/write-file-atomic.js';
import {
  type DeleteFileContents,
  deleteFileFormat,
  encodeDeleteFile,
  readDeleteFile,
  writeDeleteFile,
} from './delete-file.js';
import { concatChunks, makeTempDir } from './format-test-support.js';
import { SegmentFileCorruptError } from './segment-file-corrupt-error.js';

function deletes(count: number, segmentId = 42n): DeleteFileContents {
  return {
    segmentId,
    rows: Uint32Array.from({ length: count }, (_, index) => (index * 7919) % 100_003),
    timestamps: BigUint64Array.from(
      { length: count },
      (_, index) => 450_000_000_000_000_000n + BigInt(index),
    ),
  };
}

async function assertCorrupt(promise: Promise<unknown>, path: string, defect: RegExp, context = '') {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof SegmentFileCorruptError, `${context}: got ${error}`);
    assert.equal(error.fileKind, 'delete file');
    assert.ok(error.message.includes(`delete file ${path} (segment `), `${context}: ${error.message}`);
    assert.match(error.defect, defect, `${context}: ${error.message}`);
    return true;
  });
}

test('delete records round-trip: none, a few, and 100k', async () => {
  const { dir, cleanup } = await makeTempDir('delete');
  try {
    for (const count of [0, 3, 100_000]) {
      const path = join(dir, `${count}.qdel`);
      const contents = deletes(count, BigInt(count) + 2n ** 63n);
      const { sizeBytes } = await writeDeleteFile(path, contents);
      assert.equal(sizeBytes, 32 + 12 * count);
      assert.equal((await readFile(path)).length, sizeBytes);
      assert.deepEqual(await readDeleteFile(path, { expectedSegmentId: contents.segmentId }), contents);
    }
  } finally {
    await cleanup();
  }
});

test('rewriting replaces all records, leaving no temp file', async () => {
  const { dir, cleanup } = await makeTempDir('delete-rewrite');
  try {
    const path = join(dir, '42.qdel');
    await writeDeleteFile(path, deletes(5));
    await writeDeleteFile(path, deletes(9));
    assert.deepEqual(await readDeleteFile(path), deletes(9));
    assert.deepEqual(await readdir(dir), ['42.qdel']);
  } finally {
    await cleanup();
  }
});

test('the writer rejects mismatched rows and timestamps', async () => {
  const { dir, cleanup } = await makeTempDir('delete-invalid');
  try {
    const contents = { segmentId: 1n, rows: new Uint32Array(2), timestamps: new BigUint64Array(3) };
    await assert.rejects(writeDeleteFile(join(dir, 'x.qdel'), contents), /same length/);
    await assert.rejects(
      writeDeleteFile(join(dir, 'x.qdel'), { ...deletes(1), segmentId: 2n ** 64n }),
      /not a u64/,
    );
    assert.deepEqual(await readdir(dir), []);
  } finally {
    await cleanup();
  }
});

test('truncation at every length and trailing bytes are reported as corruption', async () => {
  const { dir, cleanup } = await makeTempDir('delete-truncate');
  try {
    const bytes = concatChunks(encodeDeleteFile(deletes(6)));
    const path = join(dir, '42.qdel');
    for (let length = 0; length < bytes.length; length++) {
      await writeFile(path, bytes.subarray(0, length));
      const defect =
        length < deleteFileFormat.headerBytes
          ? /truncated|bad magic|unknown format version/
          : /truncated: the file has/;
      await assertCorrupt(readDeleteFile(path), path, defect, `cut at ${length}`);
    }
    await writeFile(path, Buffer.concat([bytes, Buffer.alloc(12)]));
    await assertCorrupt(readDeleteFile(path), path, /12 unexpected bytes/);
  } finally {
    await cleanup();
  }
});

test('a flipped byte anywhere is caught and the defect names its region', async () => {
  const { dir, cleanup } = await makeTempDir('delete-flip');
  try {
    const bytes = concatChunks(encodeDeleteFile(deletes(6)));
    const path = join(dir, '42.qdel');
    for (let offset = 0; offset < bytes.length; offset++) {
      const damaged = Buffer.from(bytes);
      damaged[offset]! ^= 0x04;
      await writeFile(path, damaged);
      const defect =
        offset < 8
          ? /bad magic/
          : offset < 12
            ? /unknown format version/
            : offset < deleteFileFormat.headerBytes
              ? /header checksum mismatch/
              : /data checksum mismatch/;
      await assertCorrupt(readDeleteFile(path), path, defect, `flip at ${offset}`);
    }
  } finally {
    await cleanup();
  }
});

test('a delete file of another segment is refused when the expected segment is given', async () => {
  const { dir, cleanup } = await makeTempDir('delete-other');
  try {
    const path = join(dir, '42.qdel');
    await writeDeleteFile(path, deletes(2, 43n));
    await assertCorrupt(readDeleteFile(path, { expectedSegmentId: 42n }), path, /deletes of segment 43/);
    await assert.rejects(readDeleteFile(join(dir, 'absent.qdel')), { code: 'ENOENT' });
  } finally {
    await cleanup();
  }
});

for (const crashStep of ['before-write', 'after-write', 'after-fsync', 'after-rename'] as AtomicWriteStep[]) {
  test(`a crash at '${crashStep}' leaves the whole old or the whole new delete file`, async () => {
    const { dir, cleanup } = await makeTempDir(`delete-crash-${crashStep}`);
    try {
      const path = join(dir, '42.qdel');
      await writeDeleteFile(path, deletes(4));
      await assert.rejects(
        writeDeleteFile(path, deletes(8), {
          faultHook: (step) => {
            if (step === crashStep) throw new Error(`crash at ${step}`);
          },
        }),
        /crash at/,
      );
      const renamed = crashStep === 'after-rename';
      assert.deepEqual(await readDeleteFile(path), deletes(renamed ? 8 : 4));
      assert.equal((await removeAtomicWriteLeftovers(path)).length, renamed ? 0 : 1);
    } finally {
      await cleanup();
    }
  });
}
