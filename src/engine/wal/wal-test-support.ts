import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WalRecord, WriteAheadLog } from './write-ahead-log.js';

/** Test support: a fresh directory under the OS temp dir, removed by the returned cleanup. */
export async function makeTempDir(label: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `quiver-wal-${label}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Deterministic payload for a given LSN-like seed, so replays can be checked byte for byte. */
export function payloadFor(seed: number, sizeBytes: number): Buffer {
  const payload = Buffer.allocUnsafe(sizeBytes);
  let state = (seed * 2654435761) >>> 0 || 1;
  for (let index = 0; index < sizeBytes; index++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    payload[index] = state & 0xff;
  }
  return payload;
}

/** Every record from `fromLsn`, with payloads copied. */
export async function replayAll(wal: WriteAheadLog, fromLsn = 0n): Promise<WalRecord[]> {
  const records: WalRecord[] = [];
  await wal.replay(fromLsn, (record) => {
    records.push({ lsn: record.lsn, type: record.type, payload: Buffer.from(record.payload) });
  });
  return records;
}

/** WAL file names in the directory, sorted. */
export async function walFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith('.qwal')).sort();
}
