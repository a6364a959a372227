import { type FileHandle, open, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { errors } from '../../errors/index.js';
import { fsyncDirectory } from '../../storage/local/write-file-atomic.js';
import { walTempSuffix } from './create-wal-file.js';
import { readFully } from './read-fully.js';
import { findValidFrameAfter, readWalFrames } from './read-wal-frames.js';
import { walCorruptionError } from './wal-corruption-error.js';
import { decodeWalFileHeader, parseWalFileName, walFormat } from './wal-format.js';

export interface WalFileInfo {
  readonly path: string;
  readonly firstLsn: bigint;
}

export interface RecoveredWal {
  /** Valid WAL files in LSN order; empty for a new WAL. */
  readonly files: WalFileInfo[];
  /** LSN of the last valid record (firstLsn - 1 of the last file when it holds none). */
  readonly lastLsn: bigint;
  /** Length of the last file after any torn tail was cut: where the next record goes. */
  readonly lastFileEndOffset: number;
}

/**
 * Validates every WAL file in `dir` (headers, LSN continuity across files, every record's length,
 * CRC and LSN) and repairs the one thing that a crash legitimately leaves behind: a torn tail in the
 * last file, which is cut off (truncate + fsync) and reported through `onWarning`.
 *
 * A bad record in the last file counts as a torn tail only when no valid record follows it;
 * otherwise acknowledged records would be dropped, so it throws, as it does for any damage in an
 * earlier file, naming the file and offset.
 */
export async function recoverWalFiles(
  dir: string,
  onWarning: (message: string) => void,
): Promise<RecoveredWal> {
  const files: WalFileInfo[] = [];
  let removedTemp = false;
  for (const name of await readdir(dir)) {
    const firstLsn = parseWalFileName(name);
    if (firstLsn !== undefined) {
      files.push({ path: join(dir, name), firstLsn });
    } else if (name.endsWith(walFormat.fileExtension + walTempSuffix)) {
      // A crash while creating a WAL file: the final name was never linked, so it holds nothing.
      await unlink(join(dir, name));
      removedTemp = true;
      onWarning(`write-ahead log ${dir}: removed unfinished file ${name}`);
    }
  }
  if (removedTemp) await fsyncDirectory(dir);
  files.sort((a, b) => (a.firstLsn < b.firstLsn ? -1 : a.firstLsn > b.firstLsn ? 1 : 0));
  if (files.length === 0) return { files, lastLsn: 0n, lastFileEndOffset: 0 };

  let nextLsn = files[0]!.firstLsn;
  let lastFileEndOffset = 0;
  for (let index = 0; index < files.length; index++) {
    const info = files[index]!;
    const isLast = index === files.length - 1;
    const file = await open(info.path, isLast ? 'r+' : 'r');
    try {
      const scan = await scanWalFile(file, info);
      if (info.firstLsn !== nextLsn) {
        throw errors.ioFailed(
          `write-ahead log ${dir} is not contiguous: ${info.path} starts at LSN ${info.firstLsn} ` +
            `but the previous file ends at LSN ${nextLsn - 1n} (a file is missing or damaged)`,
        );
      }
      nextLsn = scan.nextLsn;
      if (scan.problem === undefined) {
        lastFileEndOffset = scan.sizeBytes;
        continue;
      }
      const { offset, reason } = scan.problem;
      if (!isLast) throw walCorruptionError(info.path, offset, reason);
      const tail = Buffer.allocUnsafe(scan.sizeBytes - offset);
      await readFully(file, tail, offset);
      const follower = findValidFrameAfter(tail, offset, nextLsn);
      if (follower !== undefined) {
        throw walCorruptionError(
          info.path,
          offset,
          `${reason}, yet a valid record follows at offset ${follower.offset} (LSN ${follower.lsn}); ` +
            'refusing to drop records that were written after the damage',
        );
      }
      await file.truncate(offset);
      await file.datasync();
      lastFileEndOffset = offset;
      onWarning(
        `write-ahead log ${info.path}: cut a torn tail of ${scan.sizeBytes - offset} bytes at offset ` +
          `${offset} (${reason}); the last record is LSN ${nextLsn - 1n}`,
      );
    } finally {
      await file.close();
    }
  }
  return { files, lastLsn: nextLsn - 1n, lastFileEndOffset };
}

interface WalFileScan {
  readonly sizeBytes: number;
  /** LSN after the last valid record. */
  readonly nextLsn: bigint;
  readonly problem?: { readonly offset: number; readonly reason: string };
}

async function scanWalFile(file: FileHandle, info: WalFileInfo): Promise<WalFileScan> {
  const { size: sizeBytes } = await file.stat();
  const header = Buffer.allocUnsafe(Math.min(sizeBytes, walFormat.fileHeaderBytes));
  await readFully(file, header, 0);
  // Files get their header atomically (createWalFile), so a bad header is damage, never a crash.
  const decoded = decodeWalFileHeader(header);
  if (typeof decoded === 'string') throw walCorruptionError(info.path, 0, decoded);
  if (decoded.firstLsn !== info.firstLsn) {
    throw walCorruptionError(
      info.path,
      8,
      `header says the first LSN is ${decoded.firstLsn} but the file name says ${info.firstLsn}`,
    );
  }
  let nextLsn = info.firstLsn;
  const result = await readWalFrames(file, walFormat.fileHeaderBytes, sizeBytes, (lsn) => {
    if (lsn !== nextLsn) return `record has LSN ${lsn}, expected ${nextLsn}`;
    nextLsn++;
    return undefined;
  });
  return { sizeBytes, nextLsn, problem: result.problem };
}
