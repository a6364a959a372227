import { adviseHugePages } from '../../kernels/huge-pages.js';

type TypedArrayConstructor<T> = {
  new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): T;
  readonly BYTES_PER_ELEMENT: number;
};

type NumericArray =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

/**
 * An append-only typed array that doubles its capacity as it fills. With `shared`, the storage is
 * a SharedArrayBuffer so worker threads can read the column without copying; growth allocates a
 * new buffer and copies, so readers must take a fresh `view()` after appends.
 */
export class GrowableArray<T extends NumericArray> {
  private storage: T;
  private used = 0;

  constructor(
    private readonly type: TypedArrayConstructor<T>,
    initialCapacity = 1024,
    private readonly shared = false,
  ) {
    this.storage = this.allocate(Math.max(16, initialCapacity));
  }

  private allocate(capacity: number): T {
    const bytes = capacity * this.type.BYTES_PER_ELEMENT;
    const buffer = this.shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
    const array = new this.type(buffer, 0, capacity);
    // Each doubling copies into fresh memory: on huge pages that is one fault per 2 MiB, not per
    // 4 KiB (which made a million-row WAL replay spend seconds in page faults).
    adviseHugePages(array);
    return array;
  }

  get length(): number {
    return this.used;
  }

  /** Makes room for `count` more elements and returns the offset at which they start. */
  reserve(count: number): number {
    const needed = this.used + count;
    if (needed > this.storage.length) {
      let capacity = this.storage.length * 2;
      while (capacity < needed) capacity *= 2;
      const grown = this.allocate(capacity);
      (grown as unknown as { set(source: T): void }).set(this.storage.subarray(0, this.used) as T);
      this.storage = grown;
    }
    const start = this.used;
    this.used = needed;
    return start;
  }

  /** Appends the elements of `values` (same element type). */
  append(values: T): void {
    const start = this.reserve(values.length);
    (this.storage as unknown as { set(source: T, offset: number): void }).set(values, start);
  }

  /** The live storage; valid until the next append that grows it. Indexes ≥ length are garbage. */
  get raw(): T {
    return this.storage;
  }

  /** A view of exactly the appended elements (shares memory with the storage). */
  view(): T {
    return this.storage.subarray(0, this.used) as T;
  }
}
