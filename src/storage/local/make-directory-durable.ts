import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fsyncDirectory } from './write-file-atomic.js';

/**
 * Creates `dir` (and missing parents) and makes the new directory entries durable by fsyncing
 * each parent that gained one. Without that, a file written and fsynced inside a freshly created
 * directory could vanish after a power loss together with the directory itself.
 */
export async function makeDirectoryDurable(dir: string): Promise<void> {
  const firstCreated = await mkdir(dir, { recursive: true });
  if (firstCreated === undefined) return;
  const lastParent = dirname(resolve(firstCreated));
  let current = resolve(dir);
  for (;;) {
    const parent = dirname(current);
    await fsyncDirectory(parent);
    if (parent === lastParent || parent === current) return;
    current = parent;
  }
}
