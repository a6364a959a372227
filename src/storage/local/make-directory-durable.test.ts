import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeDirectoryDurable } from './make-directory-durable.js';

test('makeDirectoryDurable creates nested directories and accepts existing ones', async () => {
  const root = await mkdtemp(join(tmpdir(), 'quiver-mkdir-'));
  try {
    const dir = join(root, 'data', 'meta', 'nested');
    await makeDirectoryDurable(dir);
    assert.ok((await stat(dir)).isDirectory());
    await makeDirectoryDurable(dir);
    await makeDirectoryDurable(root);
    assert.ok((await stat(dir)).isDirectory());
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
