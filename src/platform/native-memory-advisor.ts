import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { MemoryAdvisor } from '../kernels/huge-pages.js';

/**
 * The memory advisor backed by the native helper (native/README.md): madvise for huge pages and for
 * giving pages back, which Node cannot do itself.
 *
 * Advice is given only where Linux's transparent_hugepage mode is "madvise": with "always" the
 * kernel already uses huge pages, and with "never" it refuses them. Without the helper (no C
 * compiler at install, not Linux) there is no advisor. QUIVER_HUGE_PAGES=off turns it off (for
 * comparisons).
 */
export interface NativeMemoryAdvice {
  /** Undefined when no advice is given here. */
  readonly advisor: MemoryAdvisor | undefined;
  /** The kernel's transparent_hugepage mode ("always", "madvise", "never"), or "unknown". */
  readonly kernelMode: string;
  /** Why advice is or is not given, for the startup log. */
  readonly reason: string;
}

type NativeHelper = {
  adviseHugePages(view: ArrayBufferView, byteLength: number): number;
  discardPages(view: Uint8Array): number;
};

let decided: NativeMemoryAdvice | undefined;

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
    // Compiled to <outDir>/src/platform/, so the package root is three levels up (dist/ or .build-*/).
    const require = createRequire(import.meta.url);
    return require('../../../native/build/Release/quiver_native.node') as NativeHelper;
  } catch (error) {
    return `native helper not built (${(error as Error).message.split('\n')[0]})`;
  }
}

/** Decides once per thread whether and how memory is advised here. */
export function nativeMemoryAdvice(): NativeMemoryAdvice {
  if (decided) return decided;
  const mode = kernelMode();
  if (process.env.QUIVER_HUGE_PAGES === 'off') {
    decided = { advisor: undefined, kernelMode: mode, reason: 'turned off by QUIVER_HUGE_PAGES=off' };
  } else if (mode !== 'madvise') {
    const reason =
      mode === 'always'
        ? 'the kernel gives huge pages without advice'
        : `the kernel's transparent_hugepage mode is ${mode}`;
    decided = { advisor: undefined, kernelMode: mode, reason };
  } else {
    const helper = loadHelper();
    if (typeof helper === 'string') {
      decided = { advisor: undefined, kernelMode: mode, reason: helper };
    } else {
      decided = {
        advisor: {
          adviseHugePages: (view, byteLength) => helper.adviseHugePages(view, byteLength) === 0,
          discardPages: (view) => helper.discardPages(view) === 0,
        },
        kernelMode: mode,
        reason: 'advising big ranges (madvise MADV_HUGEPAGE)',
      };
    }
  }
  return decided;
}
