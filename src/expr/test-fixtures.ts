import type { CollectionSchema, FieldSchema } from '../schema/collection-schema.js';
import { makeFieldSchema } from '../schema/collection-schema.js';
import { DataType } from '../schema/data-type.js';

/**
 * A collection schema with one field of every filterable type, and a few rows, shared by the
 * expr/ tests. Field IDs start at 100 as Milvus assigns them.
 */
let nextFieldId = 100;

function field(name: string, dataType: DataType, extra: Partial<FieldSchema> = {}): FieldSchema {
  return makeFieldSchema(name, dataType, { fieldId: nextFieldId++, ...extra });
}

const fields: FieldSchema[] = [
  field('id', DataType.Int64, { isPrimaryKey: true }),
  field('i8', DataType.Int8),
  field('i16', DataType.Int16),
  field('i32', DataType.Int32),
  field('i64', DataType.Int64),
  field('f', DataType.Float),
  field('d', DataType.Double),
  field('b', DataType.Bool),
  field('s', DataType.VarChar, { typeParams: { max_length: '64' } }),
  field('title', DataType.VarChar, {
    typeParams: { max_length: '256', enable_analyzer: 'true', enable_match: 'true' },
  }),
  field('j', DataType.JSON),
  field('ai', DataType.Array, { elementType: DataType.Int64, typeParams: { max_capacity: '8' } }),
  field('as', DataType.Array, {
    elementType: DataType.VarChar,
    typeParams: { max_capacity: '8', max_length: '16' },
  }),
  field('af', DataType.Array, { elementType: DataType.Float, typeParams: { max_capacity: '8' } }),
  field('n', DataType.Int64, { nullable: true }),
  field('ns', DataType.VarChar, { nullable: true, typeParams: { max_length: '16' } }),
  field('nj', DataType.JSON, { nullable: true }),
  field('body', DataType.Text, { typeParams: { max_length: '100' } }),
  field('geo', DataType.Geometry),
  field('ts', DataType.Timestamptz),
  field('v', DataType.FloatVector, { typeParams: { dim: '4' } }),
  field('$meta', DataType.JSON, { isDynamic: true }),
];

/** Dynamic field enabled: unknown names resolve to $meta["name"]. */
export const dynamicSchema: CollectionSchema = {
  name: 'things',
  description: '',
  autoId: false,
  fields,
  enableDynamicField: true,
  functions: [],
};

/** The same fields without the dynamic field. */
export const staticSchema: CollectionSchema = {
  ...dynamicSchema,
  fields: fields.filter((f) => !f.isDynamic),
  enableDynamicField: false,
};

export type Row = Record<string, unknown>;

export const rows: Row[] = [
  {
    id: 1n,
    i8: 1,
    i16: 100,
    i32: -5,
    i64: 10n,
    f: Math.fround(0.5),
    d: 1.5,
    b: true,
    s: 'apple',
    title: 'The quick brown fox',
    j: { a: 1, b: 'x', arr: [1, 2, 3], nested: { k: 'v' }, f: 1.5, t: true },
    ai: [1n, 2n, 3n],
    as: ['red', 'green'],
    af: [Math.fround(0.5), 1],
    n: 5n,
    ns: 'hi',
    nj: { a: 1 },
    $meta: { color: 'red', size: 3, tags: ['a', 'b'] },
  },
  {
    id: 2n,
    i8: -1,
    i16: 200,
    i32: 0,
    i64: 20n,
    f: Math.fround(2.25),
    d: -3,
    b: false,
    s: 'banana',
    title: 'lazy dogs sleep',
    j: { a: 2, b: 'y', arr: [4, 5], f: 2 },
    ai: [4n, 5n],
    as: ['blue'],
    af: [],
    n: null,
    ns: null,
    nj: null,
    $meta: { color: 'blue', size: 7 },
  },
  {
    id: 3n,
    i8: 3,
    i16: 300,
    i32: 7,
    i64: 30n,
    f: Math.fround(10),
    d: 0,
    b: true,
    s: 'a%b_c',
    title: 'quick quick fox jumps',
    j: { a: '1', arr: [], nested: {}, t: false },
    ai: [],
    as: ['red', 'blue', 'green'],
    af: [Math.fround(2.5)],
    n: 0n,
    ns: '',
    nj: { b: null },
    $meta: { size: 3.5, tags: [] },
  },
  {
    id: 4n,
    i8: 0,
    i16: -100,
    i32: 12,
    i64: -9223372036854775808n,
    f: Math.fround(-1),
    d: 100.25,
    b: false,
    s: '',
    title: '',
    j: { a: null, arr: [[1, 2], 'x'], f: -0.5 },
    ai: [7n],
    as: [],
    af: [Math.fround(0.1)],
    n: -7n,
    ns: 'hello',
    nj: {},
    $meta: {},
  },
];
