import { writeSync } from 'node:fs';
import { payloadFor } from './wal-test-support.js';
import { type WalFaultStep, WriteAheadLog } from './write-ahead-log.js';

/**
 * Child process for wal-crash.test.ts: appends from 8 concurrent appenders, printing each
 * acknowledged LSN, and kills itself with SIGKILL at the n-th occurrence of a fault-hook step.
 * Usage: node wal-crash-child.js <dir> <step> <occurrence>
 */
const [dir, crashStep, occurrenceText] = process.argv.slice(2) as [string, WalFaultStep, string];
const crashAt = Number(occurrenceText);
let seen = 0;
const wal = await WriteAheadLog.open(dir, {
  fileSizeBytes: 4096,
  faultHook: (step) => {
    if (step === crashStep && ++seen === crashAt) process.kill(process.pid, 'SIGKILL');
  },
});
await Promise.all(
  Array.from({ length: 8 }, async () => {
    for (;;) {
      const sizeBytes = 50 + (wal.stats.appends % 200);
      const lsn = await wal.append(sizeBytes % 256, payloadFor(sizeBytes, sizeBytes));
      // Synchronous, so that every line printed before the kill reaches the parent.
      writeSync(1, `${lsn} ${sizeBytes}\n`);
    }
  }),
);
