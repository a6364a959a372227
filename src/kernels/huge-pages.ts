import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * Transparent huge pages for the big memory ranges (kernel memory, vector columns), through the
 * optional native helper in native/ (see native/README.md for why it exists).
 *
 * Where Linux's transparent_hugepage setting is "madvise" (Debian's default), anonymous memory gets
 * 4 KiB pages unless advised, and filling fresh memory then costs one page fault per 4 KiB: reading
 * a 512 MB vector column ran at about 300 MB/s here on 4 KiB pages and at several GB/s on 2 MiB pages.
 * With "always" the kernel already uses huge pages and with "never" it refuses them, so advice is
 * only given under "madvise". Without the helper (no C compiler at install, not Linux) everything
 * works the same, on small pages. QUIVER_HUGE_PAGES=off turns the advice off (for comparisons).
 */
export interface HugePageSupport {
  /** Whether adviseHugePages will advise ranges. */
  readonly advising: boolean;
  /** The kernel's transparent_hugepage mode ("always", "madvise", "never"), or "unknown". */
  readonly kernelMode: string;
  /** Why advice is or is not given, for the startup log. */
  readonly reason: string;
}

type NativeHelper = { adviseHugePages(view: ArrayBufferView, byteLength: number): number };

let support: HugePageSupport | undefined;
let helper: NativeHelper | undefined;

function kernelMode(): string {
  try {
    const text = readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8');
    return /\[(\w+)\]/.exec(text)?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function loadHelper(): NativeHelper | string {
  try {
    // Compiled to <outDir>/src/kernels/, so the package root is three levels up (dist/ or .build-*/).
    const require = createRequire(import.meta.url);
    return require('../../../native/build/Release/quiver_native.node') as NativeHelper;
  } catch (error) {
    return `native helper not built (${(error as Error).message.split('\n')[0]})`;
  }
}

/** Whether huge-page advice is given on this machine, and why (decided once per process). */
export function hugePageSupport(): HugePageSupport {
  if (support) return support;
  const mode = kernelMode();
  if (process.env.QUIVER_HUGE_PAGES === 'off') {
    support = { advising: false, kernelMode: mode, reason: 'turned off by QUIVER_HUGE_PAGES=off' };
  } else if (mode !== 'madvise') {
    const reason =
      mode === 'always'
        ? 'the kernel gives huge pages without advice'
        : `the kernel's transparent_hugepage mode is ${mode}`;
    support = { advising: false, kernelMode: mode, reason };
  } else {
    const loaded = loadHelper();
    if (typeof loaded === 'string') {
      support = { advising: false, kernelMode: mode, reason: loaded };
    } else {
      helper = loaded;
      support = { advising: true, kernelMode: mode, reason: 'advising big ranges (madvise MADV_HUGEPAGE)' };
    }
  }
  return support;
}

/**
 * Advises [start of `view`, + byteLength) for huge pages (whole 2 MiB pages inside it). byteLength may
 * run past the view into memory reserved but not yet in use (a WebAssembly memory's growth room).
 * Returns true when the advice was given; false when advice is off here or madvise refused it.
 */
export function adviseHugePages(view: ArrayBufferView, byteLength: number = view.byteLength): boolean {
  if (!hugePageSupport().advising || byteLength < 2 << 20) return false;
  return helper!.adviseHugePages(view, byteLength) === 0;
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
