import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { crc32c } from '../crc32c.js';
import { runMetaStoreContract } from '../meta-store.contract.js';
import { MetaStoreCorruptError } from '../meta-store.js';
import { LocalMetaStore } from './local-meta-store.js';
import type { AtomicWriteStep } from './write-file-atomic.js';

async function withTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'quiver-meta-'));
  try {
    await body(join(root, 'meta'));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

async function openStore(dir: string, faultHook?: (step: AtomicWriteStep) => void): Promise<LocalMetaStore> {
  const store = new LocalMetaStore(dir, { faultHook });
  await store.open();
  return store;
}

/** Reopens `dir` in a fresh store and returns its entries, closing it again. */
async function entriesAfterReopen(dir: string): Promise<Array<[string, string]>> {
  const store = await openStore(dir);
  try {
    return store.list('');
  } finally {
    await store.close();
  }
}

/** A snapshot file with the given payload text, a correct length and CRC unless overridden. */
function frame(payloadText: string, version = 1): Buffer {
  const payload = Buffer.from(payloadText, 'utf8');
  const header = Buffer.alloc(20);
  header.write('QUIVMETA', 0, 'latin1');
  header.writeUInt32LE(version, 8);
  header.writeUInt32LE(payload.byteLength, 12);
  header.writeUInt32LE(crc32c(payload), 16);
  return Buffer.concat([header, payload]);
}

runMetaStoreContract(
  'LocalMetaStore',
  async () => {
    const root = await mkdtemp(join(tmpdir(), 'quiver-meta-contract-'));
    const dir = join(root, 'data', 'meta');
    return {
      store: await openStore(dir),
      reopen: () => openStore(dir),
      dispose: () => rm(root, { recursive: true, force: true }),
    };
  },
  { persistent: true },
);

test('open creates the directory; the file appears with the first change', async () => {
  await withTempDir(async (dir) => {
    const store = await openStore(dir);
    assert.deepEqual(await readdir(dir), []);
    await store.commit({});
    assert.deepEqual(await readdir(dir), []);
    await store.commit({ put: [['a', '1']] });
    assert.deepEqual(await readdir(dir), ['catalog.qmeta']);
    await store.close();
  });
});

test('the snapshot file has the documented layout and is deterministic', async () => {
  await withTempDir(async (dir) => {
    const store = await openStore(dir);
    await store.commit({
      put: [
        ['b', '2'],
        ['a', '1'],
        ['\u{1F600}', 'e'],
      ],
    });
    await store.close();
    const bytes = await readFile(join(dir, 'catalog.qmeta'));
    const payload = '{"entries":[["a","1"],["b","2"],["\u{1F600}","e"]]}';
    assert.equal(bytes.subarray(0, 8).toString('latin1'), 'QUIVMETA');
    assert.equal(bytes.readUInt32LE(8), 1);
    assert.equal(bytes.readUInt32LE(12), Buffer.byteLength(payload));
    assert.equal(bytes.readUInt32LE(16), crc32c(Buffer.from(payload)));
    assert.equal(bytes.subarray(20).toString('utf8'), payload);
    assert.deepEqual(bytes, frame(payload));
  });
});

test('commits that change nothing do not rewrite the file', async () => {
  await withTempDir(async (dir) => {
    let writes = 0;
    const store = await openStore(dir, (step) => {
      if (step === 'before-write') writes++;
    });
    await store.commit({ put: [['a', '1']] });
    await store.commit({ put: [['a', '1']], delete: ['missing'], deletePrefix: ['nothing/'] });
    await store.commit({});
    assert.equal(writes, 1);
    await store.close();
  });
});

test('concurrent commits write their snapshots one after another', async () => {
  await withTempDir(async (dir) => {
    const steps: AtomicWriteStep[] = [];
    const store = await openStore(dir, (step) => steps.push(step));
    await Promise.all(Array.from({ length: 30 }, (_, i) => store.commit({ put: [[`k/${i}`, String(i)]] })));
    const oneWrite: AtomicWriteStep[] = ['before-write', 'after-write', 'after-fsync', 'after-rename'];
    assert.deepEqual(steps, Array.from({ length: 30 }, () => oneWrite).flat());
    await store.close();
    assert.equal((await entriesAfterReopen(dir)).length, 30);
  });
});

async function assertCorrupt(dir: string, fileBytes: Uint8Array, expected: RegExp): Promise<void> {
  await mkdir(dir, { recursive: true });
  const filePath = join(dir, 'catalog.qmeta');
  await writeFile(filePath, fileBytes);
  const store = new LocalMetaStore(dir);
  await assert.rejects(store.open(), (error: unknown) => {
    assert.ok(error instanceof MetaStoreCorruptError, `expected MetaStoreCorruptError, got ${error}`);
    assert.equal(error.file, filePath);
    assert.ok(error.message.includes(filePath), error.message);
    assert.match(error.message, expected);
    return true;
  });
  assert.throws(() => store.list(''), /not open/);
}

test('a truncated snapshot is reported as corrupt, never read as empty', async () => {
  await withTempDir(async (dir) => {
    const store = await openStore(dir);
    await store.commit({ put: [['collection/1', JSON.stringify({ name: 'books', dim: 128 })]] });
    await store.close();
    const good = await readFile(join(dir, 'catalog.qmeta'));
    for (const length of [0, 1, 7, 8, 12, 16, 19, 20, 21, good.length >> 1, good.length - 1]) {
      await assertCorrupt(dir, good.subarray(0, length), /truncated/);
    }
  });
});

test('a flipped byte anywhere in the header or payload is detected', async () => {
  await withTempDir(async (dir) => {
    const store = await openStore(dir);
    await store.commit({
      put: [
        ['collection/1', 'books'],
        ['alias/x', 'collection/1'],
      ],
    });
    await store.close();
    const good = await readFile(join(dir, 'catalog.qmeta'));
    const expectedByField = (offset: number): RegExp => {
      if (offset < 8) return /bad magic/;
      if (offset < 12) return /unknown format version/;
      if (offset < 16) return /truncated|wrong length/;
      return /checksum mismatch/;
    };
    const offsets = [...Array.from({ length: 20 }, (_, i) => i), 20, 21, good.length >> 1, good.length - 1];
    for (const offset of offsets) {
      const damaged = Buffer.from(good);
      damaged[offset]! ^= 0x10;
      await assertCorrupt(dir, damaged, expectedByField(offset));
    }
  });
});

test('wrong magic, unknown version, trailing bytes and bad payloads are corrupt', async () => {
  await withTempDir(async (dir) => {
    const payload = '{"entries":[["a","1"]]}';
    await assertCorrupt(dir, Buffer.from(`{"entries":[["a","1"]]}${' '.repeat(20)}`), /bad magic/);
    await assertCorrupt(dir, frame(payload, 2), /unknown format version 2/);
    await assertCorrupt(dir, frame(payload, 0), /unknown format version 0/);
    await assertCorrupt(dir, Buffer.concat([frame(payload), Buffer.from([0])]), /wrong length/);
    // Correct checksums over payloads that were written wrong are still not trusted.
    await assertCorrupt(dir, frame('{"entries":[["a","1"]'), /not valid UTF-8 JSON/);
    await assertCorrupt(dir, frame('[]'), /not a JSON object/);
    await assertCorrupt(dir, frame('{"entries":[],"extra":1}'), /exactly the member "entries"/);
    await assertCorrupt(dir, frame('{"entries":{}}'), /not an array/);
    await assertCorrupt(dir, frame('{"entries":[["a",1]]}'), /entry 0 is not a \[key, value\] pair/);
    await assertCorrupt(
      dir,
      frame('{"entries":[["b","1"],["a","2"]]}'),
      /entry 1 .*not after the previous key/,
    );
    await assertCorrupt(dir, frame('{"entries":[["a","1"],["a","2"]]}'), /duplicate or unsorted/);
    const badUtf8 = frame('{"entries":[["a","\u00e9"]]}');
    const badUtf8Payload = badUtf8.subarray(20);
    badUtf8Payload[badUtf8Payload.indexOf(0xc3)] = 0xff;
    badUtf8.writeUInt32LE(crc32c(badUtf8Payload), 16);
    await assertCorrupt(dir, badUtf8, /not valid UTF-8 JSON/);
  });
});

test('a snapshot path that cannot be read rejects with the I/O error', async () => {
  await withTempDir(async (dir) => {
    await mkdir(join(dir, 'catalog.qmeta'), { recursive: true });
    await assert.rejects(new LocalMetaStore(dir).open(), (error: unknown) => {
      assert.ok(!(error instanceof MetaStoreCorruptError));
      assert.equal((error as NodeJS.ErrnoException).code, 'EISDIR');
      return true;
    });
  });
});

const crashSteps: AtomicWriteStep[] = ['before-write', 'after-write', 'after-fsync', 'after-rename'];

for (const crashStep of crashSteps) {
  test(`a crash at '${crashStep}' reopens to the whole old or the whole new state`, async () => {
    await withTempDir(async (dir) => {
      let crashAt: AtomicWriteStep | undefined;
      const store = await openStore(dir, (step) => {
        if (step === crashAt) throw new Error(`simulated crash at ${step}`);
      });
      const oldState: Array<[string, string]> = [
        ['collection/1', 'books'],
        ['collection/2', 'films'],
      ];
      await store.commit({ put: oldState });
      crashAt = crashStep;
      await assert.rejects(
        store.commit({ put: [['collection/3', 'songs']], delete: ['collection/1'] }),
        /simulated crash/,
      );
      assert.deepEqual(store.list(''), oldState, 'the rejected commit must not show in memory');
      await store.close();

      const files = await readdir(dir);
      const leftovers = files.filter((name) => name.startsWith('catalog.qmeta.tmp-'));
      assert.equal(leftovers.length, crashStep === 'after-rename' ? 0 : 1, files.join());

      const expected: Array<[string, string]> =
        crashStep === 'after-rename'
          ? [
              ['collection/2', 'films'],
              ['collection/3', 'songs'],
            ]
          : oldState;
      assert.deepEqual(await entriesAfterReopen(dir), expected);
      assert.deepEqual(await readdir(dir), ['catalog.qmeta'], 'open removes leftover temp files');
    });
  });
}

test('a crash during the very first write reopens empty', async () => {
  await withTempDir(async (dir) => {
    const store = await openStore(dir, (step) => {
      if (step === 'after-fsync') throw new Error('simulated crash');
    });
    await assert.rejects(store.commit({ put: [['a', '1']] }), /simulated crash/);
    await store.close();
    assert.deepEqual(await entriesAfterReopen(dir), []);
    assert.deepEqual(await readdir(dir), []);
  });
});

test('open removes only temp files of the snapshot, and ignores their contents', async () => {
  await withTempDir(async (dir) => {
    const store = await openStore(dir);
    await store.commit({ put: [['real', 'yes']] });
    await store.close();
    await writeFile(join(dir, 'catalog.qmeta.tmp-123-1'), 'QUIV');
    await writeFile(
      join(dir, 'catalog.qmeta.tmp-999-7'),
      frame('{"entries":[["stale","newer but never renamed"]]}'),
    );
    await writeFile(join(dir, 'catalog.qmeta.bak'), 'kept');
    await writeFile(join(dir, 'other.tmp-1'), 'kept');
    assert.deepEqual(await entriesAfterReopen(dir), [['real', 'yes']]);
    assert.deepEqual((await readdir(dir)).sort(), ['catalog.qmeta', 'catalog.qmeta.bak', 'other.tmp-1']);
  });
});

test('a commit failing with a real I/O error leaves memory unchanged; later commits recover', async () => {
  await withTempDir(async (dir) => {
    const store = await openStore(dir);
    await store.commit({ put: [['a', '1']] });
    // Removing the directory makes creating the temp file fail with ENOENT.
    await rm(dir, { recursive: true });
    await assert.rejects(store.commit({ put: [['b', '2']], delete: ['a'] }), { code: 'ENOENT' });
    assert.deepEqual(store.list(''), [['a', '1']]);
    await mkdir(dir);
    await store.commit({ put: [['c', '3']] });
    assert.deepEqual(store.list(''), [
      ['a', '1'],
      ['c', '3'],
    ]);
    await store.close();
    // The snapshot is rewritten whole from memory, so the entry written before the failure is back.
    assert.deepEqual(await entriesAfterReopen(dir), [
      ['a', '1'],
      ['c', '3'],
    ]);
  });
});

test('a commit failing with ENOSPC while writing leaves memory and disk unchanged', async () => {
  await withTempDir(async (dir) => {
    let diskFull = false;
    const store = await openStore(dir, (step) => {
      if (diskFull && step === 'after-write') {
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      }
    });
    await store.commit({ put: [['a', '1']] });
    diskFull = true;
    const queued = [store.commit({ put: [['b', '2']] }), store.commit({ put: [['c', '3']] })].map((commit) =>
      assert.rejects(commit, { code: 'ENOSPC' }),
    );
    await Promise.all(queued);
    assert.deepEqual(store.list(''), [['a', '1']]);
    diskFull = false;
    await store.commit({ put: [['d', '4']] });
    await store.close();
    assert.deepEqual(await entriesAfterReopen(dir), [
      ['a', '1'],
      ['d', '4'],
    ]);
  });
});

test('LocalMetaStore refuses use before open()', async () => {
  await withTempDir(async (dir) => {
    const store = new LocalMetaStore(dir);
    assert.throws(() => store.get('a'), /not open/);
    await assert.rejects(store.commit({ put: [['a', '1']] }), /not open/);
  });
});
