/**
 * Memory advice for the big ranges (kernel memory, primary-key tables, growing vector columns):
 * transparent huge pages, and giving released ranges back to the kernel.
 *
 * Where Linux's transparent_hugepage setting is "madvise" (Debian's default), anonymous memory gets
 * 4 KiB pages unless advised, and filling fresh memory then costs one page fault per 4 KiB: reading
 * a 512 MB vector column ran at about 300 MB/s here on 4 KiB pages and at several GB/s on 2 MiB pages.
 * Kernels do no I/O of their own, so the advice comes from an advisor installed by the process that
 * runs them (the CLI installs src/platform's, backed by the native helper in native/). Without one,
 * every call here is a no-op and everything works the same on small pages.
 */
export interface MemoryAdvisor {
  /** Advises [start of `view`, + byteLength) for huge pages; byteLength may run past the view. */
  adviseHugePages(view: ArrayBufferView, byteLength: number): boolean;
  /** Gives the whole 2 MiB pages inside `view` back to the kernel (they read as zeros afterwards). */
  discardPages(view: Uint8Array): boolean;
}

let advisor: MemoryAdvisor | undefined;

/** Installs (or, with undefined, removes) this thread's advisor. */
export function installMemoryAdvisor(next: MemoryAdvisor | undefined): void {
  advisor = next;
}

/**
 * Advises [start of `view`, + byteLength) for huge pages (whole 2 MiB pages inside it). byteLength may
 * run past the view into memory reserved but not yet in use (a WebAssembly memory's growth room).
 * Returns true when the advice was given.
 */
export function adviseHugePages(view: ArrayBufferView, byteLength: number = view.byteLength): boolean {
  if (advisor === undefined || byteLength < 2 << 20) return false;
  return advisor.adviseHugePages(view, byteLength);
}

/**
 * Gives the whole 2 MiB pages inside `view` back to the kernel: for big released regions of memory
 * that never shrinks (WebAssembly memory). Returns whether pages were given back.
 */
export function discardPages(view: Uint8Array): boolean {
  if (advisor === undefined || view.byteLength < 2 << 20) return false;
  return advisor.discardPages(view);
}

/**
 * A zeroed Int32Array advised for huge pages before its first touch (for big tables probed at random,
 * such as the primary-key index: a million keys fill a 32 MiB table, and on fresh 4 KiB pages every
 * page costs a fault and most probes a TLB miss).
 */
export function hugePageInt32Array(length: number): Int32Array {
  const array = new Int32Array(length);
  adviseHugePages(array);
  return array;
}
