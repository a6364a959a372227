import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { KernelMemory } from './distance/kernel-memory.js';
import { adviseHugePages, hugePageSupport } from './huge-pages.js';

const helperPath = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'native',
  'build',
  'Release',
  'quiver_native.node',
);

test('huge-page support is decided from the kernel mode and the native helper', () => {
  const support = hugePageSupport();
  assert.equal(hugePageSupport(), support, 'decided once');
  if (process.platform !== 'linux') {
    assert.equal(support.advising, false);
    return;
  }
  const mode = /\[(\w+)\]/.exec(readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8'))?.[1];
  assert.equal(support.kernelMode, mode);
  if (process.env.QUIVER_HUGE_PAGES === 'off') assert.equal(support.advising, false);
  else if (mode === 'madvise') {
    // npm run build compiles the helper where a compiler exists; without it the reason says so.
    assert.equal(support.advising, existsSync(helperPath), support.reason);
    if (!support.advising) assert.match(support.reason, /native helper not built/);
  } else assert.equal(support.advising, false);
});

/** Bytes of read-write mappings whose VmFlags carry "hg" (advised with MADV_HUGEPAGE). */
function advisedReadWriteBytes(): bigint {
  let total = 0n;
  let current: { bytes: bigint; rw: boolean } | undefined;
  for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const range = /^([0-9a-f]+)-([0-9a-f]+) (\S+)/.exec(line);
    if (range) {
      current = { bytes: BigInt(`0x${range[2]}`) - BigInt(`0x${range[1]}`), rw: range[3]!.startsWith('rw') };
    } else if (current?.rw && line.startsWith('VmFlags:') && line.split(/\s+/).includes('hg')) {
      total += current.bytes;
    }
  }
  return total;
}

test('advised kernel memory is flagged for huge pages in the process map, growth room included', (t) => {
  if (!hugePageSupport().advising) {
    t.diagnostic(`no advice here: ${hugePageSupport().reason}`);
    assert.equal(adviseHugePages(new Uint8Array(4 << 20)), false);
    return;
  }
  const before = advisedReadWriteBytes();
  const memory = KernelMemory.create({ initialBytes: 1 << 20, maximumBytes: 64 << 20 });
  // A region past the initial size: it lives in pages added by growth, after the advice was given.
  const ptr = memory.allocate(16 << 20);
  memory.uint8(ptr, 16 << 20).fill(1);
  const afterKernelMemory = advisedReadWriteBytes();
  assert.ok(
    afterKernelMemory - before >= BigInt(16 << 20),
    `the grown kernel memory is advised (${before} -> ${afterKernelMemory} bytes flagged hg)`,
  );
  // Plain memory is advised on request too.
  const plain = new Uint8Array(new SharedArrayBuffer(8 << 20));
  assert.equal(adviseHugePages(plain), true);
  assert.ok(advisedReadWriteBytes() > afterKernelMemory);
  assert.equal(adviseHugePages(new Uint8Array(1 << 20)), false, 'less than one huge page: nothing to advise');
});
