import { compareMetaKeys } from './compare-meta-keys.js';
import type { CheckedMetaBatch } from './copy-meta-batch.js';

/**
 * An immutable view of a meta store's contents. Backends hold one current snapshot and replace it
 * whole when a commit succeeds, so readers never observe a half-applied batch and a failed commit
 * needs no undo: the new snapshot is simply dropped.
 */
export class MetaSnapshot {
  static readonly empty = new MetaSnapshot(new Map());

  readonly #values: ReadonlyMap<string, string>;
  /** Keys in compareMetaKeys order; built on first list() and kept, since the snapshot never changes. */
  #sortedKeys: string[] | undefined;

  private constructor(values: ReadonlyMap<string, string>) {
    this.#values = values;
  }

  /** Builds a snapshot from entries with distinct keys (a later duplicate would win). */
  static fromEntries(entries: Iterable<readonly [string, string]>): MetaSnapshot {
    return new MetaSnapshot(new Map(entries));
  }

  get size(): number {
    return this.#values.size;
  }

  get(key: string): string | undefined {
    return this.#values.get(key);
  }

  /** Entries whose key starts with `prefix`, in compareMetaKeys order, as fresh arrays. */
  list(prefix: string): Array<[key: string, value: string]> {
    const keys = this.#keysInOrder();
    // Keys sharing a prefix are contiguous in a lexicographic order and the prefix itself sorts
    // first among them, so binary-search the first key >= prefix and scan while it matches.
    let low = 0;
    let high = keys.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compareMetaKeys(keys[middle]!, prefix) < 0) low = middle + 1;
      else high = middle;
    }
    const result: Array<[string, string]> = [];
    for (let i = low; i < keys.length && keys[i]!.startsWith(prefix); i++) {
      result.push([keys[i]!, this.#values.get(keys[i]!)!]);
    }
    return result;
  }

  /** Every entry in compareMetaKeys order. */
  entries(): Array<[key: string, value: string]> {
    return this.list('');
  }

  /**
   * Returns the snapshot after applying `batch` — puts first, then deletes, then prefix deletes, so
   * a key both put and deleted in one batch ends up deleted. Returns `this` when nothing changes,
   * which lets persistent backends skip a write.
   */
  apply(batch: CheckedMetaBatch): MetaSnapshot {
    const values = new Map(this.#values);
    let changed = false;
    for (const [key, value] of batch.put) {
      if (values.get(key) !== value) {
        values.set(key, value);
        changed = true;
      }
    }
    for (const key of batch.delete) {
      if (values.delete(key)) changed = true;
    }
    for (const prefix of batch.deletePrefix) {
      for (const key of values.keys()) {
        // Deleting the current entry while iterating a Map is safe: iteration continues with the next.
        if (key.startsWith(prefix)) {
          values.delete(key);
          changed = true;
        }
      }
    }
    return changed ? new MetaSnapshot(values) : this;
  }

  #keysInOrder(): string[] {
    this.#sortedKeys ??= [...this.#values.keys()].sort(compareMetaKeys);
    return this.#sortedKeys;
  }
}
