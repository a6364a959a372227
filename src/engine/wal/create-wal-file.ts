import { link, open, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDirectory } from '../../storage/local/write-file-atomic.js';
import { encodeWalFileHeader, walFileName } from './wal-format.js';

/** Suffix of the temporary file a new WAL file is prepared in; leftovers are removed on open. */
export const walTempSuffix = '.tmp';

/**
 * Creates the WAL file whose first record will have `firstLsn`, atomically: the header is written
 * and fsynced in a temporary file, which is then hard-linked to its final name (link, unlike
 * rename, refuses to replace an existing file) and the directory is fsynced. So a file with a WAL
 * name always has a complete, durable header. Returns the file's path.
 */
export async function createWalFile(dir: string, firstLsn: bigint): Promise<string> {
  const path = join(dir, walFileName(firstLsn));
  const tempPath = path + walTempSuffix;
  const header = encodeWalFileHeader(firstLsn);
  const file = await open(tempPath, 'w');
  try {
    await file.write(header, 0, header.length, 0);
    await file.sync();
  } finally {
    await file.close();
  }
  await link(tempPath, path);
  await unlink(tempPath);
  await fsyncDirectory(dir);
  return path;
}
