import { seededRandom } from '../../kernels/seeded-random.js';
import {
  type ArrayCell,
  type CollectionSchema,
  type Column,
  DataType,
  type FieldSchema,
  makeFieldSchema,
} from '../../schema/index.js';
import { bitmapIndexFactory } from '../scalar-index/bitmap-index.js';
import { invertedIndexFactory } from '../scalar-index/inverted-index.js';
import type { ScalarIndex, ScalarIndexFactory } from '../scalar-index/scalar-index.js';
import { stlSortIndexFactory } from '../scalar-index/stl-sort-index.js';
import { trieIndexFactory } from '../scalar-index/trie-index.js';
import { Segment } from '../segment/segment.js';

/**
 * Seeded random data for the filter evaluator's tests: a schema with every filterable scalar type
 * (nullable variants, JSON with nested objects and arrays, Array fields of several element types,
 * a dynamic `$meta` field, a VarChar primary key), rows as plain JS values (the test's reference
 * reads these), and the same rows stored column-wise in three segments (two growing, one loaded
 * as if from a file).
 *
 * Plain rows hold: Int64 as bigint, other integers as numbers, Float rounded to float32, Bool as
 * boolean, JSON as parsed values, Array fields as JS arrays (Int64 elements as bigint), and null for
 * a null field.
 */
let nextFieldId = 100;

function field(name: string, dataType: DataType, extra: Partial<FieldSchema> = {}): FieldSchema {
  return makeFieldSchema(name, dataType, { fieldId: nextFieldId++, ...extra });
}

const arrayOf = (name: string, elementType: DataType, extra: Partial<FieldSchema> = {}): FieldSchema =>
  field(name, DataType.Array, {
    elementType,
    typeParams: { max_capacity: '8', max_length: '32' },
    ...extra,
  });

export const fields: FieldSchema[] = [
  field('pk', DataType.VarChar, { isPrimaryKey: true, typeParams: { max_length: '16' } }),
  field('b', DataType.Bool),
  field('i8', DataType.Int8),
  field('i16', DataType.Int16),
  field('i32', DataType.Int32),
  field('i64', DataType.Int64),
  field('f', DataType.Float),
  field('d', DataType.Double),
  field('s', DataType.VarChar, { typeParams: { max_length: '64' } }),
  field('t', DataType.VarChar, { typeParams: { max_length: '64' } }),
  field('title', DataType.VarChar, {
    typeParams: { max_length: '256', enable_analyzer: 'true', enable_match: 'true' },
  }),
  field('nb', DataType.Bool, { nullable: true }),
  field('ni32', DataType.Int32, { nullable: true }),
  field('ni64', DataType.Int64, { nullable: true }),
  field('nf', DataType.Float, { nullable: true }),
  field('nd', DataType.Double, { nullable: true }),
  field('ns', DataType.VarChar, { nullable: true, typeParams: { max_length: '64' } }),
  field('j', DataType.JSON),
  field('nj', DataType.JSON, { nullable: true }),
  arrayOf('ai', DataType.Int64),
  arrayOf('ai32', DataType.Int32),
  arrayOf('ai8', DataType.Int8),
  arrayOf('af', DataType.Float),
  arrayOf('ad', DataType.Double),
  arrayOf('as', DataType.VarChar),
  arrayOf('ab', DataType.Bool),
  arrayOf('nai', DataType.Int64, { nullable: true }),
  field('$meta', DataType.JSON, { isDynamic: true }),
];

export const schema: CollectionSchema = {
  name: 'evaluator',
  description: '',
  autoId: false,
  fields,
  enableDynamicField: true,
  functions: [],
};

export type PlainRow = Record<string, unknown>;

export const words = ['the', 'quick', 'brown', 'fox', 'jumps', 'over', 'lazy', 'dog', 'Quick', 'DOG'];
export const strings = [
  '',
  'a',
  'ab',
  'apple',
  'Apple',
  'app',
  'application',
  'banana',
  'band',
  'a%b',
  'a_b',
  'a\\b',
  'é',
  'café',
  '日本',
  '\uffff',
  '😀',
  'zebra',
  'red',
  'blue',
  'green',
];
export const colors = ['red', 'green', 'blue', 'Red', ''];

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
const bigInt64s = [
  INT64_MIN,
  INT64_MAX,
  2n ** 53n,
  2n ** 53n + 1n,
  -(2n ** 53n) - 1n,
  2n ** 62n,
  9007199254740993n,
  -9223372036854775807n,
];
const floats = [0, -0, 0.1, 0.5, 1.5, -2.25, 1 / 3, 100, 1e10, -1e-5, 3.4e38, 2.5];
const doubles = [
  0,
  -0,
  0.1,
  0.2,
  0.3,
  0.30000000000000004,
  1.5,
  -1.5,
  2 ** 53,
  2 ** 53 + 2,
  1e-300,
  100,
  2.5,
  -7,
];

/** Builds the rows: 2,000 by default, deterministic for a seed. */
export function makeRows(count = 2000, seed = 20240601): PlainRow[] {
  const random = seededRandom(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const chance = (p: number): boolean => random() < p;
  const nullable = <T>(make: () => T, p = 0.25): T | null => (chance(p) ? null : make());

  const smallInt64 = (): bigint => (chance(0.15) ? pick(bigInt64s) : BigInt(int(-50, 50)));
  const float32 = (): number => Math.fround(chance(0.5) ? pick(floats) : int(-200, 200) / 8);
  const double = (): number => (chance(0.5) ? pick(doubles) : int(-200, 200) / 4);
  const text = (): string => (chance(0.8) ? pick(strings) : pick(strings) + pick(strings));
  const title = (): string =>
    Array.from({ length: int(0, 6) }, () => pick(words)).join(chance(0.5) ? ' ' : ', ');

  const jsonScalar = (): unknown =>
    pick<() => unknown>([
      () => int(-5, 5),
      () => int(-20, 20) / 4,
      () => pick(['x', 'y', '1', '', 'apple', 'Apple']),
      () => chance(0.5),
      () => null,
      () => 2 ** 60,
    ])();
  const jsonArray = (depth: number): unknown[] =>
    Array.from({ length: int(0, 4) }, () =>
      depth > 0 && chance(0.2) ? jsonArray(depth - 1) : chance(0.7) ? int(0, 5) : pick(['x', 'y', 'a']),
    );
  const jsonObject = (): Record<string, unknown> => {
    const doc: Record<string, unknown> = {};
    if (chance(0.8)) doc.a = jsonScalar();
    if (chance(0.7)) doc.b = pick(['x', 'y', 'z', 'xyz', 'a%b', '']);
    if (chance(0.6)) doc.arr = jsonArray(1);
    if (chance(0.5)) doc.f = int(-10, 10) / 2;
    if (chance(0.4)) doc.t = chance(0.5);
    if (chance(0.5)) {
      doc.nested = chance(0.15)
        ? {}
        : {
            ...(chance(0.8) ? { k: pick(['v', 'w', 'apple']) } : {}),
            ...(chance(0.6) ? { x: int(0, 9) } : {}),
            ...(chance(0.3) ? { deep: { y: chance(0.5) ? int(0, 3) : 'deep' } } : {}),
          };
    }
    if (chance(0.1)) doc['0'] = 'zero-key';
    return doc;
  };
  const json = (): unknown =>
    chance(0.9) ? jsonObject() : pick<() => unknown>([() => jsonArray(1), () => 7, () => 'text'])();
  const meta = (): Record<string, unknown> => {
    const doc: Record<string, unknown> = {};
    if (chance(0.7)) doc.color = pick(colors);
    if (chance(0.7)) doc.size = chance(0.7) ? int(0, 10) : int(0, 40) / 4;
    if (chance(0.5)) doc.tags = Array.from({ length: int(0, 3) }, () => pick(['a', 'b', 'c', 'hot']));
    if (chance(0.5)) doc.price = int(0, 1000) / 10;
    if (chance(0.3)) doc.flag = chance(0.5);
    if (chance(0.2)) doc.info = { level: int(1, 3), tags: ['x'] };
    return doc;
  };

  const rows: PlainRow[] = [];
  for (let i = 0; i < count; i++) {
    rows.push({
      pk: `k${i}`,
      b: chance(0.5),
      i8: chance(0.05) ? pick([-128, 127]) : int(-10, 10),
      i16: chance(0.05) ? pick([-32768, 32767]) : int(-300, 300),
      i32: chance(0.05) ? pick([-(2 ** 31), 2 ** 31 - 1]) : int(-1000, 1000),
      i64: smallInt64(),
      f: float32(),
      d: double(),
      s: text(),
      t: text(),
      title: title(),
      nb: nullable(() => chance(0.5)),
      ni32: nullable(() => int(-5, 5)),
      ni64: nullable(smallInt64),
      nf: nullable(float32),
      nd: nullable(double),
      ns: nullable(text),
      j: json(),
      nj: nullable(jsonObject),
      ai: Array.from({ length: int(0, 5) }, () => (chance(0.1) ? pick(bigInt64s) : BigInt(int(-3, 10)))),
      ai32: Array.from({ length: int(0, 5) }, () => int(-3, 10)),
      ai8: Array.from({ length: int(0, 3) }, () => int(-3, 3)),
      af: Array.from({ length: int(0, 4) }, float32),
      ad: Array.from({ length: int(0, 4) }, double),
      as: Array.from({ length: int(0, 4) }, () => pick(['red', 'green', 'blue', 'a', '', 'é'])),
      ab: Array.from({ length: int(0, 3) }, () => chance(0.5)),
      nai: nullable(() => Array.from({ length: int(0, 3) }, () => BigInt(int(0, 5)))),
      $meta: meta(),
    });
  }
  return rows;
}

/** The rows as columns, the way the engine stores them (a null JSON cell is '' or 'null'). */
export function toColumns(rows: readonly PlainRow[]): Map<string, Column> {
  const columns = new Map<string, Column>();
  for (const f of fields) {
    const values = rows.map((row) => row[f.name]);
    const valid = f.nullable ? Uint8Array.from(values, (value) => (value === null ? 0 : 1)) : undefined;
    const base = columnOf(f, values);
    columns.set(f.name, (valid ? { ...base, valid } : base) as Column);
  }
  return columns;
}

function columnOf(f: FieldSchema, values: unknown[]): Column {
  switch (f.dataType) {
    case DataType.Bool:
      return { type: f.dataType, values: Uint8Array.from(values, (v) => (v === true ? 1 : 0)) };
    case DataType.Int8:
      return { type: f.dataType, values: Int8Array.from(values, (v) => (v as number | null) ?? 0) };
    case DataType.Int16:
      return { type: f.dataType, values: Int16Array.from(values, (v) => (v as number | null) ?? 0) };
    case DataType.Int32:
      return { type: f.dataType, values: Int32Array.from(values, (v) => (v as number | null) ?? 0) };
    case DataType.Int64:
      return { type: f.dataType, values: BigInt64Array.from(values, (v) => (v as bigint | null) ?? 0n) };
    case DataType.Float:
      return { type: f.dataType, values: Float32Array.from(values, (v) => (v as number | null) ?? 0) };
    case DataType.Double:
      return { type: f.dataType, values: Float64Array.from(values, (v) => (v as number | null) ?? 0) };
    case DataType.VarChar:
      return { type: f.dataType, values: values.map((v) => (v as string | null) ?? '') };
    case DataType.JSON:
      return {
        type: f.dataType,
        values: values.map((v, i) => (v === null ? (i % 2 === 0 ? '' : 'null') : JSON.stringify(v))),
      };
    case DataType.Array:
      return {
        type: f.dataType,
        elementType: f.elementType,
        values: values.map((v) => arrayCell(f.elementType, (v as unknown[] | null) ?? [])),
      };
    default:
      throw new Error(`no test column for ${f.name}`);
  }
}

function arrayCell(elementType: DataType, items: unknown[]): ArrayCell {
  switch (elementType) {
    case DataType.Bool:
      return Uint8Array.from(items, (v) => (v === true ? 1 : 0));
    case DataType.Int8:
    case DataType.Int16:
    case DataType.Int32:
      return Int32Array.from(items as number[]);
    case DataType.Int64:
      return BigInt64Array.from(items as bigint[]);
    case DataType.Float:
      return Float32Array.from(items as number[]);
    case DataType.Double:
      return Float64Array.from(items as number[]);
    default:
      return [...(items as string[])];
  }
}

export interface TestSegment {
  segment: Segment;
  rows: PlainRow[];
}

/**
 * The rows split into three segments of the storage engine: two growing segments filled by
 * appends (the first in two batches) and one loaded from columns as a sealed segment would be.
 */
export function makeSegments(rows: readonly PlainRow[]): TestSegment[] {
  const third = Math.floor(rows.length / 3);
  const parts = [rows.slice(0, third), rows.slice(third, 2 * third), rows.slice(2 * third)];
  const segments: TestSegment[] = [];
  parts.forEach((part, index) => {
    if (index < 2) {
      const segment = Segment.growing(BigInt(index + 1), 0, fields);
      const half = index === 0 ? Math.floor(part.length / 2) : part.length;
      segment.append({ numRows: half, columns: toColumns(part.slice(0, half)) }, 1n, 1n);
      if (half < part.length) {
        segment.append({ numRows: part.length - half, columns: toColumns(part.slice(half)) }, 2n, 2n);
      }
      segments.push({ segment, rows: part });
    } else {
      const segment = Segment.fromFile(BigInt(index + 1), 0, {
        columns: toColumns(part),
        insertTimestamps: new BigUint64Array(part.length).fill(1n),
        numRows: part.length,
      });
      segments.push({ segment, rows: part });
    }
  });
  return segments;
}

/** An index type per whole field, mixing all four types (BITMAP where it holds the type). */
export const indexChoice: Record<string, ScalarIndexFactory> = {
  pk: stlSortIndexFactory,
  b: bitmapIndexFactory,
  i8: bitmapIndexFactory,
  i16: stlSortIndexFactory,
  i32: invertedIndexFactory,
  i64: stlSortIndexFactory,
  f: invertedIndexFactory,
  d: stlSortIndexFactory,
  s: trieIndexFactory,
  t: invertedIndexFactory,
  nb: invertedIndexFactory,
  ni32: bitmapIndexFactory,
  ni64: invertedIndexFactory,
  nf: stlSortIndexFactory,
  nd: invertedIndexFactory,
  ns: trieIndexFactory,
  ai: invertedIndexFactory,
  ai32: bitmapIndexFactory,
  ai8: invertedIndexFactory,
  af: invertedIndexFactory,
  as: bitmapIndexFactory,
  ab: invertedIndexFactory,
  nai: bitmapIndexFactory,
};

/** The indexes of indexChoice built over one segment's columns. */
export function buildIndexes(segment: Segment): Map<string, ScalarIndex> {
  return new Map(
    Object.entries(indexChoice).map(([name, factory]) => [name, factory.build(segment.column(name)!)]),
  );
}
