/**
 * Column codec and segment file throughput (1 MB = 10^6 bytes of encoded data):
 * - column batches of 1,000 and 100,000 rows with a 128-d or 768-d float vector and 3 scalar columns
 *   (Int64 pk, VarChar title of ~20 characters, Double price): encode (chunk list, as written to a
 *   file), encode + concat (one buffer, as appended to the WAL), decode (copying, as from a WAL
 *   record), and for 1,000 rows the whole round trip;
 * - a VarChar column of 1,000,000 strings (encode, decode);
 * - a sealed segment file of 100,000 × 128-d + the same scalars: write (temp, fsync, rename, dir
 *   fsync) and read (every checksum verified).
 *
 * Usage: node .build-NAME/bench/column-codec.js [--min-ms=400] [--dir=/path/on/the/disk/to/test]
 * Prints one JSON object, then a table. Takes about 15-30 s on 2 cores.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  decodeColumn,
  decodeColumnBatch,
  encodeColumn,
  encodeColumnBatch,
} from '../src/engine/format/column-codec.js';
import { readSegmentFile, writeSegmentFile } from '../src/engine/format/segment-file.js';
import { seededRandom } from '../src/kernels/seeded-random.js';
import type { Column, ColumnBatch } from '../src/schema/column.js';
import { DataType } from '../src/schema/data-type.js';
import { argument } from './argument.js';
import { round } from './round.js';

interface CaseResult {
  case: string;
  operation: string;
  rows: number;
  bytes: number;
  iterations: number;
  msPerIteration: number;
  megabytesPerSecond: number;
  rowsPerSecond: number;
}

function makeBatch(numRows: number, dim: number): ColumnBatch {
  const random = seededRandom(numRows * 1000 + dim);
  const vectors = new Float32Array(numRows * dim);
  for (let index = 0; index < vectors.length; index++) vectors[index] = random() - 0.5;
  const columns = new Map<string, Column>([
    [
      'pk',
      { type: DataType.Int64, values: BigInt64Array.from({ length: numRows }, (_, row) => BigInt(row)) },
    ],
    [
      'title',
      {
        type: DataType.VarChar,
        values: Array.from({ length: numRows }, (_, row) => `product title #${row}`),
      },
    ],
    [
      'price',
      { type: DataType.Double, values: Float64Array.from({ length: numRows }, () => random() * 1000) },
    ],
    ['embedding', { type: DataType.FloatVector, dim, values: vectors }],
  ]);
  return { numRows, columns };
}

function byteLength(chunks: readonly Uint8Array[]): number {
  let total = 0;
  for (const chunk of chunks) total += chunk.byteLength;
  return total;
}

/**
 * Warms up (JIT, allocator) for a quarter of `minMs` (at least one run), then runs `body` for at
 * least `minMs` (at least once); returns the mean ms per run.
 */
async function measure(minMs: number, body: () => unknown): Promise<{ iterations: number; ms: number }> {
  const warmUntil = performance.now() + minMs / 4;
  do await body();
  while (performance.now() < warmUntil);
  let iterations = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < minMs || iterations < 1) {
    await body();
    iterations++;
    elapsed = performance.now() - started;
  }
  return { iterations, ms: elapsed / iterations };
}

function result(
  name: string,
  operation: string,
  rows: number,
  bytes: number,
  timing: { iterations: number; ms: number },
): CaseResult {
  return {
    case: name,
    operation,
    rows,
    bytes,
    iterations: timing.iterations,
    msPerIteration: round(timing.ms, 4),
    megabytesPerSecond: round(bytes / 1e6 / (timing.ms / 1000), 1),
    rowsPerSecond: Math.round(rows / (timing.ms / 1000)),
  };
}

const minMs = Number(argument('min-ms', '400'));
const baseDir = argument('dir', tmpdir());
const results: CaseResult[] = [];

for (const dim of [128, 768]) {
  for (const numRows of [1_000, 100_000]) {
    const name = `batch ${numRows} × ${dim}-d + 3 scalars`;
    const batch = makeBatch(numRows, dim);
    const bytes = byteLength(encodeColumnBatch(batch));
    const payload = Buffer.concat(encodeColumnBatch(batch));
    results.push(
      result(name, 'encode', numRows, bytes, await measure(minMs, () => encodeColumnBatch(batch))),
    );
    results.push(
      result(
        name,
        'encode+concat',
        numRows,
        bytes,
        await measure(minMs, () => Buffer.concat(encodeColumnBatch(batch))),
      ),
    );
    results.push(
      result(name, 'decode', numRows, bytes, await measure(minMs, () => decodeColumnBatch(payload))),
    );
    if (numRows <= 1_000) {
      // The WAL path of one insert request: the target is well under 1 ms for 1,000 × 128-d.
      results.push(
        result(
          name,
          'encode+concat+decode',
          numRows,
          bytes,
          await measure(minMs, () => decodeColumnBatch(Buffer.concat(encodeColumnBatch(batch)))),
        ),
      );
    }
  }
}

{
  const numRows = 1_000_000;
  const name = 'VarChar column, 1M strings';
  const column: Column = {
    type: DataType.VarChar,
    values: Array.from({ length: numRows }, (_, row) => `user-${row}@example.com`),
  };
  const encoded = Buffer.concat(encodeColumn(column));
  results.push(
    result(name, 'encode', numRows, encoded.length, await measure(minMs, () => encodeColumn(column))),
  );
  results.push(
    result(name, 'decode', numRows, encoded.length, await measure(minMs, () => decodeColumn(encoded))),
  );
}

{
  const numRows = 100_000;
  const name = `segment file ${numRows} × 128-d + 3 scalars`;
  const batch = makeBatch(numRows, 128);
  const dir = await mkdtemp(join(baseDir, 'quiver-codec-bench-'));
  try {
    const path = join(dir, '1.qseg');
    const segment = {
      segmentId: 1n,
      collectionId: 1,
      partitionId: 1,
      numRows,
      insertTimestamps: BigUint64Array.from({ length: numRows }, (_, row) => BigInt(row + 1)),
      columns: batch.columns,
    };
    let sizeBytes = 0;
    const write = await measure(minMs, async () => {
      sizeBytes = (await writeSegmentFile(path, segment)).sizeBytes;
    });
    results.push(result(name, 'write (fsync)', numRows, sizeBytes, write));
    results.push(
      result(name, 'read (verified)', numRows, sizeBytes, await measure(minMs, () => readSegmentFile(path))),
    );
    results.push(
      result(
        name,
        'read into SharedArrayBuffer',
        numRows,
        sizeBytes,
        await measure(minMs, () =>
          readSegmentFile(path, { vectorAllocator: (length) => new SharedArrayBuffer(length) }),
        ),
      ),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

console.log(JSON.stringify({ bench: 'column-codec', minMs, dir: baseDir, node: process.version, results }));
const header = ['case', 'operation', 'MB', 'ms/op', 'MB/s', 'rows/s'];
const rows = results.map((r) => [
  r.case,
  r.operation,
  (r.bytes / 1e6).toFixed(2),
  r.msPerIteration.toFixed(3),
  r.megabytesPerSecond.toFixed(1),
  String(r.rowsPerSecond),
]);
const widths = header.map((title, column) =>
  Math.max(title.length, ...rows.map((row) => row[column]!.length)),
);
const line = (cells: string[]) =>
  cells
    .map((cell, column) => (column < 2 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
    .join('  ');
console.log(line(header));
for (const row of rows) console.log(line(row));
