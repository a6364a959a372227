import type { KernelMemory } from '../../kernels/distance/kernel-memory.js';
import type { Column } from '../../schema/column.js';
import { DataType } from '../../schema/data-type.js';
import type { VectorAllocator } from '../format/column-codec.js';
import type { GrowableStorage, NumericArray, TypedArrayConstructor } from './growable-array.js';

/**
 * Puts float32 and binary vector columns in the shared kernel memory: sealed segments' when they are
 * read from their files, growing segments' as rows arrive. The search kernels then scan the column
 * itself: one copy of the vectors in memory instead of a column plus a resident copy, and nothing to
 * copy before the first search after a restart. Other vector types (float16/bfloat16, converted for the kernels) stay in
 * SharedArrayBuffers.
 *
 * Lifetime: a region belongs to the column's values array and is released when that array is
 * garbage collected (FinalizationRegistry), never earlier: a segment dropped by compaction may still
 * be read by a query that took it before the swap, and a search holds the column while it scans.
 * The cost is that freed regions come back at the next garbage collection rather than at once.
 */
export class KernelVectorAllocator implements GrowableStorage {
  private readonly regions = new FinalizationRegistry<number>((ptr) => this.memory.release(ptr));
  /**
   * Growable storage array → the token its region is registered under. Arrays over one region
   * (before and after extend) share the token, so the region lives while any of them does.
   */
  private readonly owners = new WeakMap<object, object>();

  constructor(readonly memory: KernelMemory) {}

  /**
   * Storage for a growing segment's vector column (GrowableStorage): the returned array owns its
   * region, released when the array is garbage. Undefined when kernel memory is full (the column then
   * lives in a SharedArrayBuffer and searches copy it, as before).
   */
  allocate<T extends NumericArray>(type: TypedArrayConstructor<T>, length: number): T | undefined {
    let ptr: number;
    try {
      ptr = this.memory.allocate(length * type.BYTES_PER_ELEMENT);
    } catch {
      return undefined;
    }
    const array = new type(this.memory.uint8(ptr, 1).buffer, ptr, length);
    const owner = {};
    this.regions.register(owner, ptr);
    this.owners.set(array, owner);
    return array;
  }

  /** GrowableStorage: the same region grown in place, when the space after it is free. */
  extend<T extends NumericArray>(storage: T, type: TypedArrayConstructor<T>, length: number): T | undefined {
    const owner = this.owners.get(storage);
    const ptr = this.memory.offsetOf(storage);
    if (owner === undefined || ptr === undefined) return undefined;
    if (!this.memory.extend(ptr, length * type.BYTES_PER_ELEMENT)) return undefined;
    const grown = new type(this.memory.uint8(ptr, 1).buffer, ptr, length);
    this.owners.set(grown, owner);
    return grown;
  }

  /**
   * Moves float32 and binary columns built in ordinary memory (compaction's merged segment) into
   * kernel memory, replacing their values arrays, so searches scan them in place instead of keeping
   * a second, resident copy. A column that does not fit stays where it is.
   */
  moveColumns(columns: Map<string, Column>): void {
    for (const [name, column] of columns) {
      if (column.type !== DataType.FloatVector && column.type !== DataType.BinaryVector) continue;
      if (this.memory.offsetOf(column.values) !== undefined || column.values.length === 0) continue;
      const type = column.type === DataType.FloatVector ? Float32Array : Uint8Array;
      const moved = this.allocate<Float32Array | Uint8Array>(type as never, column.values.length);
      if (!moved) continue;
      (moved as Float32Array).set(column.values as Float32Array);
      columns.set(name, { ...column, values: moved } as Column);
    }
  }

  /**
   * Memory for one segment file read: `allocate` is its vectorAllocator; `claim(columns)` hands the
   * regions to the decoded columns' values arrays once the read succeeded, and `abandon()` releases
   * them after a failed read. Exactly one of the two must be called.
   */
  forRead(): KernelVectorRead {
    const pending = new Map<number, number>();
    return {
      allocate: (byteLength, type) => {
        if (type !== DataType.FloatVector && type !== DataType.BinaryVector)
          return new SharedArrayBuffer(byteLength);
        let ptr: number;
        try {
          ptr = this.memory.allocate(byteLength);
        } catch {
          // Kernel memory full: the column still works from ordinary shared memory (searches copy it).
          return new SharedArrayBuffer(byteLength);
        }
        pending.set(ptr, byteLength);
        return this.memory.uint8(ptr, byteLength);
      },
      claim: (columns) => {
        for (const column of columns) {
          if (column.type !== DataType.FloatVector && column.type !== DataType.BinaryVector) continue;
          const ptr = this.memory.offsetOf(column.values);
          if (ptr !== undefined && pending.delete(ptr)) this.regions.register(column.values, ptr);
        }
        for (const ptr of pending.keys()) this.memory.release(ptr);
        pending.clear();
      },
      abandon: () => {
        for (const ptr of pending.keys()) this.memory.release(ptr);
        pending.clear();
      },
    };
  }
}

export interface KernelVectorRead {
  readonly allocate: VectorAllocator;
  claim(columns: Iterable<Column>): void;
  abandon(): void;
}
