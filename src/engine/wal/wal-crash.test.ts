import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { makeTempDir, payloadFor, replayAll } from './wal-test-support.js';
import { WriteAheadLog } from './write-ahead-log.js';

const childPath = fileURLToPath(new URL('./wal-crash-child.js', import.meta.url));

/** Runs the child until it kills itself; returns the acknowledged LSNs with their payload sizes. */
function runChild(dir: string, step: string, occurrence: number): Promise<Map<bigint, number>> {
  return new Promise((resolveRun, rejectRun) => {
    const child = spawn(process.execPath, [childPath, dir, step, String(occurrence)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
    });
    child.on('error', rejectRun);
    child.on('close', (_code, signal) => {
      if (signal !== 'SIGKILL') {
        rejectRun(new Error(`child ended with ${signal ?? 'exit'}, expected SIGKILL`));
        return;
      }
      const acknowledged = new Map<bigint, number>();
      for (const line of output.split('\n')) {
        if (line === '') continue;
        const [lsn, sizeBytes] = line.split(' ');
        acknowledged.set(BigInt(lsn!), Number(sizeBytes));
      }
      resolveRun(acknowledged);
    });
  });
}

for (const [step, occurrence] of [
  ['write', 40],
  ['fsync', 25],
  ['rollover', 3],
] as const) {
  test(`a process killed at '${step}' #${occurrence} keeps every acknowledged record`, async () => {
    const { dir, cleanup } = await makeTempDir(`crash-${step}`);
    try {
      const acknowledged = await runChild(dir, step, occurrence);
      assert.ok(acknowledged.size > 0, 'the child acknowledged some appends before the crash');
      const wal = await WriteAheadLog.open(dir, { fileSizeBytes: 4096 });
      const records = await replayAll(wal);
      // Contiguous from 1, holding every acknowledged LSN with its exact payload; unacknowledged
      // records of the last group may survive too (the kill does not drop the page cache).
      records.forEach((record, index) => {
        assert.equal(record.lsn, BigInt(index + 1));
      });
      for (const [lsn, sizeBytes] of acknowledged) {
        const record = records[Number(lsn) - 1];
        assert.ok(record !== undefined, `acknowledged LSN ${lsn} is missing`);
        assert.equal(record.type, sizeBytes % 256);
        assert.deepEqual(Buffer.from(record.payload), payloadFor(sizeBytes, sizeBytes));
      }
      assert.equal(await wal.append(0, Buffer.from('after crash')), BigInt(records.length + 1));
      await wal.close();
    } finally {
      await cleanup();
    }
  });
}
