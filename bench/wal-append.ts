/**
 * WAL append throughput with sync 'always' (every acknowledged append is fsynced): MB/s of payload
 * (1 MB = 10^6 bytes) and records/s for 1 KiB and 64 KiB payloads with 1, 16 and 256 concurrent
 * appenders. Concurrent appenders share fsyncs through group commit.
 *
 * Usage: node .build-NAME/bench/wal-append.js [--duration-ms=1500] [--dir=/path/on/the/disk/to/test]
 * Prints one JSON object, then a table.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WriteAheadLog } from '../src/engine/wal/index.js';
import { argument } from './argument.js';
import { round } from './round.js';

interface BenchResult {
  payloadBytes: number;
  appenders: number;
  records: number;
  seconds: number;
  megabytesPerSecond: number;
  recordsPerSecond: number;
  fsyncs: number;
  recordsPerFsync: number;
  meanLatencyMs: number;
}

async function runCase(baseDir: string, payloadBytes: number, appenders: number, durationMs: number) {
  const dir = await mkdtemp(join(baseDir, 'quiver-wal-bench-'));
  try {
    const wal = await WriteAheadLog.open(dir, { sync: 'always' });
    const payload = Buffer.alloc(payloadBytes, 0xab);
    let records = 0;
    let latencyMsTotal = 0;
    const started = performance.now();
    const deadline = started + durationMs;
    await Promise.all(
      Array.from({ length: appenders }, async () => {
        while (performance.now() < deadline) {
          const sent = performance.now();
          await wal.append(1, payload);
          latencyMsTotal += performance.now() - sent;
          records++;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const { fsyncs } = wal.stats;
    await wal.close();
    const result: BenchResult = {
      payloadBytes,
      appenders,
      records,
      seconds: round(seconds, 3),
      megabytesPerSecond: round((records * payloadBytes) / seconds / 1e6, 1),
      recordsPerSecond: Math.round(records / seconds),
      fsyncs,
      recordsPerFsync: round(records / Math.max(fsyncs, 1), 1),
      meanLatencyMs: round(latencyMsTotal / Math.max(records, 1), 3),
    };
    return result;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const durationMs = Number(argument('duration-ms', '1500'));
const baseDir = argument('dir', tmpdir());
const results: BenchResult[] = [];
for (const payloadBytes of [1024, 64 * 1024]) {
  for (const appenders of [1, 16, 256]) {
    results.push(await runCase(baseDir, payloadBytes, appenders, durationMs));
  }
}

console.log(
  JSON.stringify({
    bench: 'wal-append',
    sync: 'always',
    durationMs,
    dir: baseDir,
    node: process.version,
    results,
  }),
);
const header = ['payload', 'appenders', 'MB/s', 'records/s', 'records/fsync', 'mean latency ms'];
const rows = results.map((r) => [
  r.payloadBytes >= 1024 ? `${r.payloadBytes / 1024} KiB` : `${r.payloadBytes} B`,
  String(r.appenders),
  r.megabytesPerSecond.toFixed(1),
  String(r.recordsPerSecond),
  r.recordsPerFsync.toFixed(1),
  r.meanLatencyMs.toFixed(3),
]);
const widths = header.map((title, column) =>
  Math.max(title.length, ...rows.map((row) => row[column]!.length)),
);
const line = (cells: string[]) => cells.map((cell, column) => cell.padStart(widths[column]!)).join('  ');
console.log(line(header));
for (const row of rows) console.log(line(row));
