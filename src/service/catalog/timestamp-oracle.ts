import type { MetaStore } from '../../storage/meta-store.js';

/** Milvus's hybrid timestamp: physical milliseconds in the high bits, an 18-bit logical counter below. */
export const LOGICAL_BITS = 18n;
const LOGICAL_MASK = (1n << LOGICAL_BITS) - 1n;
const UPPER_BOUND_KEY = 'tso/upper-bound-ms';
/** The persisted bound runs this far ahead, so a save is needed only every few seconds. */
const SAVE_WINDOW_MS = 3000;

export function composeTimestamp(physicalMs: number, logical: number): bigint {
  return (BigInt(physicalMs) << LOGICAL_BITS) | BigInt(logical);
}

export function physicalMsOf(ts: bigint): number {
  return Number(ts >> LOGICAL_BITS);
}

export function logicalOf(ts: bigint): number {
  return Number(ts & LOGICAL_MASK);
}

/**
 * Allocates strictly increasing hybrid timestamps that stay increasing across restarts, even when
 * the wall clock steps back: a bound ahead of every issued timestamp is persisted before it is
 * used, and after a restart allocation starts above it (as Milvus's TSO does with etcd).
 */
export class TimestampOracle {
  private physicalMs = 0;
  private logical = 0;
  private savedUpperBoundMs: number;
  private saving: Promise<void> | undefined;

  private constructor(
    private readonly store: MetaStore,
    private readonly nowMs: () => number,
    savedUpperBoundMs: number,
  ) {
    this.savedUpperBoundMs = savedUpperBoundMs;
    this.physicalMs = savedUpperBoundMs;
  }

  static async open(store: MetaStore, nowMs: () => number = Date.now): Promise<TimestampOracle> {
    const saved = Number(store.get(UPPER_BOUND_KEY) ?? '0');
    const oracle = new TimestampOracle(store, nowMs, saved);
    await oracle.extendBound(Math.max(nowMs(), saved + 1));
    return oracle;
  }

  /** Allocates one timestamp; waits for the persisted bound only when the clock outruns it. */
  async allocate(): Promise<bigint> {
    for (;;) {
      const now = this.nowMs();
      if (now > this.physicalMs) {
        this.physicalMs = now;
        this.logical = 0;
      } else if (this.logical >= Number(LOGICAL_MASK)) {
        // Logical counter exhausted within one millisecond: borrow the next millisecond.
        this.physicalMs += 1;
        this.logical = 0;
      }
      if (this.physicalMs < this.savedUpperBoundMs) {
        const ts = composeTimestamp(this.physicalMs, this.logical);
        this.logical += 1;
        return ts;
      }
      await this.extendBound(this.physicalMs + 1);
    }
  }

  /** The latest timestamp issued so far (or the restart floor). */
  get lastIssued(): bigint {
    return composeTimestamp(this.physicalMs, Math.max(0, this.logical - 1));
  }

  private async extendBound(minimumMs: number): Promise<void> {
    while (this.savedUpperBoundMs < minimumMs) {
      if (!this.saving) {
        const next = Math.max(minimumMs, this.nowMs()) + SAVE_WINDOW_MS;
        this.saving = this.store
          .commit({ put: [[UPPER_BOUND_KEY, String(next)]] })
          .then(() => {
            this.savedUpperBoundMs = Math.max(this.savedUpperBoundMs, next);
          })
          .finally(() => {
            this.saving = undefined;
          });
      }
      await this.saving;
    }
  }
}
