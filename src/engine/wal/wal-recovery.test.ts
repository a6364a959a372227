import assert from 'node:assert/strict';
import { cp, readFile, stat, truncate, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeTempDir, payloadFor, replayAll, walFiles } from './wal-test-support.js';
import { WriteAheadLog } from './write-ahead-log.js';

const fileSizeBytes = 1024;
const frameHeaderBytes = 17;
// 100-byte payloads make 117-byte frames: 8 per 1 KiB file, so 20 records span 3 files
// (LSNs 1-8, 9-16, 17-20) and the last file holds 4.
const recordCount = 20;
const payloadBytes = 100;
const frameBytes = frameHeaderBytes + payloadBytes;

/** Writes the standard 20-record WAL into `dir` and returns the last file's path. */
async function writeTemplate(dir: string): Promise<string> {
  const wal = await WriteAheadLog.open(dir, { fileSizeBytes });
  for (let index = 0; index < recordCount; index++)
    await wal.append(index % 4, payloadFor(index, payloadBytes));
  await wal.close();
  const files = await walFiles(dir);
  assert.deepEqual(files, [
    '00000000000000000001.qwal',
    '00000000000000000009.qwal',
    '00000000000000000017.qwal',
  ]);
  return join(dir, files[files.length - 1]!);
}

async function flipByte(path: string, offset: number): Promise<void> {
  const bytes = await readFile(path);
  bytes[offset]! ^= 0x5a;
  await writeFile(path, bytes);
}

async function assertRecords(wal: WriteAheadLog, count: number): Promise<void> {
  const records = await replayAll(wal);
  assert.equal(records.length, count);
  records.forEach((record, index) => {
    assert.equal(record.lsn, BigInt(index + 1));
    assert.equal(record.type, index % 4);
    assert.deepEqual(Buffer.from(record.payload), payloadFor(index, payloadBytes));
  });
}

test('a torn tail at every byte offset of the last record is cut, and appends continue', async () => {
  const template = await makeTempDir('torn-template');
  const work = await makeTempDir('torn');
  try {
    const templateLast = await writeTemplate(template.dir);
    const fullBytes = (await stat(templateLast)).size;
    const lastRecordStart = fullBytes - frameBytes;
    for (let cutBytes = lastRecordStart; cutBytes < fullBytes; cutBytes++) {
      const dir = join(work.dir, String(cutBytes));
      await cp(template.dir, dir, { recursive: true });
      await truncate(join(dir, '00000000000000000017.qwal'), cutBytes);
      const warnings: string[] = [];
      const wal = await WriteAheadLog.open(dir, {
        fileSizeBytes,
        onWarning: (message) => warnings.push(message),
      });
      assert.equal(wal.lastLsn, BigInt(recordCount - 1), `cut at ${cutBytes}`);
      await assertRecords(wal, recordCount - 1);
      // Cutting exactly at a record boundary leaves nothing torn.
      assert.equal(warnings.length, cutBytes === lastRecordStart ? 0 : 1, `cut at ${cutBytes}: ${warnings}`);
      if (warnings.length > 0)
        assert.match(warnings[0]!, new RegExp(`torn tail .* at offset ${lastRecordStart}`));
      assert.equal((await stat(join(dir, '00000000000000000017.qwal'))).size, lastRecordStart);

      const replacement = payloadFor(1000 + cutBytes, 33);
      assert.equal(await wal.append(9, replacement), BigInt(recordCount));
      await wal.close();
      const reopened = await WriteAheadLog.open(dir, {
        fileSizeBytes,
        onWarning: (message) => warnings.push(message),
      });
      const records = await replayAll(reopened);
      assert.equal(records.length, recordCount);
      assert.equal(records[recordCount - 1]!.lsn, BigInt(recordCount));
      assert.equal(records[recordCount - 1]!.type, 9);
      assert.deepEqual(Buffer.from(records[recordCount - 1]!.payload), replacement);
      assert.equal(
        warnings.length,
        cutBytes === lastRecordStart ? 0 : 1,
        'the second open finds nothing to cut',
      );
      await reopened.close();
    }
  } finally {
    await template.cleanup();
    await work.cleanup();
  }
});

for (const [what, offsetInFrame] of [
  ['length', 1],
  ['CRC', 5],
  ['type', 8],
  ['LSN', 12],
  ['payload', 60],
] as const) {
  test(`a flipped byte in the last record's ${what} cuts that record`, async () => {
    const { dir, cleanup } = await makeTempDir(`flip-last-${what}`);
    try {
      const last = await writeTemplate(dir);
      const lastRecordStart = (await stat(last)).size - frameBytes;
      await flipByte(last, lastRecordStart + offsetInFrame);
      const warnings: string[] = [];
      const wal = await WriteAheadLog.open(dir, {
        fileSizeBytes,
        onWarning: (message) => warnings.push(message),
      });
      assert.equal(warnings.length, 1);
      assert.match(warnings[0]!, /00000000000000000017\.qwal: cut a torn tail/);
      await assertRecords(wal, recordCount - 1);
      assert.equal(await wal.append(0, payloadFor(0, 1)), BigInt(recordCount));
      await wal.close();
    } finally {
      await cleanup();
    }
  });
}

test('a flipped byte in a middle record of a non-last file fails the open, naming file and offset', async () => {
  const { dir, cleanup } = await makeTempDir('flip-middle');
  try {
    await writeTemplate(dir);
    const middleFile = join(dir, '00000000000000000009.qwal');
    const before = await readFile(middleFile);
    const thirdRecordOffset = 20 + 2 * frameBytes;
    await flipByte(middleFile, thirdRecordOffset + 40);
    await assert.rejects(
      WriteAheadLog.open(dir, { fileSizeBytes }),
      (error: Error) =>
        error.message.includes(`${middleFile} is corrupt at offset ${thirdRecordOffset}`) &&
        error.message.includes('checksum mismatch'),
    );
    // Nothing was repaired or deleted, and the directory can be opened again once fixed.
    assert.equal((await readFile(middleFile)).length, before.length);
    assert.equal((await walFiles(dir)).length, 3);
    await writeFile(middleFile, before);
    const wal = await WriteAheadLog.open(dir, { fileSizeBytes });
    await assertRecords(wal, recordCount);
    await wal.close();
  } finally {
    await cleanup();
  }
});

test('damage in the last file that valid records follow fails the open instead of dropping them', async () => {
  const { dir, cleanup } = await makeTempDir('flip-last-middle');
  try {
    const last = await writeTemplate(dir);
    const sizeBefore = (await stat(last)).size;
    const secondRecordOffset = 20 + frameBytes;
    await flipByte(last, secondRecordOffset + 30);
    await assert.rejects(
      WriteAheadLog.open(dir, { fileSizeBytes }),
      (error: Error) =>
        error.message.includes(`${last} is corrupt at offset ${secondRecordOffset}`) &&
        error.message.includes(
          `a valid record follows at offset ${secondRecordOffset + frameBytes} (LSN 19)`,
        ),
    );
    assert.equal((await stat(last)).size, sizeBefore, 'the file must not be cut');
  } finally {
    await cleanup();
  }
});

test('a zeroed region in the middle of the last file (lost page) with records after it fails the open', async () => {
  const { dir, cleanup } = await makeTempDir('zeroed');
  try {
    const last = await writeTemplate(dir);
    const bytes = await readFile(last);
    bytes.fill(0, 20, 20 + frameBytes + 10);
    await writeFile(last, bytes);
    await assert.rejects(
      WriteAheadLog.open(dir, { fileSizeBytes }),
      /valid record follows at offset 254 \(LSN 19\)/,
    );
  } finally {
    await cleanup();
  }
});

test('a damaged file header, a missing middle file, or a name/header mismatch fail the open', async () => {
  const { dir, cleanup } = await makeTempDir('headers');
  try {
    await writeTemplate(dir);
    const first = join(dir, '00000000000000000001.qwal');
    const middle = join(dir, '00000000000000000009.qwal');
    const last = join(dir, '00000000000000000017.qwal');

    const lastBytes = await readFile(last);
    await flipByte(last, 2);
    await assert.rejects(WriteAheadLog.open(dir), new RegExp(`${last} is corrupt at offset 0: bad magic`));
    await writeFile(last, lastBytes);

    const middleBytes = await readFile(middle);
    await flipByte(middle, 9);
    await assert.rejects(
      WriteAheadLog.open(dir),
      /00000000000000000009\.qwal is corrupt at offset 0: file header checksum/,
    );
    await unlink(middle);
    await assert.rejects(
      WriteAheadLog.open(dir),
      /00000000000000000017\.qwal starts at LSN 17 but the previous file ends at LSN 8/,
    );
    await writeFile(middle, middleBytes);

    // A file renamed to a wrong LSN.
    await writeFile(join(dir, '00000000000000000100.qwal'), await readFile(first));
    await assert.rejects(
      WriteAheadLog.open(dir),
      /header says the first LSN is 1 but the file name says 100/,
    );
    await unlink(join(dir, '00000000000000000100.qwal'));

    const wal = await WriteAheadLog.open(dir, { fileSizeBytes });
    await assertRecords(wal, recordCount);
    await wal.close();
  } finally {
    await cleanup();
  }
});

test('the last file truncated into its header fails the open (headers are written atomically)', async () => {
  const { dir, cleanup } = await makeTempDir('short-header');
  try {
    const last = await writeTemplate(dir);
    await truncate(last, 10);
    await assert.rejects(WriteAheadLog.open(dir), /00000000000000000017\.qwal is corrupt at offset 0/);
  } finally {
    await cleanup();
  }
});

test('an unfinished file from a crash during rollover is removed on open', async () => {
  const { dir, cleanup } = await makeTempDir('temp-file');
  try {
    await writeTemplate(dir);
    await writeFile(join(dir, '00000000000000000021.qwal.tmp'), Buffer.from('QWAL'));
    const warnings: string[] = [];
    const wal = await WriteAheadLog.open(dir, {
      fileSizeBytes,
      onWarning: (message) => warnings.push(message),
    });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /removed unfinished file 00000000000000000021\.qwal\.tmp/);
    await assertRecords(wal, recordCount);
    await wal.close();
    assert.equal((await walFiles(dir)).length, 3);
  } finally {
    await cleanup();
  }
});

test('replay re-checks CRCs and throws on damage that appeared after open', async () => {
  const { dir, cleanup } = await makeTempDir('replay-damage');
  try {
    await writeTemplate(dir);
    const wal = await WriteAheadLog.open(dir, { fileSizeBytes });
    const first = join(dir, '00000000000000000001.qwal');
    await flipByte(first, 20 + 50);
    const seen: bigint[] = [];
    await assert.rejects(
      wal.replay(0n, (record) => {
        seen.push(record.lsn);
      }),
      new RegExp(`${first} is corrupt at offset 20: record checksum mismatch`),
    );
    assert.deepEqual(seen, []);
    // Replay from a later file does not read the damaged one.
    assert.equal((await replayAll(wal, 9n)).length, recordCount - 8);
    await wal.close();
  } finally {
    await cleanup();
  }
});
