/**
 * Durable key-value store for catalog metadata (databases, collections, partitions, aliases,
 * indexes). Shaped after etcd's model so that an etcd backend can follow: string keys with
 * '/'-separated prefixes, string values, and atomic multi-key commits.
 *
 * Reads are served from memory and are synchronous; `commit` resolves only once the change is
 * durable, and either applies every operation or none.
 *
 * Semantics shared by every backend (checked by meta-store.contract.ts):
 * - Lifecycle: `open()` once before use; after `close()` reads throw and commits reject. Commits
 *   accepted before `close()` still complete; `close()` waits for them and may be called twice.
 * - Keys sort by Unicode code point (= UTF-8 byte order, as in etcd), see compare-meta-keys.ts.
 * - Commits apply in call order; a change is visible to reads once its commit resolves. A rejected
 *   commit changes nothing reads can see; whether it reached disk is unknown if it failed after
 *   the point of no return (as with an etcd timeout), so callers treat it as "maybe persisted".
 * - Keys are non-empty strings, values strings; keys, values and prefixes must be well-formed
 *   Unicode. A batch breaking these rules rejects with TypeError and applies nothing.
 */
export interface MetaStore {
  /** Loads persisted state. Rejects with MetaStoreCorruptError (naming the file) on damage. */
  open(): Promise<void>;
  get(key: string): string | undefined;
  /** All entries whose key starts with `prefix`, sorted by key. */
  list(prefix: string): Array<[key: string, value: string]>;
  /**
   * Applies puts, then deletes, then prefix deletes, atomically and durably (so a key both put and
   * deleted in one batch ends up deleted; a key put twice keeps the last value).
   */
  commit(batch: MetaBatch): Promise<void>;
  close(): Promise<void>;
}

export interface MetaBatch {
  put?: ReadonlyArray<readonly [key: string, value: string]>;
  delete?: readonly string[];
  /** Deletes every key with one of these prefixes (used when dropping a collection or database). */
  deletePrefix?: readonly string[];
}

/** Raised at open() when the persisted metadata cannot be trusted. Stops the server. */
export class MetaStoreCorruptError extends Error {
  readonly file: string;
  constructor(file: string, detail: string) {
    super(`metadata file ${file} is corrupt: ${detail}`);
    this.name = 'MetaStoreCorruptError';
    this.file = file;
  }
}
