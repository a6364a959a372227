import { open } from 'node:fs/promises';

/** Fsyncs a directory so that file creations, renames and deletions in it are durable. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
