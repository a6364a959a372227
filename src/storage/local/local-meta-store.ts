import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { copyMetaBatch } from '../copy-meta-batch.js';
import { MetaSnapshot } from '../meta-snapshot.js';
import type { MetaBatch, MetaStore } from '../meta-store.js';
import { makeDirectoryDurable } from './make-directory-durable.js';
import { decodeMetaSnapshot, encodeMetaSnapshot } from './meta-snapshot-codec.js';
import { type AtomicWriteStep, removeAtomicWriteLeftovers, writeFileAtomic } from './write-file-atomic.js';

/** Name of the snapshot file inside the store's directory. */
export const META_SNAPSHOT_FILE_NAME = 'catalog.qmeta';

export interface LocalMetaStoreOptions {
  /**
   * Test hook called at each step of writing a snapshot (see AtomicWriteStep). A throw simulates a
   * crash at that step: the commit rejects and the files stay as a crash would leave them.
   */
  faultHook?: (step: AtomicWriteStep) => void;
}

/**
 * The embedded file backend of MetaStore. All entries live in memory and reads are served from
 * there; every commit rewrites the whole snapshot file `<dir>/catalog.qmeta` with writeFileAtomic
 * (the catalog is kilobytes to a few MB, so a journal would buy little and cost a recovery path).
 *
 * Invariants:
 * - commits run one at a time, in call order, so snapshot writes never interleave;
 * - the in-memory snapshot is replaced only after the new file is durable, so a rejected commit
 *   leaves reads unchanged. A commit that fails after the rename (directory fsync) may still be on
 *   disk after a restart; like an etcd timeout, a rejected commit is "not applied here, maybe
 *   persisted". The next successful commit rewrites the whole file from memory either way.
 * - one process owns the directory at a time (the data directory lock is the caller's job).
 */
export class LocalMetaStore implements MetaStore {
  readonly dir: string;
  readonly filePath: string;
  readonly #faultHook: ((step: AtomicWriteStep) => void) | undefined;
  #snapshot = MetaSnapshot.empty;
  #state: 'new' | 'opening' | 'open' | 'closed' = 'new';
  /** Settles when every commit accepted so far has finished; never rejects. */
  #commitQueue: Promise<void> = Promise.resolve();

  constructor(dir: string, options: LocalMetaStoreOptions = {}) {
    this.dir = dir;
    this.filePath = join(dir, META_SNAPSHOT_FILE_NAME);
    this.#faultHook = options.faultHook;
  }

  /**
   * Loads the snapshot. A missing file means a fresh data directory (empty store); a damaged one
   * rejects with MetaStoreCorruptError rather than start empty and lose the catalog. Temp files
   * from a write interrupted by a crash are removed: they never replaced the real file.
   */
  async open(): Promise<void> {
    if (this.#state !== 'new')
      throw new Error(`LocalMetaStore ${this.dir} cannot be opened: it is ${this.#state}`);
    this.#state = 'opening';
    try {
      await makeDirectoryDurable(this.dir);
      await removeAtomicWriteLeftovers(this.filePath);
      this.#snapshot = MetaSnapshot.fromEntries(await this.#readEntries());
    } catch (error) {
      if (this.#state === 'opening') this.#state = 'new';
      throw error;
    }
    // close() may have been called while opening; it wins.
    if (this.#state === 'opening') this.#state = 'open';
  }

  get(key: string): string | undefined {
    this.#assertOpen();
    return this.#snapshot.get(key);
  }

  list(prefix: string): Array<[key: string, value: string]> {
    this.#assertOpen();
    return this.#snapshot.list(prefix);
  }

  commit(batch: MetaBatch): Promise<void> {
    let checked: ReturnType<typeof copyMetaBatch>;
    try {
      this.#assertOpen();
      // Copied now, so changes the caller makes to its arrays while the commit waits do not leak in.
      checked = copyMetaBatch(batch);
    } catch (error) {
      return Promise.reject(error);
    }
    const result = this.#commitQueue.then(async () => {
      // Applied to the snapshot current when this commit's turn comes, i.e. after earlier commits.
      const next = this.#snapshot.apply(checked);
      if (next === this.#snapshot) return;
      await writeFileAtomic(this.filePath, encodeMetaSnapshot(next.entries()), {
        faultHook: this.#faultHook,
      });
      this.#snapshot = next;
    });
    this.#commitQueue = result.catch(() => {});
    return result;
  }

  /** Stops new commits, waits for those already accepted, then refuses reads. Idempotent. */
  async close(): Promise<void> {
    if (this.#state === 'open') this.#state = 'closed';
    await this.#commitQueue;
    this.#state = 'closed';
  }

  async #readEntries(): Promise<Array<[string, string]>> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.filePath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return decodeMetaSnapshot(this.filePath, bytes);
  }

  #assertOpen(): void {
    if (this.#state !== 'open') {
      throw new Error(`LocalMetaStore ${this.dir} is ${this.#state === 'closed' ? 'closed' : 'not open'}`);
    }
  }
}
