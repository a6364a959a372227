/**
 * Durable key-value store for catalog metadata (databases, collections, partitions, aliases,
 * indexes). Shaped after etcd's model so that an etcd backend can follow: string keys with
 * '/'-separated prefixes, string values, and atomic multi-key commits.
 *
 * Reads are served from memory and are synchronous; `commit` resolves only once the change is
 * durable, and either applies every operation or none.
 */
export interface MetaStore {
  /** Loads persisted state. Rejects with MetaStoreCorruptError (naming the file) on damage. */
  open(): Promise<void>;
  get(key: string): string | undefined;
  /** All entries whose key starts with `prefix`, sorted by key. */
  list(prefix: string): Array<[key: string, value: string]>;
  /** Applies puts then deletes atomically and durably. */
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
