import type { AtomicWriteStep } from '../../storage/local/write-file-atomic.js';
import { crashTestSegment } from './format-test-support.js';
import { writeSegmentFile } from './segment-file.js';

/**
 * Child process for segment-file-crash.test.ts: writes crashTestSegment(<rows>) to <path> and kills
 * itself with SIGKILL when writeFileAtomic reaches <step>, as a real crash would stop it.
 * Usage: node segment-file-crash-child.js <path> <rows> <step>
 */
const [path, rowsText, crashStep] = process.argv.slice(2) as [string, string, AtomicWriteStep];
await writeSegmentFile(path, crashTestSegment(Number(rowsText)), {
  faultHook: (step) => {
    if (step === crashStep) process.kill(process.pid, 'SIGKILL');
  },
});
process.exitCode = 3; // reaching here means the step never came: the parent reports it
