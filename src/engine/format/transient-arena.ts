import type { VectorMemory } from './column-codec.js';

/**
 * Scratch memory for values that live only until the next reset(): a WAL replay decodes a record's
 * dense vectors into it, appends them to the growing segment (a copy) and moves on. One buffer
 * reused for every record instead of a fresh array per record, which in a million-row replay was
 * half a gigabyte of garbage and a second of garbage collection. Regions are 8-byte aligned.
 */
export class TransientArena {
  private buffer = new ArrayBuffer(1 << 20);
  private used = 0;

  /** A vectorAllocator for decodeColumn/decodeColumnBatch: valid until the next reset(). */
  readonly allocate = (byteLength: number): VectorMemory => {
    const start = this.used;
    const end = start + Math.ceil(byteLength / 8) * 8;
    if (end > this.buffer.byteLength) {
      // Regions handed out since the last reset stay valid: they keep the old buffer alive.
      this.buffer = new ArrayBuffer(Math.max(end - start, this.buffer.byteLength) * 2);
      this.used = 0;
      return this.allocate(byteLength);
    }
    this.used = end;
    return new Uint8Array(this.buffer, start, byteLength);
  };

  /** Every region handed out so far may be overwritten from now on. */
  reset(): void {
    this.used = 0;
  }
}
