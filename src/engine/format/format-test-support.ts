import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '../../kernels/seeded-random.js';
import type { Column, SparseVector } from '../../schema/column.js';
import { DataType } from '../../schema/data-type.js';
import type { SegmentFileContents } from './segment-file.js';

/** Test support: a fresh directory under the OS temp dir, removed by the returned cleanup. */
export async function makeTempDir(label: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `quiver-format-${label}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Strings that stress the UTF-8 path: empty, multi-byte, 4-byte (surrogate pairs), NUL, long. */
export const awkwardStrings: readonly string[] = [
  '',
  'plain ascii',
  'é',
  '中文字符',
  '😀 emoji 🇫🇷',
  'e\u0301 combining',
  'nul\u0000inside',
  '',
  'x'.repeat(5000),
  '\u{10FFFF}',
];

/** Validity with nulls at the start, middle and end; row count deliberately not a multiple of 8. */
export function validityFor(numRows: number): Uint8Array {
  const valid = new Uint8Array(numRows);
  for (let row = 0; row < numRows; row++) valid[row] = row % 3 === 1 || row === numRows - 1 ? 0 : 1;
  return valid;
}

/**
 * One column of every Column variant (every scalar type, JSON, Array of every element type,
 * every dense vector type, sparse), each with `numRows` rows, deterministic for a seed. With
 * `nullable`, every column carries a validity map (null rows hold the type's zero value).
 */
export function sampleColumns(
  numRows: number,
  options: { nullable?: boolean; seed?: number } = {},
): Map<string, Column> {
  const random = seededRandom(options.seed ?? 7);
  const int = (below: number) => Math.floor(random() * below);
  const valid = options.nullable ? validityFor(numRows) : undefined;
  const present = (row: number) => valid === undefined || valid[row] === 1;
  const strings = (row: number) =>
    present(row) ? `${awkwardStrings[row % awkwardStrings.length]}#${row}` : '';
  const fill = <T extends { length: number; [index: number]: number }>(
    array: T,
    value: (row: number) => number,
  ) => {
    for (let row = 0; row < array.length; row++) array[row] = present(row) ? value(row) : 0;
    return array;
  };
  const bigints = (row: number) =>
    present(row) ? BigInt(int(2 ** 31)) * BigInt(int(2 ** 31)) - 2n ** 61n : 0n;
  const cellLength = (row: number) => (present(row) ? row % 4 : 0); // includes empty cells
  const vectors = <T extends { length: number; [index: number]: number }>(
    array: T,
    perRow: number,
    value: () => number,
  ) => {
    for (let index = 0; index < array.length; index++) {
      array[index] = present(Math.floor(index / perRow)) ? value() : 0;
    }
    return array;
  };
  const sparse = (row: number): SparseVector => {
    const count = present(row) ? row % 5 : 0;
    const indices = new Uint32Array(count);
    const values = new Float32Array(count);
    for (let index = 0; index < count; index++) {
      indices[index] = index * 1000 + (row % 7) + (index === count - 1 ? 0xffff_0000 : 0);
      values[index] = random() - 0.5;
    }
    return { indices, values };
  };

  const columns: Array<[string, Column]> = [
    [
      'pk',
      { type: DataType.Int64, values: BigInt64Array.from({ length: numRows }, (_, row) => BigInt(row) - 3n) },
    ],
    ['flag', { type: DataType.Bool, values: fill(new Uint8Array(numRows), (row) => row % 2) }],
    ['tiny', { type: DataType.Int8, values: fill(new Int8Array(numRows), () => int(256) - 128) }],
    ['small', { type: DataType.Int16, values: fill(new Int16Array(numRows), () => int(65536) - 32768) }],
    ['count', { type: DataType.Int32, values: fill(new Int32Array(numRows), () => int(2 ** 32) - 2 ** 31) }],
    [
      'big',
      { type: DataType.Int64, values: BigInt64Array.from({ length: numRows }, (_, row) => bigints(row)) },
    ],
    ['score', { type: DataType.Float, values: fill(new Float32Array(numRows), () => random() * 1e6 - 5e5) }],
    ['price', { type: DataType.Double, values: fill(new Float64Array(numRows), () => random() * 1e12) }],
    ['title', { type: DataType.VarChar, values: Array.from({ length: numRows }, (_, row) => strings(row)) }],
    [
      'meta',
      {
        type: DataType.JSON,
        values: Array.from({ length: numRows }, (_, row) =>
          present(row) ? JSON.stringify({ row, name: strings(row), tags: ['a', 'ü'] }) : '',
        ),
      },
    ],
    ...arrayColumns(numRows, cellLength, random),
    [
      'embedding',
      {
        type: DataType.FloatVector,
        dim: 8,
        values: vectors(new Float32Array(numRows * 8), 8, () => random() - 0.5),
      },
    ],
    [
      'half',
      {
        type: DataType.Float16Vector,
        dim: 4,
        values: vectors(new Uint16Array(numRows * 4), 4, () => int(65536)),
      },
    ],
    [
      'brain',
      {
        type: DataType.BFloat16Vector,
        dim: 4,
        values: vectors(new Uint16Array(numRows * 4), 4, () => int(65536)),
      },
    ],
    [
      'bits',
      {
        type: DataType.BinaryVector,
        dim: 16,
        values: vectors(new Uint8Array(numRows * 2), 2, () => int(256)),
      },
    ],
    [
      'bytes',
      {
        type: DataType.Int8Vector,
        dim: 3,
        values: vectors(new Int8Array(numRows * 3), 3, () => int(256) - 128),
      },
    ],
    [
      'sparse',
      { type: DataType.SparseFloatVector, values: Array.from({ length: numRows }, (_, row) => sparse(row)) },
    ],
  ];
  if (valid !== undefined) {
    for (const [, column] of columns) column.valid = valid.slice();
  }
  return new Map(columns);
}

function arrayColumns(
  numRows: number,
  cellLength: (row: number) => number,
  random: () => number,
): Array<[string, Column]> {
  const cells = <T>(make: (length: number, row: number) => T) =>
    Array.from({ length: numRows }, (_, row) => make(cellLength(row), row));
  const ints = (length: number, low: number, span: number) =>
    Int32Array.from({ length }, () => low + Math.floor(random() * span));
  return [
    [
      'a_bool',
      {
        type: DataType.Array,
        elementType: DataType.Bool,
        values: cells((n) => Uint8Array.from({ length: n }, (_, i) => i % 2)),
      },
    ],
    [
      'a_int8',
      { type: DataType.Array, elementType: DataType.Int8, values: cells((n) => ints(n, -128, 256)) },
    ],
    [
      'a_int16',
      { type: DataType.Array, elementType: DataType.Int16, values: cells((n) => ints(n, -32768, 65536)) },
    ],
    [
      'a_int32',
      {
        type: DataType.Array,
        elementType: DataType.Int32,
        values: cells((n) => ints(n, -(2 ** 31), 2 ** 32)),
      },
    ],
    [
      'a_int64',
      {
        type: DataType.Array,
        elementType: DataType.Int64,
        values: cells((n, row) =>
          BigInt64Array.from({ length: n }, (_, i) => (i === 0 ? -(2n ** 63n) : BigInt(row * i))),
        ),
      },
    ],
    [
      'a_float',
      {
        type: DataType.Array,
        elementType: DataType.Float,
        values: cells((n) => Float32Array.from({ length: n }, random)),
      },
    ],
    [
      'a_double',
      {
        type: DataType.Array,
        elementType: DataType.Double,
        values: cells((n) => Float64Array.from({ length: n }, random)),
      },
    ],
    [
      'a_varchar',
      {
        type: DataType.Array,
        elementType: DataType.VarChar,
        values: cells((n, row) =>
          Array.from({ length: n }, (_, i) => awkwardStrings[(row + i) % awkwardStrings.length]!),
        ),
      },
    ],
  ];
}

/** Concatenates encoder chunks into one buffer (as a WAL payload or a file would hold them). */
export function concatChunks(chunks: readonly Uint8Array[]): Buffer {
  return Buffer.concat(chunks);
}

/** The segment written by the crash tests, identified by its row count (and its partition ID). */
export function crashTestSegment(numRows: number): SegmentFileContents {
  return {
    segmentId: 77n,
    collectionId: 1,
    partitionId: numRows,
    numRows,
    insertTimestamps: BigUint64Array.from({ length: numRows }, (_, row) => BigInt(row + 1)),
    columns: sampleColumns(numRows, { nullable: true, seed: numRows }),
  };
}
