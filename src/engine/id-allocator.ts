import type { MetaStore } from '../storage/meta-store.js';
import { SerialQueue } from '../util/serial-queue.js';

/**
 * Unique, increasing int64 IDs (auto_id primary keys, segment IDs) that stay increasing across
 * restarts: blocks are reserved by persisting a high-water mark before any ID of the block is
 * handed out, so a crash can skip IDs but never repeat one.
 */
export class IdAllocator {
  private next: bigint;
  private limit: bigint;
  private readonly queue = new SerialQueue();

  private constructor(
    private readonly store: MetaStore,
    private readonly key: string,
    private readonly blockSize: bigint,
    highWater: bigint,
  ) {
    this.next = highWater;
    this.limit = highWater;
  }

  static open(store: MetaStore, key: string, blockSize = 1_000_000n, first = 1n): IdAllocator {
    const saved = store.get(key);
    return new IdAllocator(store, key, blockSize, saved === undefined ? first : BigInt(saved));
  }

  /** Reserves `count` consecutive IDs and returns the first. */
  allocate(count: number): Promise<bigint> {
    return this.queue.run(async () => {
      const needed = BigInt(count);
      if (this.next + needed > this.limit) {
        const limit = this.next + needed + this.blockSize;
        await this.store.commit({ put: [[this.key, limit.toString()]] });
        this.limit = limit;
      }
      const first = this.next;
      this.next += needed;
      return first;
    });
  }
}
