import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  type AtomicWriteStep,
  fsyncDirectory,
  removeAtomicWriteLeftovers,
  writeFileAtomic,
} from './write-file-atomic.js';

async function withTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'quiver-atomic-'));
  try {
    await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const bytes = (text: string) => new TextEncoder().encode(text);

test('writeFileAtomic creates and then replaces a file, leaving no temp file', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'segment.bin');
    await writeFileAtomic(path, bytes('first version'));
    assert.equal(await readFile(path, 'utf8'), 'first version');
    await writeFileAtomic(path, [bytes('second'), new Uint8Array(0), bytes(' version')]);
    assert.equal(await readFile(path, 'utf8'), 'second version');
    assert.deepEqual(await readdir(dir), ['segment.bin']);
  });
});

test('writeFileAtomic writes multi-megabyte chunk lists completely and in order', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'big.bin');
    const chunks = Array.from({ length: 5 }, (_, c) => {
      const chunk = new Uint8Array(1 << 20);
      for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 31 + c * 7) & 0xff;
      return chunk;
    });
    // A view into a larger buffer must contribute only its own bytes.
    const backing = bytes('xxTAILxx');
    chunks.push(backing.subarray(2, 6));
    await writeFileAtomic(path, chunks);
    const written = await readFile(path);
    assert.deepEqual(written, Buffer.concat(chunks));
    assert.equal(written.subarray(-4).toString(), 'TAIL');
  });
});

for (const crashStep of ['before-write', 'after-write', 'after-fsync', 'after-rename'] as AtomicWriteStep[]) {
  test(`a crash at '${crashStep}' leaves the whole old or whole new file`, async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, 'index.bin');
      await writeFileAtomic(path, bytes('old contents'));
      const steps: AtomicWriteStep[] = [];
      await assert.rejects(
        writeFileAtomic(path, bytes('new contents'), {
          faultHook: (step) => {
            steps.push(step);
            if (step === crashStep) throw new Error(`crash at ${step}`);
          },
        }),
        new RegExp(`crash at ${crashStep}`),
      );
      assert.equal(steps.at(-1), crashStep);
      const renamed = crashStep === 'after-rename';
      assert.equal(await readFile(path, 'utf8'), renamed ? 'new contents' : 'old contents');
      const removed = await removeAtomicWriteLeftovers(path);
      assert.equal(removed.length, renamed ? 0 : 1);
      assert.deepEqual(await readdir(dir), ['index.bin']);
    });
  });
}

test('a real failure removes the temp file and leaves the target untouched', async () => {
  await withTempDir(async (dir) => {
    // rename() cannot replace a non-empty directory, so the write fails after the temp file is made.
    const path = join(dir, 'target');
    await mkdir(path);
    await writeFile(join(path, 'inside'), 'x');
    await assert.rejects(writeFileAtomic(path, bytes('data')), (error: NodeJS.ErrnoException) =>
      ['EISDIR', 'ENOTEMPTY', 'EEXIST'].includes(error.code ?? ''),
    );
    assert.deepEqual(await readdir(dir), ['target']);
    assert.deepEqual(await readdir(path), ['inside']);
  });
});

test('writeFileAtomic into a missing directory rejects with ENOENT', async () => {
  await withTempDir(async (dir) => {
    await assert.rejects(writeFileAtomic(join(dir, 'missing', 'file'), bytes('x')), { code: 'ENOENT' });
  });
});

test('concurrent writes to one path each land whole', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'shared.bin');
    const contents = Array.from({ length: 8 }, (_, i) => String(i).repeat(10_000));
    await Promise.all(contents.map((text) => writeFileAtomic(path, bytes(text))));
    assert.ok(contents.includes(await readFile(path, 'utf8')));
    assert.deepEqual(await readdir(dir), ['shared.bin']);
  });
});

test('removeAtomicWriteLeftovers removes only temp files of the given target', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'a.bin');
    for (const name of [
      'a.bin',
      'a.bin.tmp-1-1',
      'a.bin.tmp-22-9',
      'a.bin.tmp',
      'b.bin.tmp-1-1',
      'xa.bin.tmp-1-1',
    ]) {
      await writeFile(join(dir, name), name);
    }
    const removed = await removeAtomicWriteLeftovers(path);
    assert.deepEqual(removed.sort(), [join(dir, 'a.bin.tmp-1-1'), join(dir, 'a.bin.tmp-22-9')]);
    assert.deepEqual((await readdir(dir)).sort(), ['a.bin', 'a.bin.tmp', 'b.bin.tmp-1-1', 'xa.bin.tmp-1-1']);
  });
});

test('fsyncDirectory syncs an existing directory and rejects for a missing one', async () => {
  await withTempDir(async (dir) => {
    await fsyncDirectory(dir);
    await assert.rejects(fsyncDirectory(join(dir, 'missing')), { code: 'ENOENT' });
  });
});
