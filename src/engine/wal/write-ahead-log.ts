import { type FileHandle, mkdir, open, unlink } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { errors, type QuiverError } from '../../errors/index.js';
import { fsyncDirectory } from '../../storage/local/write-file-atomic.js';
import { createWalFile } from './create-wal-file.js';
import { readFully } from './read-fully.js';
import { readWalFrames } from './read-wal-frames.js';
import { recoverWalFiles, type WalFileInfo } from './recover-wal-files.js';
import { walCorruptionError } from './wal-corruption-error.js';
import { decodeWalFileHeader, encodeWalFrame, walFormat } from './wal-format.js';
import { writeFully } from './write-fully.js';

/**
 * When an append is acknowledged:
 * - 'always': after its group's write and fdatasync (the default; durable).
 * - 'batch': like 'always', but a group first waits up to `groupWindowMs` (or until
 *   `groupMaxBytes` are queued) to gather more appends: fewer fsyncs, more latency; durable.
 * - 'none': after the write reaches the OS, without fsync. NOT durable: a power loss or kernel crash
 *   loses acknowledged records. For benchmarks and tests only.
 */
export type WalSyncPolicy = 'always' | 'batch' | 'none';

/** Steps at which `faultHook` runs, just before the step's I/O. A throwing hook fails that step. */
export type WalFaultStep = 'write' | 'fsync' | 'rollover';

export interface WriteAheadLogOptions {
  /** Start a new file once the next record would take the current one past this size. Default 64 MiB. */
  readonly fileSizeBytes?: number;
  readonly sync?: WalSyncPolicy;
  /** 'batch' only: how long a group waits for more appends. Default 2 ms. */
  readonly groupWindowMs?: number;
  /** 'batch' only: a group is written at once when this many bytes are queued. Default 4 MiB. */
  readonly groupMaxBytes?: number;
  /** LSN of the first record of a brand-new WAL (ignored when files exist). Default 1; must be ≥ 1. */
  readonly firstLsn?: bigint;
  /** Receives recoveries worth knowing about (a cut torn tail, a removed unfinished file). */
  readonly onWarning?: (message: string) => void;
  /** Fault injection for crash and I/O-error tests; see WalFaultStep. */
  readonly faultHook?: (step: WalFaultStep) => void | Promise<void>;
}

export interface WalRecord {
  readonly lsn: bigint;
  readonly type: number;
  /** A view into a read buffer that is never reused; it stays valid after the callback. */
  readonly payload: Uint8Array;
}

export interface WalStats {
  readonly appends: number;
  /** Writes issued (one per group, plus one per file a group spills into). */
  readonly writes: number;
  /** fdatasync calls on WAL files (directory fsyncs are not counted). */
  readonly fsyncs: number;
  readonly bytesWritten: number;
  readonly rollovers: number;
}

const defaultFileSizeBytes = 64 * 1024 * 1024;
const defaultGroupWindowMs = 2;
const defaultGroupMaxBytes = 4 * 1024 * 1024;

/** Directories with an open WriteAheadLog in this process: two writers would interleave records. */
const openDirectories = new Set<string>();

/**
 * The write-ahead log: numbered files of CRC-framed records (docs/FORMATS.md). `append` assigns
 * LSNs in call order and resolves once the record is durable (per the sync policy). Appends that
 * arrive while a group is being written and fsynced form the next group: one writev + one
 * fdatasync for all of them (group commit).
 *
 * Failure policy: an I/O error (or a throwing fault hook) while writing, fsyncing or rolling over
 * rejects the affected appends and every queued one, marks the WAL failed, and rejects all later
 * appends; the WAL must be closed and reopened, which re-validates the files from disk. This is
 * safer than truncating and carrying on: after a failed fsync the kernel may have dropped the dirty
 * pages, so the file's durable content is unknown until it is read back. The WAL does try to
 * truncate the active file back to the end of the last acknowledged record, so that a rejected
 * record does not come back on reopen; if even that fails, a rejected append's record may still be
 * replayed later (its outcome is unknown, as with a timeout), but never a half-written one.
 *
 * Invariants: files hold contiguous LSNs, and every file but the last is complete and fsynced
 * (the old file is fsynced before rolling over, whatever the sync policy). Only whole files are
 * deleted, by truncateBefore.
 */
export class WriteAheadLog {
  private readonly dir: string;
  private readonly fileSizeBytes: number;
  private readonly syncPolicy: WalSyncPolicy;
  private readonly groupWindowMs: number;
  private readonly groupMaxBytes: number;
  private readonly faultHook: ((step: WalFaultStep) => void | Promise<void>) | undefined;
  private readonly onWarning: (message: string) => void;

  private readonly files: WalFileInfo[];
  private active: FileHandle;
  /** End of the bytes written to the active file (only ever past committedEndOffset mid-group). */
  private activeEndOffset: number;
  /** End of the last acknowledged record in the active file. */
  private committedEndOffset: number;
  /** Whether the active file has writes not yet fsynced ('none' policy only, between groups). */
  private activeDirty = false;
  private nextLsn: bigint;
  private acknowledgedLsn: bigint;

  // Appends waiting for the next group, as parallel arrays: the LSN of queuedFrames[i] is
  // nextLsn - queuedFrames.length + i.
  private queuedFrames: Buffer[] = [];
  private queuedResolves: ((lsn: bigint) => void)[] = [];
  private queuedRejects: ((error: Error) => void)[] = [];
  private queuedBytes = 0;

  private flushing: Promise<void> | undefined;
  private windowTimer: NodeJS.Timeout | undefined;
  private windowWake: (() => void) | undefined;
  private failure: QuiverError | undefined;
  /** The I/O step in progress, named in the failure error. */
  private step: WalFaultStep = 'write';
  private closed = false;
  private closing: Promise<void> | undefined;
  /** Serialises replay and truncateBefore, so replay never reads a file that is being deleted. */
  private maintenance: Promise<unknown> = Promise.resolve();

  private statAppends = 0;
  private statWrites = 0;
  private statFsyncs = 0;
  private statBytesWritten = 0;
  private statRollovers = 0;

  private constructor(
    dir: string,
    options: WriteAheadLogOptions,
    files: WalFileInfo[],
    active: FileHandle,
    activeEndOffset: number,
    lastLsn: bigint,
  ) {
    this.dir = dir;
    this.fileSizeBytes = options.fileSizeBytes ?? defaultFileSizeBytes;
    this.syncPolicy = options.sync ?? 'always';
    this.groupWindowMs = options.groupWindowMs ?? defaultGroupWindowMs;
    this.groupMaxBytes = options.groupMaxBytes ?? defaultGroupMaxBytes;
    this.faultHook = options.faultHook;
    this.onWarning = options.onWarning ?? (() => {});
    this.files = files;
    this.active = active;
    this.activeEndOffset = activeEndOffset;
    this.committedEndOffset = activeEndOffset;
    this.nextLsn = lastLsn + 1n;
    this.acknowledgedLsn = lastLsn;
  }

  /**
   * Opens (creating if needed) the WAL in `dir`, validating every file and record and cutting a
   * torn tail off the last file. Throws, naming the file and offset, on damage it must not repair.
   */
  static async open(dir: string, options: WriteAheadLogOptions = {}): Promise<WriteAheadLog> {
    validateOptions(options);
    const resolvedDir = resolve(dir);
    if (openDirectories.has(resolvedDir)) {
      throw errors.unexpected(`write-ahead log ${resolvedDir} is already open in this process`);
    }
    openDirectories.add(resolvedDir);
    try {
      const createdDir = await mkdir(resolvedDir, { recursive: true });
      if (createdDir !== undefined) await fsyncDirectory(dirname(resolvedDir));
      const onWarning = options.onWarning ?? (() => {});
      const recovered = await recoverWalFiles(resolvedDir, onWarning);
      let { files, lastLsn, lastFileEndOffset } = recovered;
      if (files.length === 0) {
        const firstLsn = options.firstLsn ?? 1n;
        files = [{ path: await createWalFile(resolvedDir, firstLsn), firstLsn }];
        lastLsn = firstLsn - 1n;
        lastFileEndOffset = walFormat.fileHeaderBytes;
      }
      const active = await open(files[files.length - 1]!.path, 'r+');
      return new WriteAheadLog(resolvedDir, options, files, active, lastFileEndOffset, lastLsn);
    } catch (error) {
      openDirectories.delete(resolvedDir);
      throw error;
    }
  }

  /** LSN of the last acknowledged record (0 for a WAL that never held one). */
  get lastLsn(): bigint {
    return this.acknowledgedLsn;
  }

  /** LSN of the oldest record that may still be stored (the first file's first LSN). */
  get oldestLsn(): bigint {
    return this.files[0]!.firstLsn;
  }

  get stats(): WalStats {
    return {
      appends: this.statAppends,
      writes: this.statWrites,
      fsyncs: this.statFsyncs,
      bytesWritten: this.statBytesWritten,
      rollovers: this.statRollovers,
    };
  }

  /**
   * Appends one record and resolves with its LSN once it is durable (per the sync policy). LSNs are
   * assigned in call order. `type` (0..255) and `payload` are opaque to the WAL; the payload is
   * copied, so the caller may reuse its buffer immediately.
   */
  append(type: number, payload: Uint8Array): Promise<bigint> {
    if (this.failure !== undefined) {
      return Promise.reject(
        errors.ioFailed(
          `write-ahead log ${this.dir} rejects appends after an earlier write failure; reopen it to recover`,
          this.failure,
        ),
      );
    }
    if (this.closed) return Promise.reject(errors.unexpected(`write-ahead log ${this.dir} is closed`));
    if (!Number.isInteger(type) || type < 0 || type > walFormat.maxType) {
      return Promise.reject(errors.parameterInvalid(`WAL record type ${type} is not an integer in 0..255`));
    }
    if (payload.length > walFormat.maxPayloadBytes) {
      return Promise.reject(
        errors.parameterTooLarge(
          'WAL record payload',
          `${payload.length} bytes exceeds the limit of ${walFormat.maxPayloadBytes}`,
        ),
      );
    }
    const lsn = this.nextLsn;
    this.nextLsn = lsn + 1n;
    const frame = encodeWalFrame(type, lsn, payload);
    this.statAppends++;
    return new Promise<bigint>((resolveAppend, rejectAppend) => {
      this.queuedFrames.push(frame);
      this.queuedResolves.push(resolveAppend);
      this.queuedRejects.push(rejectAppend);
      this.queuedBytes += frame.length;
      if (this.flushing === undefined) this.flushing = this.flushLoop();
      else if (this.queuedBytes >= this.groupMaxBytes) this.wakeWindow();
    });
  }

  /**
   * Calls `onRecord` for every record with LSN ≥ `fromLsn`, in LSN order, awaiting it when it
   * returns a promise. Covers every record acknowledged before the call (appends acknowledged while
   * it runs may or may not be included). Re-checks every CRC and throws, naming file and offset, on
   * damage. Replays and truncateBefore run one at a time, so onRecord must not await
   * truncateBefore or another replay of the same WAL (that would deadlock).
   */
  replay(fromLsn: bigint, onRecord: (record: WalRecord) => void | Promise<void>): Promise<void> {
    return this.exclusively(async () => {
      // Snapshot: earlier files are immutable; the active one is read up to its acknowledged end.
      const files = this.files.slice();
      const activeEndOffset = this.committedEndOffset;
      for (let index = 0; index < files.length; index++) {
        const next = files[index + 1];
        if (next !== undefined && next.firstLsn <= fromLsn) continue;
        await replayFile(files[index]!, next === undefined ? activeEndOffset : undefined, fromLsn, onRecord);
      }
    });
  }

  /**
   * Checkpoint: deletes the files whose every record has an LSN < `lsn` (never the active file),
   * oldest first, then fsyncs the directory. The caller persists the checkpoint LSN elsewhere.
   * Returns the number of files deleted.
   */
  truncateBefore(lsn: bigint): Promise<number> {
    return this.exclusively(async () => {
      await this.rolloverIfCovered(lsn);
      let count = 0;
      while (count < this.files.length - 1 && this.files[count + 1]!.firstLsn <= lsn) count++;
      if (count === 0) return 0;
      // Oldest first, so a crash midway leaves a contiguous suffix of files.
      for (const file of this.files.splice(0, count)) await unlink(file.path);
      await fsyncDirectory(this.dir);
      return count;
    });
  }

  /**
   * When the checkpoint covers every record written (the active file included), starts a new active
   * file so the old one can be deleted with the rest: otherwise up to a file's worth of records
   * already in segment files stays on disk and is read again at every startup. Runs while no group is
   * being written, holding the flush slot, so appends made meanwhile wait and go to the new file.
   */
  private async rolloverIfCovered(lsn: bigint): Promise<void> {
    while (this.flushing !== undefined) await this.flushing;
    const covered =
      this.nextLsn <= lsn &&
      this.queuedFrames.length === 0 &&
      this.activeEndOffset > walFormat.fileHeaderBytes &&
      this.failure === undefined &&
      !this.closed;
    if (!covered) return;
    // Take the flush slot before the first await: an append made from here on only queues.
    let done!: () => void;
    this.flushing = new Promise<void>((resolve) => {
      done = resolve;
    });
    try {
      await this.rollover(this.nextLsn);
    } catch {
      // The active file is switched only after the new one exists and is open, so on failure the
      // log keeps writing to its current file; the old records stay until the next checkpoint.
    } finally {
      this.flushing = undefined;
      done();
      if (this.queuedFrames.length > 0) this.flushing = this.flushLoop();
    }
  }

  /**
   * Writes and acknowledges every append queued so far, fsyncs the active file if the 'none'
   * policy left it dirty, and closes it. Later appends are rejected. Idempotent.
   */
  close(): Promise<void> {
    if (this.closing === undefined) {
      this.closed = true;
      this.closing = this.closeNow();
    }
    return this.closing;
  }

  private async closeNow(): Promise<void> {
    try {
      this.wakeWindow();
      while (this.flushing !== undefined) await this.flushing;
      if (this.activeDirty && this.failure === undefined) await this.syncActive();
    } finally {
      await this.active.close();
      openDirectories.delete(this.dir);
    }
  }

  private exclusively<T>(task: () => Promise<T>): Promise<T> {
    const run = this.maintenance.then(task);
    this.maintenance = run.catch(() => undefined);
    return run;
  }

  /** Writes groups until the queue is empty. Runs at most once at a time (this.flushing). */
  private async flushLoop(): Promise<void> {
    try {
      // Let the rest of the current tick queue its appends into the same group.
      if (this.syncPolicy === 'batch') await this.groupWindow();
      else await Promise.resolve();
      while (this.queuedFrames.length > 0) {
        const frames = this.queuedFrames;
        const resolves = this.queuedResolves;
        const rejects = this.queuedRejects;
        const firstLsn = this.nextLsn - BigInt(frames.length);
        this.queuedFrames = [];
        this.queuedResolves = [];
        this.queuedRejects = [];
        this.queuedBytes = 0;
        await this.commitGroup(frames, resolves, rejects, firstLsn);
        if (this.syncPolicy === 'batch' && this.queuedFrames.length > 0) await this.groupWindow();
      }
    } finally {
      this.flushing = undefined;
    }
  }

  /** Resolves after `groupWindowMs`, or at once when enough is queued or the WAL is closing. */
  private groupWindow(): Promise<void> {
    if (this.closed || this.queuedBytes >= this.groupMaxBytes) return Promise.resolve();
    return new Promise((wake) => {
      this.windowWake = wake;
      this.windowTimer = setTimeout(() => this.wakeWindow(), this.groupWindowMs);
    });
  }

  private wakeWindow(): void {
    const wake = this.windowWake;
    if (wake === undefined) return;
    clearTimeout(this.windowTimer);
    this.windowWake = undefined;
    this.windowTimer = undefined;
    wake();
  }

  /**
   * Writes one group. It is split only where the active file fills up: each part is written with
   * one writev, fsynced, and acknowledged before the next file is started.
   */
  private async commitGroup(
    frames: Buffer[],
    resolves: ((lsn: bigint) => void)[],
    rejects: ((error: Error) => void)[],
    firstLsn: bigint,
  ): Promise<void> {
    let start = 0;
    try {
      let partBytes = 0;
      for (let index = 0; index < frames.length; index++) {
        const frameBytes = frames[index]!.length;
        const usedBytes = this.activeEndOffset + partBytes;
        if (usedBytes + frameBytes > this.fileSizeBytes && usedBytes > walFormat.fileHeaderBytes) {
          if (index > start) {
            await this.writePart(frames, start, index, partBytes, true);
            this.acknowledge(resolves, start, index, firstLsn);
          }
          start = index;
          partBytes = 0;
          await this.rollover(firstLsn + BigInt(index));
        }
        partBytes += frameBytes;
      }
      await this.writePart(frames, start, frames.length, partBytes, this.syncPolicy !== 'none');
      this.acknowledge(resolves, start, frames.length, firstLsn);
    } catch (cause) {
      await this.fail(cause, rejects, start);
    }
  }

  private async writePart(frames: Buffer[], start: number, end: number, bytes: number, sync: boolean) {
    this.step = 'write';
    await this.faultHook?.('write');
    const part = start === 0 && end === frames.length ? frames : frames.slice(start, end);
    await writeFully(this.active, part, this.activeEndOffset, bytes);
    this.activeEndOffset += bytes;
    this.activeDirty = true;
    this.statWrites++;
    this.statBytesWritten += bytes;
    if (sync) await this.syncActive();
  }

  private async syncActive(): Promise<void> {
    this.step = 'fsync';
    await this.faultHook?.('fsync');
    await this.active.datasync();
    this.activeDirty = false;
    this.statFsyncs++;
  }

  private acknowledge(
    resolves: ((lsn: bigint) => void)[],
    start: number,
    end: number,
    firstLsn: bigint,
  ): void {
    this.committedEndOffset = this.activeEndOffset;
    this.acknowledgedLsn = firstLsn + BigInt(end - 1);
    for (let index = start; index < end; index++) resolves[index]!(firstLsn + BigInt(index));
  }

  /** Seals the active file (fsynced whatever the policy) and continues in a new one. */
  private async rollover(firstLsn: bigint): Promise<void> {
    this.step = 'rollover';
    await this.faultHook?.('rollover');
    if (this.activeDirty) await this.syncActive();
    this.step = 'rollover';
    const path = await createWalFile(this.dir, firstLsn);
    const next = await open(path, 'r+');
    const sealed = this.active;
    this.active = next;
    this.files.push({ path, firstLsn });
    this.activeEndOffset = walFormat.fileHeaderBytes;
    this.committedEndOffset = walFormat.fileHeaderBytes;
    this.statRollovers++;
    await sealed.close();
  }

  private async fail(cause: unknown, rejects: ((error: Error) => void)[], firstUnacknowledged: number) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    const failure = errors.ioFailed(
      `write-ahead log ${this.dir} failed during ${this.step} (${detail}); the append was not ` +
        'acknowledged and the log rejects appends until it is reopened',
      cause,
    );
    this.failure = failure;
    for (let index = firstUnacknowledged; index < rejects.length; index++) rejects[index]!(failure);
    const queuedRejects = this.queuedRejects;
    this.queuedFrames = [];
    this.queuedResolves = [];
    this.queuedRejects = [];
    this.queuedBytes = 0;
    for (const reject of queuedRejects) reject(failure);
    // Best effort: cut whatever part of the failed group reached the file (even a write that
    // reported an error may have extended it), so that it does not come back on reopen.
    try {
      await this.active.truncate(this.committedEndOffset);
      await this.active.datasync();
      this.activeEndOffset = this.committedEndOffset;
    } catch (truncateError) {
      this.onWarning(
        `write-ahead log ${this.dir}: could not cut the failed write back to offset ` +
          `${this.committedEndOffset}: ${truncateError instanceof Error ? truncateError.message : truncateError}`,
      );
    }
  }
}

async function replayFile(
  info: WalFileInfo,
  endOffset: number | undefined,
  fromLsn: bigint,
  onRecord: (record: WalRecord) => void | Promise<void>,
): Promise<void> {
  const file = await open(info.path, 'r');
  try {
    const end = endOffset ?? (await file.stat()).size;
    const header = Buffer.allocUnsafe(walFormat.fileHeaderBytes);
    await readFully(file, header, 0);
    const decoded = decodeWalFileHeader(header);
    if (typeof decoded === 'string') throw walCorruptionError(info.path, 0, decoded);
    let expectedLsn = info.firstLsn;
    const result = await readWalFrames(file, walFormat.fileHeaderBytes, end, (lsn, type, payload) => {
      if (lsn !== expectedLsn) return `record has LSN ${lsn}, expected ${expectedLsn}`;
      expectedLsn++;
      if (lsn < fromLsn) return undefined;
      const pending = onRecord({ lsn, type, payload });
      return pending instanceof Promise ? pending : undefined;
    });
    if (result.problem !== undefined) {
      throw walCorruptionError(info.path, result.problem.offset, result.problem.reason);
    }
  } finally {
    await file.close();
  }
}

function validateOptions(options: WriteAheadLogOptions): void {
  const minFileSizeBytes = walFormat.fileHeaderBytes + walFormat.frameHeaderBytes;
  if (
    options.fileSizeBytes !== undefined &&
    (!Number.isSafeInteger(options.fileSizeBytes) || options.fileSizeBytes < minFileSizeBytes)
  ) {
    throw errors.parameterInvalid(`WAL fileSizeBytes must be an integer ≥ ${minFileSizeBytes}`);
  }
  if (options.sync !== undefined && !['always', 'batch', 'none'].includes(options.sync)) {
    throw errors.parameterInvalid(
      `WAL sync policy must be 'always', 'batch' or 'none', not '${options.sync}'`,
    );
  }
  if (options.groupWindowMs !== undefined && !(options.groupWindowMs >= 0)) {
    throw errors.parameterInvalid('WAL groupWindowMs must be ≥ 0');
  }
  if (options.groupMaxBytes !== undefined && !(options.groupMaxBytes > 0)) {
    throw errors.parameterInvalid('WAL groupMaxBytes must be > 0');
  }
  if (options.firstLsn !== undefined && options.firstLsn < 1n) {
    throw errors.parameterInvalid('WAL firstLsn must be ≥ 1');
  }
}
