import { adviseHugePages } from '../../kernels/huge-pages.js';

export type TypedArrayConstructor<T> = {
  new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): T;
  readonly BYTES_PER_ELEMENT: number;
};

export type NumericArray =
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
 * Memory for a GrowableArray other than a buffer of its own (the kernel memory, for vectors that
 * searches scan in place). allocate returns an array that owns its memory, released only once that
 * array object is garbage, or undefined when there is none to give (the array then uses a
 * SharedArrayBuffer).
 */
export interface GrowableStorage {
  allocate<T extends NumericArray>(type: TypedArrayConstructor<T>, length: number): T | undefined;
  /**
   * An array of `length` elements over the same memory as `storage` (from allocate or extend),
   * grown in place, with the elements kept; or undefined when it cannot grow in place.
   */
  extend<T extends NumericArray>(storage: T, type: TypedArrayConstructor<T>, length: number): T | undefined;
}

/**
 * Views handed out by view() → the storage array they are views of. A view of storage from a
 * GrowableStorage keeps that array, and so its memory, alive for as long as the view is reachable,
 * even after growth has moved the elements on (a stale view then still reads the old rows, as with a
 * SharedArrayBuffer, never memory reused for something else).
 */
const viewOwners = new WeakMap<object, object>();

/**
 * An append-only typed array that doubles its capacity as it fills. With `shared`, the storage is
 * a SharedArrayBuffer so worker threads can read the column without copying; with `storageFrom`, it
 * comes from there when it can (kernel memory). Growth allocates new storage and copies, so readers
 * must take a fresh `view()` after appends.
 */
export class GrowableArray<T extends NumericArray> {
  private storage: T;
  private used = 0;

  constructor(
    private readonly type: TypedArrayConstructor<T>,
    initialCapacity = 1024,
    private readonly shared = false,
    private readonly storageFrom?: GrowableStorage,
  ) {
    this.storage = this.allocate(Math.max(16, initialCapacity));
  }

  private allocate(capacity: number): T {
    const owned = this.storageFrom?.allocate(this.type, capacity);
    if (owned) return owned;
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
      // In place when the storage can grow where it is: no copy, and no moment with both held.
      const extended = this.storageFrom?.extend(this.storage, this.type, capacity);
      if (extended) {
        this.storage = extended;
        const start = this.used;
        this.used = needed;
        return start;
      }
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
    const view = this.storage.subarray(0, this.used) as T;
    if (this.storageFrom) viewOwners.set(view, this.storage);
    return view;
  }
}
