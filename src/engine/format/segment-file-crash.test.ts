import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type AtomicWriteStep, removeAtomicWriteLeftovers } from '../../storage/local/write-file-atomic.js';
import { crashTestSegment, makeTempDir } from './format-test-support.js';
import { readSegmentFile, writeSegmentFile } from './segment-file.js';

const childPath = fileURLToPath(new URL('./segment-file-crash-child.js', import.meta.url));

function runChild(path: string, numRows: number, step: AtomicWriteStep): Promise<void> {
  return new Promise((resolveRun, rejectRun) => {
    const child = spawn(process.execPath, [childPath, path, String(numRows), step], { stdio: 'inherit' });
    child.on('error', rejectRun);
    child.on('close', (code, signal) => {
      if (signal === 'SIGKILL') resolveRun();
      else rejectRun(new Error(`child ended with ${signal ?? `exit code ${code}`}, expected SIGKILL`));
    });
  });
}

for (const step of ['before-write', 'after-write', 'after-fsync', 'after-rename'] as AtomicWriteStep[]) {
  test(`a process killed at '${step}' while replacing a segment file leaves a whole file`, async () => {
    const { dir, cleanup } = await makeTempDir(`segment-kill-${step}`);
    try {
      const path = join(dir, '77.qseg');
      const old = crashTestSegment(40);
      await writeSegmentFile(path, old);
      await runChild(path, 900, step);
      const survivor = await readSegmentFile(path);
      assert.deepEqual(survivor, step === 'after-rename' ? crashTestSegment(900) : old);
      const leftovers = await removeAtomicWriteLeftovers(path);
      assert.equal(leftovers.length, step === 'after-rename' ? 0 : 1);
      assert.deepEqual(await readdir(dir), ['77.qseg']);
    } finally {
      await cleanup();
    }
  });
}

test('a process killed before its first segment file is renamed into place leaves no file', async () => {
  const { dir, cleanup } = await makeTempDir('segment-kill-first');
  try {
    const path = join(dir, '77.qseg');
    await runChild(path, 500, 'after-fsync');
    await assert.rejects(readSegmentFile(path), { code: 'ENOENT' });
  } finally {
    await cleanup();
  }
});
