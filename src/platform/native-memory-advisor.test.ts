import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { KernelMemory } from '../kernels/distance/kernel-memory.js';
import { adviseHugePages, discardPages, installMemoryAdvisor } from '../kernels/huge-pages.js';
import { nativeMemoryAdvice } from './native-memory-advisor.js';

const advice = nativeMemoryAdvice();
installMemoryAdvisor(advice.advisor);

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

test('advice is decided from the kernel mode and the native helper', () => {
  assert.equal(nativeMemoryAdvice(), advice, 'decided once');
  if (process.platform !== 'linux') {
    assert.equal(advice.advisor, undefined);
    return;
  }
  const mode = /\[(\w+)\]/.exec(readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8'))?.[1];
  assert.equal(advice.kernelMode, mode);
  if (process.env.QUIVER_HUGE_PAGES === 'off') assert.equal(advice.advisor, undefined);
  else if (mode === 'madvise') {
    // npm run build compiles the helper where a compiler exists; without it the reason says so.
    assert.equal(advice.advisor !== undefined, existsSync(helperPath), advice.reason);
    if (!advice.advisor) assert.match(advice.reason, /native helper not built/);
  } else assert.equal(advice.advisor, undefined);
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
  if (!advice.advisor) {
    t.diagnostic(`no advice here: ${advice.reason}`);
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

/** This process's resident anonymous memory, from /proc/self/status (RssAnon, in bytes). */
function residentAnonymousBytes(): number {
  const kib = /RssAnon:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return Number(kib) * 1024;
}

test('a big released kernel-memory region gives its pages back; small ones are kept', (t) => {
  if (!advice.advisor) {
    t.diagnostic(`no discarding here: ${advice.reason}`);
    assert.equal(discardPages(new Uint8Array(4 << 20)), false);
    return;
  }
  const memory = KernelMemory.create({ maximumBytes: 256 << 20 });
  const bytes = 64 << 20;
  const ptr = memory.allocate(bytes);
  memory.uint8(ptr, bytes).fill(7);
  const small = memory.allocate(1 << 20);
  memory.uint8(small, 1 << 20).fill(9);
  const touched = residentAnonymousBytes();
  memory.release(ptr);
  const released = residentAnonymousBytes();
  assert.ok(
    touched - released >= 48 << 20,
    `RSS fell by ${(touched - released) >> 20} MiB after the release`,
  );
  assert.equal(memory.uint8(small, 1 << 20)[12345], 9, 'a neighbouring region is untouched');
  // The region is usable again (its contents are undefined, here zeros).
  const again = memory.allocate(bytes);
  assert.equal(again, ptr);
  memory.uint8(again, bytes).fill(3);
  assert.equal(memory.uint8(again, bytes)[bytes - 1], 3);
});
