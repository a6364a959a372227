import { adviseHugePages, discardPages } from '../huge-pages.js';
import { type WasmMemory, webAssembly } from './web-assembly.js';

/**
 * The linear memory the WASM kernels run on, and an allocator for regions in it.
 *
 * The memory is a shared WebAssembly.Memory: it can be posted to worker threads, each of which
 * attaches to it and instantiates the kernel module on it, so vectors stored once (sealed segments)
 * are scanned by every worker without copying. Shared memory also never detaches on growth, so typed
 * array views made earlier stay valid (they just do not cover pages added later).
 *
 * Layout. Bytes [0, 1024) are never handed out (offset 0 means "no pointer"; the kernel module has
 * no data segments). Page 0 from byte 1024 holds the allocator state, so every thread attached to the
 * memory shares it:
 *   int32 lock | uint32 magic | uint32 region count | uint32 heap top | region table
 * The region table lists regions in address order, each as (uint32 offset, uint32 size | used bit),
 * covering [HEAP_START, heap top) without gaps; no two free regions are adjacent and the last region
 * is in use (release merges free neighbours and gives a free last region back to the space above the
 * heap top). Allocation is first fit with splitting, else bumps the heap top. It is rare (segment
 * load, scratch growth), so a linear table under a lock is enough. Sizes are multiples of 64 bytes and
 * regions are 64-byte aligned (a cache line).
 *
 * Released regions are reused without clearing: a new region's contents are undefined.
 */

const PAGE_BYTES = 65536;
const HEADER_OFFSET = 1024;
const LOCK_INDEX = HEADER_OFFSET / 4;
const MAGIC_INDEX = LOCK_INDEX + 1;
const COUNT_INDEX = LOCK_INDEX + 2;
const HEAP_TOP_INDEX = LOCK_INDEX + 3;
const TABLE_INDEX = LOCK_INDEX + 4;
/** Entries that fit in the rest of page 0. */
const MAX_REGIONS = (PAGE_BYTES - TABLE_INDEX * 4) / 8;
const HEAP_START = PAGE_BYTES;
const ALIGN_BYTES = 64;
const USED_BIT = 1;
const MAGIC = 0x4d4b5651; // "QVKM"
/** Released regions at least this big have their pages given back to the kernel (discardPages). */
const DISCARD_MIN_BYTES = 8 << 20;
/**
 * One page below the wasm32 limit, so every offset and the heap top fit in a uint32.
 */
const MAX_PAGES = 65535;

export interface KernelMemoryOptions {
  /** Initial size; rounded up to whole 64 KiB pages. Default 1 MiB. */
  initialBytes?: number;
  /** Growth limit; rounded up to whole pages, at most 4 GiB - 64 KiB (the default). */
  maximumBytes?: number;
}

export class KernelMemory {
  readonly memory: WasmMemory;
  /** Views over page 0 (never detached: the memory is shared). */
  private readonly words: Int32Array;
  private readonly table: Uint32Array;
  private readonly viewBuffers = new WeakSet<ArrayBufferLike>();

  private constructor(memory: WasmMemory) {
    if (!(memory.buffer instanceof SharedArrayBuffer)) {
      throw new TypeError('KernelMemory needs a shared WebAssembly.Memory');
    }
    this.memory = memory;
    this.words = new Int32Array(memory.buffer, 0, PAGE_BYTES / 4);
    this.table = new Uint32Array(memory.buffer, 0, PAGE_BYTES / 4);
  }

  /** A fresh shared memory with an empty allocator. */
  static create(options: KernelMemoryOptions = {}): KernelMemory {
    const maximumPages = Math.min(MAX_PAGES, pagesFor(options.maximumBytes ?? MAX_PAGES * PAGE_BYTES));
    const initialPages = Math.min(maximumPages, Math.max(1, pagesFor(options.initialBytes ?? 1 << 20)));
    if (maximumPages < 1) throw new RangeError('KernelMemory maximumBytes must be at least one page');
    const memory = new webAssembly.Memory({ initial: initialPages, maximum: maximumPages, shared: true });
    // The whole reservation, growth room included, so pages added later come as huge pages too:
    // vectors are read into fresh kernel memory at startup, where 4 KiB page faults dominate.
    adviseHugePages(new Uint8Array(memory.buffer, 0, 1), maximumPages * PAGE_BYTES);
    const kernelMemory = new KernelMemory(memory);
    kernelMemory.table[COUNT_INDEX] = 0;
    kernelMemory.table[HEAP_TOP_INDEX] = HEAP_START;
    Atomics.store(kernelMemory.words, MAGIC_INDEX, MAGIC);
    return kernelMemory;
  }

  /**
   * Joins a memory created by KernelMemory.create (typically in another worker, after postMessage):
   * both sides then allocate from the same region table.
   */
  static attach(memory: WasmMemory): KernelMemory {
    const kernelMemory = new KernelMemory(memory);
    if (Atomics.load(kernelMemory.words, MAGIC_INDEX) !== MAGIC) {
      throw new TypeError('this WebAssembly.Memory was not created by KernelMemory.create');
    }
    return kernelMemory;
  }

  /** Current size of the memory in bytes. */
  get sizeBytes(): number {
    return this.memory.buffer.byteLength;
  }

  /** Bytes in regions currently allocated (by any thread). */
  get allocatedBytes(): number {
    return this.locked(() => {
      let total = 0;
      const count = this.table[COUNT_INDEX]!;
      for (let entry = 0; entry < count; entry++) {
        const size = this.table[TABLE_INDEX + entry * 2 + 1]!;
        if (size & USED_BIT) total += size - USED_BIT;
      }
      return total;
    });
  }

  /**
   * Reserves a 64-byte-aligned region of at least sizeBytes and returns its byte offset (never 0).
   * Grows the memory when needed; throws RangeError when the maximum size or the region table is
   * exhausted. The contents are undefined.
   */
  allocate(sizeBytes: number): number {
    if (!Number.isSafeInteger(sizeBytes) || sizeBytes < 0) {
      throw new RangeError(`cannot allocate ${sizeBytes} bytes`);
    }
    const need = Math.max(ALIGN_BYTES, Math.ceil(sizeBytes / ALIGN_BYTES) * ALIGN_BYTES);
    return this.locked(() => {
      const table = this.table;
      const count = table[COUNT_INDEX]!;
      for (let entry = 0; entry < count; entry++) {
        const at = TABLE_INDEX + entry * 2;
        const size = table[at + 1]!;
        if (size & USED_BIT || size < need) continue;
        if (size > need) this.insertEntry(entry + 1, table[at]! + need, size - need);
        table[at + 1] = need | USED_BIT;
        return table[at]!;
      }
      const offset = table[HEAP_TOP_INDEX]!;
      this.ensureCapacity(offset + need);
      this.insertEntry(count, offset, need | USED_BIT);
      table[HEAP_TOP_INDEX] = offset + need;
      return offset;
    });
  }

  /**
   * Grows an allocated region in place to at least sizeBytes, when the space after it is free (or it
   * is the last region and the memory can grow): then returns true and the region keeps its offset
   * and contents; else returns false and nothing changes. Lets a growing column get longer without
   * copying itself into a new region (and without holding both while it copies).
   */
  extend(ptr: number, sizeBytes: number): boolean {
    if (!Number.isSafeInteger(sizeBytes) || sizeBytes < 0) {
      throw new RangeError(`cannot extend a region to ${sizeBytes} bytes`);
    }
    const need = Math.max(ALIGN_BYTES, Math.ceil(sizeBytes / ALIGN_BYTES) * ALIGN_BYTES);
    return this.locked(() => {
      const table = this.table;
      const entry = this.findEntry(ptr);
      const at = TABLE_INDEX + entry * 2;
      const size = table[at + 1]! & ~USED_BIT;
      if (need <= size) return true;
      const extra = need - size;
      if (entry === table[COUNT_INDEX]! - 1) {
        try {
          this.ensureCapacity(ptr + need);
        } catch {
          return false;
        }
        table[at + 1] = need | USED_BIT;
        table[HEAP_TOP_INDEX] = ptr + need;
        return true;
      }
      // A free neighbour is never the last region, so only its own size can satisfy the request.
      const nextAt = at + 2;
      const nextSize = table[nextAt + 1]!;
      if (nextSize & USED_BIT || nextSize < extra) return false;
      if (nextSize === extra) this.removeEntry(entry + 1);
      else {
        table[nextAt] = table[nextAt]! + extra;
        table[nextAt + 1] = nextSize - extra;
      }
      table[at + 1] = need | USED_BIT;
      return true;
    });
  }

  /** Returns a region from allocate() to the free pool. Throws when ptr is not an allocated region. */
  release(ptr: number): void {
    this.locked(() => {
      const table = this.table;
      let entry = this.findEntry(ptr);
      let at = TABLE_INDEX + entry * 2;
      const size = table[at + 1]! & ~USED_BIT;
      // Memory never shrinks: give a big region's pages back before anyone can reuse the region
      // (still under the lock), or a column that moved on would stay resident for good.
      if (size >= DISCARD_MIN_BYTES) discardPages(new Uint8Array(this.buffer(), ptr, size));
      table[at + 1]! &= ~USED_BIT;
      const nextAt = at + 2;
      if (entry + 1 < table[COUNT_INDEX]! && (table[nextAt + 1]! & USED_BIT) === 0) {
        table[at + 1]! += table[nextAt + 1];
        this.removeEntry(entry + 1);
      }
      const previousAt = at - 2;
      if (entry > 0 && (table[previousAt + 1]! & USED_BIT) === 0) {
        table[previousAt + 1]! += table[at + 1];
        this.removeEntry(entry);
        entry--;
        at = previousAt;
      }
      if (entry === table[COUNT_INDEX]! - 1) {
        table[HEAP_TOP_INDEX] = table[at]!;
        this.removeEntry(entry);
      }
    });
  }

  /**
   * The byte offset of `view` in this memory when it is a view of it (made by this object's view
   * methods, or from their buffers), else undefined. Lets a column that lives in kernel memory be
   * scanned in place instead of copied in.
   */
  offsetOf(view: ArrayBufferView): number | undefined {
    return this.viewBuffers.has(view.buffer) ? view.byteOffset : undefined;
  }

  /** memory.buffer, remembered: after growth it is a new object over the same (shared) bytes. */
  private buffer(): SharedArrayBuffer {
    const buffer = this.memory.buffer as unknown as SharedArrayBuffer;
    this.viewBuffers.add(buffer);
    return buffer;
  }

  float32(ptr: number, length: number): Float32Array {
    return new Float32Array(this.buffer(), ptr, length);
  }

  uint8(ptr: number, length: number): Uint8Array {
    return new Uint8Array(this.buffer(), ptr, length);
  }

  uint16(ptr: number, length: number): Uint16Array {
    return new Uint16Array(this.buffer(), ptr, length);
  }

  int32(ptr: number, length: number): Int32Array {
    return new Int32Array(this.buffer(), ptr, length);
  }

  private locked<T>(action: () => T): T {
    const words = this.words;
    while (Atomics.compareExchange(words, LOCK_INDEX, 0, 1) !== 0) Atomics.wait(words, LOCK_INDEX, 1);
    try {
      return action();
    } finally {
      Atomics.store(words, LOCK_INDEX, 0);
      Atomics.notify(words, LOCK_INDEX, 1);
    }
  }

  private ensureCapacity(endBytes: number): void {
    const current = this.memory.buffer.byteLength;
    if (endBytes <= current) return;
    const pages = Math.ceil((endBytes - current) / PAGE_BYTES);
    try {
      this.memory.grow(pages);
    } catch (error) {
      throw new RangeError(
        `kernel memory exhausted: need ${endBytes} bytes, the memory is ${current} bytes and cannot grow by ${pages} pages`,
        { cause: error },
      );
    }
  }

  private findEntry(ptr: number): number {
    const table = this.table;
    let low = 0;
    let high = table[COUNT_INDEX]! - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const offset = table[TABLE_INDEX + middle * 2]!;
      if (offset === ptr) {
        if (table[TABLE_INDEX + middle * 2 + 1]! & USED_BIT) return middle;
        break;
      }
      if (offset < ptr) low = middle + 1;
      else high = middle - 1;
    }
    throw new RangeError(`${ptr} is not an allocated kernel memory region`);
  }

  private insertEntry(entry: number, offset: number, sizeAndFlag: number): void {
    const table = this.table;
    const count = table[COUNT_INDEX]!;
    if (count >= MAX_REGIONS)
      throw new RangeError(`kernel memory region table is full (${MAX_REGIONS} regions)`);
    const at = TABLE_INDEX + entry * 2;
    table.copyWithin(at + 2, at, TABLE_INDEX + count * 2);
    table[at] = offset;
    table[at + 1] = sizeAndFlag;
    table[COUNT_INDEX] = count + 1;
  }

  private removeEntry(entry: number): void {
    const table = this.table;
    const count = table[COUNT_INDEX]!;
    const at = TABLE_INDEX + entry * 2;
    table.copyWithin(at, at + 2, TABLE_INDEX + count * 2);
    table[COUNT_INDEX] = count - 1;
  }
}

function pagesFor(bytes: number): number {
  return Math.ceil(bytes / PAGE_BYTES);
}
