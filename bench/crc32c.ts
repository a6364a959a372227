/**
 * CRC-32C throughput (1 MB = 10^6 bytes): src/storage/crc32c.ts ("quiver", slicing-by-16 over 32-bit
 * words) against the crc-32 package's crc32c.buf ("crc-32 package", what crc32c.ts used before).
 *
 * - warm: steady state after a warm-up, on 64 B, 4 KiB and 1 MiB Buffers and 64 MiB in a
 *   SharedArrayBuffer (as the vector block of a segment file is read), at a 4-byte aligned and an
 *   odd offset;
 * - cold: in a fresh process per run, after only the few small calls a segment load makes first,
 *   one call over 512 MB in a SharedArrayBuffer: what a restart pays for a 1M x 128-d vector block.
 *   Median of --cold-runs runs.
 * Every case checks that both implementations agree.
 *
 * Usage: node .build-NAME/bench/crc32c.js [--min-ms=400] [--cold-mb=512] [--cold-runs=3]
 * Prints one JSON object, then a table. Takes about 30 s on 2 cores.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { crc32c } from '../src/storage/crc32c.js';
import { argument } from './argument.js';
import { formatTable } from './format-table.js';
import { machineFacts } from './machine-facts.js';
import { round } from './round.js';

const require = createRequire(import.meta.url);
const castagnoli = require('crc-32/crc32c') as { buf(data: Uint8Array, seed?: number): number };

type Implementation = 'quiver' | 'crc-32 package';
const implementations: Record<Implementation, (data: Uint8Array, previous?: number) => number> = {
  quiver: crc32c,
  'crc-32 package': (data, previous = 0) => castagnoli.buf(data, previous | 0) >>> 0,
};

function filledBytes(bytes: Uint8Array): Uint8Array {
  let state = 0x9e3779b9;
  for (let i = 0; i < bytes.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) | 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

/** One cold run, in this (fresh) process: the first large call, as a segment load makes it. */
function coldRun(implementation: Implementation, megabytes: number): void {
  const crc = implementations[implementation];
  // The small calls a segment file read makes before its vector block: preamble, header, index.
  const header = filledBytes(Buffer.alloc(4096));
  for (let i = 0; i < 4; i++) crc(header.subarray(0, 32 + i * 100));
  const data = filledBytes(new Uint8Array(new SharedArrayBuffer(megabytes * 1e6)));
  const started = performance.now();
  const value = crc(data, crc(header.subarray(0, 24)));
  const ms = performance.now() - started;
  console.log(JSON.stringify({ ms, value }));
}

function coldCases(megabytes: number, runs: number) {
  const self = fileURLToPath(import.meta.url);
  return (Object.keys(implementations) as Implementation[]).map((implementation) => {
    const samples = Array.from({ length: runs }, () => {
      const child = spawnSync(
        process.execPath,
        [self, `--cold=${implementation}`, `--cold-mb=${megabytes}`],
        { encoding: 'utf8' },
      );
      if (child.status !== 0) throw new Error(`cold run failed: ${child.stderr}`);
      return JSON.parse(child.stdout.trim()) as { ms: number; value: number };
    });
    const sorted = samples.map((sample) => sample.ms).sort((a, b) => a - b);
    const medianMs = sorted[Math.floor(sorted.length / 2)]!;
    return {
      case: `cold first call, ${megabytes} MB SharedArrayBuffer`,
      implementation,
      bytes: megabytes * 1e6,
      runs,
      msPerCall: round(medianMs, 1),
      megabytesPerSecond: round(megabytes / (medianMs / 1000), 0),
      allRunsMs: samples.map((sample) => round(sample.ms, 1)),
      value: samples[0]!.value,
    };
  });
}

function measure(minMs: number, body: () => unknown): { iterations: number; ms: number } {
  const warmUntil = performance.now() + minMs / 4;
  do body();
  while (performance.now() < warmUntil);
  let iterations = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < minMs || iterations < 1) {
    body();
    iterations++;
    elapsed = performance.now() - started;
  }
  return { iterations, ms: elapsed / iterations };
}

function warmCases(minMs: number) {
  const inputs: Array<{ name: string; data: Uint8Array }> = [];
  for (const [label, size] of [
    ['64 B', 64],
    ['4 KiB', 4096],
    ['1 MiB', 2 ** 20],
  ] as const) {
    const buffer = filledBytes(Buffer.alloc(size + 1));
    inputs.push({ name: `${label} Buffer`, data: buffer.subarray(0, size) });
    inputs.push({ name: `${label} Buffer, offset 1`, data: buffer.subarray(1) });
  }
  const shared = filledBytes(new Uint8Array(new SharedArrayBuffer(64 * 2 ** 20 + 1)));
  inputs.push({ name: '64 MiB SharedArrayBuffer', data: shared.subarray(0, 64 * 2 ** 20) });
  inputs.push({ name: '64 MiB SharedArrayBuffer, offset 1', data: shared.subarray(1) });
  const results = [];
  for (const { name, data } of inputs) {
    const expected = implementations['crc-32 package'](data);
    for (const implementation of Object.keys(implementations) as Implementation[]) {
      const crc = implementations[implementation];
      if (crc(data) !== expected) throw new Error(`${implementation} disagrees on ${name}`);
      const timing = measure(minMs, () => crc(data));
      results.push({
        case: `warm, ${name}`,
        implementation,
        bytes: data.length,
        iterations: timing.iterations,
        msPerCall: round(timing.ms, 5),
        megabytesPerSecond: round(data.length / 1e6 / (timing.ms / 1000), 0),
      });
    }
  }
  return results;
}

const cold = argument('cold', '');
if (cold !== '') {
  coldRun(cold as Implementation, Number(argument('cold-mb', '512')));
} else {
  const coldResults = coldCases(Number(argument('cold-mb', '512')), Number(argument('cold-runs', '3')));
  if (coldResults[0]!.value !== coldResults[1]!.value) throw new Error('cold runs disagree');
  const warmResults = warmCases(Number(argument('min-ms', '400')));
  const results = [...coldResults, ...warmResults];
  console.log(JSON.stringify({ bench: 'crc32c', machine: machineFacts(), results }));
  const speedup = (name: string) => {
    const quiver = results.find((r) => r.case === name && r.implementation === 'quiver')!;
    const reference = results.find((r) => r.case === name && r.implementation === 'crc-32 package')!;
    return `${(quiver.megabytesPerSecond / reference.megabytesPerSecond).toFixed(2)}x`;
  };
  console.log(
    formatTable(
      ['case', 'implementation', 'bytes', 'ms per call', 'MB/s', 'quiver vs package'],
      results.map((r) => [
        r.case,
        r.implementation,
        String(r.bytes),
        String(r.msPerCall),
        String(r.megabytesPerSecond),
        r.implementation === 'quiver' ? speedup(r.case) : '',
      ]),
    ),
  );
}
