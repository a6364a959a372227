import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeTempDir, payloadFor, replayAll, walFiles } from './wal-test-support.js';
import { type WalFaultStep, WriteAheadLog } from './write-ahead-log.js';

/** Small seeded generator for record sizes (xorshift32). */
function seededSizes(seed: number, count: number, maxBytes: number): number[] {
  let state = seed;
  const sizes: number[] = [];
  for (let index = 0; index < count; index++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    sizes.push((state >>> 0) % (maxBytes + 1));
  }
  return sizes;
}

test('round trip of random-size records across file rollover, replay from 0 and from the middle', async () => {
  const { dir, cleanup } = await makeTempDir('roundtrip');
  try {
    const fileSizeBytes = 64 * 1024;
    const sizes = seededSizes(12345, 400, 5000);
    sizes[7] = 0; // an empty payload is a valid record
    let wal = await WriteAheadLog.open(dir, { fileSizeBytes });
    assert.equal(wal.lastLsn, 0n);
    // Batches of concurrent appends, so groups straddle file boundaries.
    for (let start = 0; start < sizes.length; start += 25) {
      const batch = sizes.slice(start, start + 25).map((size, offset) => {
        const index = start + offset;
        return wal.append(index % 256, payloadFor(index, size));
      });
      assert.deepEqual(
        await Promise.all(batch),
        batch.map((_, offset) => BigInt(start + offset + 1)),
      );
    }
    assert.equal(wal.lastLsn, 400n);
    assert.ok(wal.stats.rollovers >= 10, `expected many rollovers, got ${wal.stats.rollovers}`);

    const check = (records: { lsn: bigint; type: number; payload: Uint8Array }[], fromIndex: number) => {
      assert.equal(records.length, sizes.length - fromIndex);
      records.forEach((record, offset) => {
        const index = fromIndex + offset;
        assert.equal(record.lsn, BigInt(index + 1));
        assert.equal(record.type, index % 256);
        assert.deepEqual(Buffer.from(record.payload), payloadFor(index, sizes[index]!));
      });
    };
    check(await replayAll(wal, 0n), 0);
    check(await replayAll(wal, 200n), 199);
    check(await replayAll(wal, 400n), 399);
    assert.equal((await replayAll(wal, 401n)).length, 0);
    await wal.close();

    const files = await walFiles(dir);
    assert.equal(files.length, wal.stats.rollovers + 1);
    for (const name of files) {
      assert.ok((await stat(join(dir, name))).size <= fileSizeBytes, `${name} exceeds fileSizeBytes`);
    }

    wal = await WriteAheadLog.open(dir, { fileSizeBytes });
    assert.equal(wal.lastLsn, 400n);
    check(await replayAll(wal, 0n), 0);
    check(await replayAll(wal, 333n), 332);
    assert.equal(await wal.append(1, Buffer.from('after reopen')), 401n);
    await wal.close();
  } finally {
    await cleanup();
  }
});

test('a record larger than fileSizeBytes gets a file of its own', async () => {
  const { dir, cleanup } = await makeTempDir('large');
  try {
    const wal = await WriteAheadLog.open(dir, { fileSizeBytes: 1024 });
    const lsns = await Promise.all([
      wal.append(1, payloadFor(1, 100)),
      wal.append(2, payloadFor(2, 3000)),
      wal.append(3, payloadFor(3, 100)),
    ]);
    assert.deepEqual(lsns, [1n, 2n, 3n]);
    await wal.close();
    assert.deepEqual(await walFiles(dir), [
      '00000000000000000001.qwal',
      '00000000000000000002.qwal',
      '00000000000000000003.qwal',
    ]);
    const reopened = await WriteAheadLog.open(dir, { fileSizeBytes: 1024 });
    const records = await replayAll(reopened);
    assert.deepEqual(
      records.map((record) => [record.lsn, record.type, record.payload.length]),
      [
        [1n, 1, 100],
        [2n, 2, 3000],
        [3n, 3, 100],
      ],
    );
    assert.deepEqual(Buffer.from(records[1]!.payload), payloadFor(2, 3000));
    await reopened.close();
  } finally {
    await cleanup();
  }
});

test('group commit: 1,000 concurrent appends take far fewer fsyncs and replay in order', async () => {
  const { dir, cleanup } = await makeTempDir('group');
  try {
    let hookFsyncs = 0;
    const wal = await WriteAheadLog.open(dir, {
      faultHook: (step) => {
        if (step === 'fsync') hookFsyncs++;
      },
    });
    const appends = Array.from({ length: 1000 }, (_, index) => wal.append(index % 3, payloadFor(index, 200)));
    const lsns = await Promise.all(appends);
    assert.deepEqual(
      lsns,
      lsns.map((_, index) => BigInt(index + 1)),
    );
    assert.equal(wal.stats.fsyncs, hookFsyncs);
    assert.ok(hookFsyncs >= 1 && hookFsyncs <= 10, `expected a handful of fsyncs, got ${hookFsyncs}`);
    const records = await replayAll(wal);
    assert.equal(records.length, 1000);
    records.forEach((record, index) => {
      assert.equal(record.lsn, BigInt(index + 1));
      assert.equal(record.type, index % 3);
      assert.deepEqual(Buffer.from(record.payload), payloadFor(index, 200));
    });
    await wal.close();
  } finally {
    await cleanup();
  }
});

test('group commit: appends that arrive during an fsync share the next write and fsync', async () => {
  const { dir, cleanup } = await makeTempDir('group-inflight');
  try {
    let hook: (step: WalFaultStep) => Promise<void> = async () => {};
    let releaseFirstFsync: () => void = () => {};
    const firstFsyncEntered = new Promise<void>((entered) => {
      let fsyncs = 0;
      const gate = new Promise<void>((release) => {
        releaseFirstFsync = release;
      });
      hook = async (step) => {
        if (step !== 'fsync' || ++fsyncs > 1) return;
        entered();
        await gate;
      };
    });
    const wal = await WriteAheadLog.open(dir, { faultHook: (step) => hook(step) });
    const first = wal.append(0, Buffer.from('first'));
    await firstFsyncEntered;
    // The first group is stuck before its fsync: these 300 queue up behind it.
    const waiting = Array.from({ length: 300 }, (_, index) => wal.append(1, payloadFor(index, 64)));
    let firstAcknowledged = false;
    void first.then(() => {
      firstAcknowledged = true;
    });
    await new Promise((resolveSoon) => setImmediate(resolveSoon));
    assert.equal(firstAcknowledged, false, 'an append must not resolve before its fsync');
    releaseFirstFsync();
    assert.equal(await first, 1n);
    const lsns = await Promise.all(waiting);
    assert.equal(lsns[299], 301n);
    assert.equal(wal.stats.fsyncs, 2);
    assert.equal(wal.stats.writes, 2);
    await wal.close();
  } finally {
    await cleanup();
  }
});

test('truncateBefore deletes only files whose every record is older, never the active file', async () => {
  const { dir, cleanup } = await makeTempDir('truncate');
  try {
    const fileSizeBytes = 1024;
    const wal = await WriteAheadLog.open(dir, { fileSizeBytes });
    // 100-byte payloads: 117-byte frames, 8 per file (20 + 8 * 117 = 956 ≤ 1024).
    for (let index = 0; index < 40; index++) await wal.append(0, payloadFor(index, 100));
    const before = await walFiles(dir);
    assert.deepEqual(before.slice(0, 3), [
      '00000000000000000001.qwal',
      '00000000000000000009.qwal',
      '00000000000000000017.qwal',
    ]);
    assert.equal(before.length, 5);

    assert.equal(await wal.truncateBefore(1n), 0);
    assert.equal(await wal.truncateBefore(9n), 1); // file 1 holds LSNs 1..8, all < 9
    assert.equal(await wal.truncateBefore(16n), 0); // file 9 still holds LSN 16
    assert.equal(await wal.truncateBefore(20n), 1); // file 9 holds 9..16; file 17 holds 20
    assert.deepEqual(await walFiles(dir), before.slice(2));
    assert.equal(wal.oldestLsn, 17n);
    assert.deepEqual(
      (await replayAll(wal, 0n)).map((record) => record.lsn),
      Array.from({ length: 24 }, (_, index) => BigInt(index + 17)),
    );

    // Past the end: the checkpoint covers the active file too, so the log starts a new active file
    // (at the next LSN) and every old file goes; nothing already checkpointed is read again.
    assert.equal(await wal.truncateBefore(1000n), 3);
    assert.deepEqual(await walFiles(dir), ['00000000000000000041.qwal']);
    assert.equal(await wal.append(0, Buffer.from('next')), 41n);
    await wal.close();

    const reopened = await WriteAheadLog.open(dir, { fileSizeBytes });
    assert.equal(reopened.lastLsn, 41n);
    assert.equal(reopened.oldestLsn, 41n);
    assert.deepEqual(
      (await replayAll(reopened, 0n)).map((record) => record.lsn),
      [41n],
    );
    await reopened.close();
  } finally {
    await cleanup();
  }
});

test('a checkpoint that covers the active file moves appends, including concurrent ones, to a new file', async () => {
  const { dir, cleanup } = await makeTempDir('truncate-active');
  try {
    const racing: Promise<bigint>[] = [];
    let armed = false;
    const wal: WriteAheadLog = await WriteAheadLog.open(dir, {
      fileSizeBytes: 1 << 20,
      // Appends made while the rollover is under way (from its first step).
      faultHook: (step) => {
        if (step !== 'rollover' || !armed) return;
        armed = false;
        racing.push(wal.append(0, payloadFor(5, 100)), wal.append(0, payloadFor(6, 100)));
      },
    });
    for (let index = 0; index < 5; index++) await wal.append(0, payloadFor(index, 100));
    assert.deepEqual(await walFiles(dir), ['00000000000000000001.qwal']);
    // Not covered (LSN 5 is not below 5): nothing moves.
    assert.equal(await wal.truncateBefore(5n), 0);
    assert.deepEqual(await walFiles(dir), ['00000000000000000001.qwal']);
    // Covered, with appends racing the rollover: they are acknowledged in order, in the new file.
    armed = true;
    assert.equal(await wal.truncateBefore(6n), 1);
    assert.equal(racing.length, 2);
    assert.deepEqual(await Promise.all(racing), [6n, 7n]);
    assert.deepEqual(await walFiles(dir), ['00000000000000000006.qwal']);
    await wal.close();
    const reopened = await WriteAheadLog.open(dir, { fileSizeBytes: 1 << 20 });
    assert.deepEqual(
      (await replayAll(reopened, 0n)).map((record) => [
        record.lsn,
        Buffer.from(record.payload).equals(payloadFor(Number(record.lsn) - 1, 100)),
      ]),
      [
        [6n, true],
        [7n, true],
      ],
    );
    await reopened.close();
  } finally {
    await cleanup();
  }
});

test('truncateBefore on an emptied log keeps LSNs going after reopen', async () => {
  const { dir, cleanup } = await makeTempDir('truncate-empty');
  try {
    const wal = await WriteAheadLog.open(dir, { fileSizeBytes: 256, firstLsn: 1000n });
    assert.equal(wal.lastLsn, 999n);
    for (let index = 0; index < 6; index++) await wal.append(0, payloadFor(index, 100));
    // 117-byte frames, two per 256-byte file: files 1000, 1002 and 1004; the last is active. All
    // are covered, so an empty file 1006 takes over and the three go.
    assert.equal(await wal.truncateBefore(wal.lastLsn + 1n), 3);
    assert.deepEqual(await walFiles(dir), ['00000000000000001006.qwal']);
    await wal.close();
    const reopened = await WriteAheadLog.open(dir, { fileSizeBytes: 256 });
    assert.equal(reopened.lastLsn, 1005n);
    assert.equal(await reopened.append(0, Buffer.alloc(0)), 1006n);
    await reopened.close();
  } finally {
    await cleanup();
  }
});

for (const failingStep of ['write', 'fsync', 'rollover'] as const) {
  test(`a failure at '${failingStep}' rejects those appends; earlier acknowledged records survive`, async () => {
    const { dir, cleanup } = await makeTempDir(`fail-${failingStep}`);
    try {
      let armed = false;
      const fileSizeBytes = 4096;
      const warnings: string[] = [];
      const wal = await WriteAheadLog.open(dir, {
        fileSizeBytes,
        onWarning: (message) => warnings.push(message),
        faultHook: (step) => {
          if (armed && step === failingStep) {
            throw Object.assign(new Error('injected EIO'), { code: 'EIO' });
          }
        },
      });
      // 30 records of 117 bytes (~3.5 KiB): the next few cross the 4 KiB boundary.
      const acknowledged: bigint[] = [];
      for (let index = 0; index < 30; index++) acknowledged.push(await wal.append(5, payloadFor(index, 100)));
      armed = true;
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, index) => wal.append(6, payloadFor(100 + index, 100))),
      );
      const rejected = results.filter((result) => result.status === 'rejected');
      const fulfilled = results.filter((result) => result.status === 'fulfilled');
      // With 'rollover' the records that still fit the old file are written and acknowledged.
      if (failingStep === 'rollover') assert.ok(fulfilled.length > 0 && rejected.length > 0);
      else assert.equal(rejected.length, 10);
      for (const result of fulfilled) acknowledged.push((result as PromiseFulfilledResult<bigint>).value);
      for (const result of rejected) {
        const reason = (result as PromiseRejectedResult).reason as Error;
        assert.match(reason.message, new RegExp(`failed during ${failingStep} \\(injected EIO\\)`));
      }
      await assert.rejects(wal.append(0, Buffer.from('later')), /reopen it to recover/);
      // Still readable in place: exactly the acknowledged records.
      assert.deepEqual(
        (await replayAll(wal)).map((record) => record.lsn),
        acknowledged,
      );
      await wal.close();

      const reopened = await WriteAheadLog.open(dir, { fileSizeBytes });
      const records = await replayAll(reopened);
      assert.deepEqual(
        records.map((record) => record.lsn),
        acknowledged,
      );
      records.forEach((record, index) => {
        const seed = index < 30 ? index : 100 + index - 30;
        assert.deepEqual(Buffer.from(record.payload), payloadFor(seed, 100));
      });
      const next = BigInt(acknowledged.length + 1);
      assert.equal(await reopened.append(7, Buffer.from('continues')), next);
      await reopened.close();
      assert.deepEqual(warnings, []);
    } finally {
      await cleanup();
    }
  });
}

test("sync 'none' acknowledges without fsync; close makes it durable", async () => {
  const { dir, cleanup } = await makeTempDir('none');
  try {
    const wal = await WriteAheadLog.open(dir, { sync: 'none' });
    const lsns = [];
    for (let index = 0; index < 20; index++) lsns.push(await wal.append(1, payloadFor(index, 50)));
    assert.equal(wal.stats.fsyncs, 0);
    assert.equal(wal.stats.writes, 20);
    await wal.close();
    assert.equal(wal.stats.fsyncs, 1);
    const reopened = await WriteAheadLog.open(dir);
    assert.deepEqual(
      (await replayAll(reopened)).map((record) => record.lsn),
      lsns,
    );
    await reopened.close();
  } finally {
    await cleanup();
  }
});

test("sync 'batch' writes a group once groupMaxBytes are queued, and close flushes a waiting group", async () => {
  const { dir, cleanup } = await makeTempDir('batch');
  try {
    // A window far longer than the test: only groupMaxBytes or close may start a write.
    const frameBytes = 17 + 100;
    const wal = await WriteAheadLog.open(dir, {
      sync: 'batch',
      groupWindowMs: 60_000,
      groupMaxBytes: 3 * frameBytes,
    });
    const first = [wal.append(0, payloadFor(0, 100)), wal.append(0, payloadFor(1, 100))];
    await new Promise((resolveSoon) => setImmediate(resolveSoon));
    assert.equal(wal.stats.writes, 0, 'two records are below groupMaxBytes');
    first.push(wal.append(0, payloadFor(2, 100)));
    assert.deepEqual(await Promise.all(first), [1n, 2n, 3n]);
    assert.equal(wal.stats.writes, 1);
    assert.equal(wal.stats.fsyncs, 1);

    const waiting = wal.append(0, payloadFor(3, 100));
    await wal.close();
    assert.equal(await waiting, 4n);
    assert.equal(wal.stats.fsyncs, 2);
    await assert.rejects(wal.append(0, Buffer.alloc(1)), /is closed/);
  } finally {
    await cleanup();
  }
});

test('close flushes appends still queued and is idempotent', async () => {
  const { dir, cleanup } = await makeTempDir('close');
  try {
    const wal = await WriteAheadLog.open(dir);
    const pending = Array.from({ length: 50 }, (_, index) => wal.append(2, payloadFor(index, 10)));
    await Promise.all([wal.close(), wal.close()]);
    assert.equal((await Promise.all(pending)).length, 50);
    const reopened = await WriteAheadLog.open(dir);
    assert.equal(reopened.lastLsn, 50n);
    await reopened.close();
  } finally {
    await cleanup();
  }
});

test('replay awaits an async callback and delivers payloads that stay valid', async () => {
  const { dir, cleanup } = await makeTempDir('replay-async');
  try {
    const wal = await WriteAheadLog.open(dir, { fileSizeBytes: 2048 });
    for (let index = 0; index < 50; index++) await wal.append(0, payloadFor(index, 300));
    const kept: Uint8Array[] = [];
    let inCallback = false;
    await wal.replay(0n, async (record) => {
      assert.equal(inCallback, false, 'callbacks must not overlap');
      inCallback = true;
      await new Promise((resolveSoon) => setImmediate(resolveSoon));
      kept.push(record.payload);
      inCallback = false;
    });
    assert.equal(kept.length, 50);
    kept.forEach((payload, index) => {
      assert.deepEqual(Buffer.from(payload), payloadFor(index, 300));
    });
    await wal.close();
  } finally {
    await cleanup();
  }
});

test('rejects bad arguments and a second open of the same directory', async () => {
  const { dir, cleanup } = await makeTempDir('args');
  try {
    await assert.rejects(WriteAheadLog.open(dir, { fileSizeBytes: 10 }), /fileSizeBytes/);
    await assert.rejects(WriteAheadLog.open(dir, { firstLsn: 0n }), /firstLsn/);
    const wal = await WriteAheadLog.open(dir);
    await assert.rejects(WriteAheadLog.open(join(dir, '.')), /already open/);
    await assert.rejects(wal.append(256, Buffer.alloc(1)), /type 256/);
    await assert.rejects(wal.append(1.5, Buffer.alloc(1)), /type 1.5/);
    assert.equal(await wal.append(255, Buffer.alloc(1)), 1n);
    await wal.close();
    const again = await WriteAheadLog.open(dir);
    await again.close();
  } finally {
    await cleanup();
  }
});
