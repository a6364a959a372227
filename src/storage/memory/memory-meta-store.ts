import { copyMetaBatch } from '../copy-meta-batch.js';
import { MetaSnapshot } from '../meta-snapshot.js';
import type { MetaBatch, MetaStore } from '../meta-store.js';

/**
 * MetaStore kept only in memory: for tests and embedded use where nothing must survive the
 * process. It follows the same lifecycle as the persistent backends (open before use, no use
 * after close) so that code tested against it behaves the same against them.
 */
export class MemoryMetaStore implements MetaStore {
  #snapshot = MetaSnapshot.empty;
  #state: 'new' | 'open' | 'closed' = 'new';

  async open(): Promise<void> {
    if (this.#state !== 'new') throw new Error(`MemoryMetaStore cannot be opened: it is ${this.#state}`);
    this.#state = 'open';
  }

  get(key: string): string | undefined {
    this.#assertOpen();
    return this.#snapshot.get(key);
  }

  list(prefix: string): Array<[key: string, value: string]> {
    this.#assertOpen();
    return this.#snapshot.list(prefix);
  }

  async commit(batch: MetaBatch): Promise<void> {
    this.#assertOpen();
    this.#snapshot = this.#snapshot.apply(copyMetaBatch(batch));
  }

  async close(): Promise<void> {
    this.#state = 'closed';
  }

  #assertOpen(): void {
    if (this.#state !== 'open')
      throw new Error(`MemoryMetaStore is ${this.#state === 'new' ? 'not open' : 'closed'}`);
  }
}
