import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  bf16BytesToF32Array,
  DataType,
  type FieldType,
  f16BytesToF32Array,
  f32ArrayToBf16Bytes,
  f32ArrayToF16Bytes,
  type MilvusClient,
  type RowData,
} from '@zilliz/milvus2-sdk-node';
import { seededRandom } from '../../src/kernels/seeded-random.js';
import { connectClient } from '../helpers/milvus-client.js';
import type { QuiverProcess } from '../helpers/quiver-process.js';
import { removeDir } from '../helpers/quiver-process.js';
import { startBuiltQuiver } from '../helpers/start-built-quiver.js';

/*
 * Every data type written through the Node SDK comes back identical from Query, in the SDK's own
 * representation: Int64 as decimal strings, Float as the float32 nearest the input, JSON parsed,
 * sparse vectors as {index: float32}, binary vectors as byte arrays, and Float16/BFloat16 vectors
 * either as the SDK's default f32 decoding of the stored 2-byte values or, with identity output
 * transformers, as the exact bytes the SDK sent. Checked while rows are in growing segments, after
 * flushSync, and after a restart that reads flushed segments plus a WAL tail.
 */

type Row = Record<string, unknown>;

const SCALARS = 'scalars';
const DENSE = 'dense';
const f32 = Math.fround;

const arrayField = (name: string, element_type: DataType, extra: Partial<FieldType> = {}): FieldType => ({
  name,
  data_type: DataType.Array,
  element_type,
  max_capacity: 8,
  ...extra,
});

const scalarFields: FieldType[] = [
  { name: 'id', data_type: DataType.Int64, is_primary_key: true },
  { name: 'b', data_type: DataType.Bool },
  { name: 'i8', data_type: DataType.Int8 },
  { name: 'i16', data_type: DataType.Int16 },
  { name: 'i32', data_type: DataType.Int32 },
  { name: 'i64', data_type: DataType.Int64 },
  { name: 'f', data_type: DataType.Float },
  { name: 'd', data_type: DataType.Double },
  { name: 's', data_type: DataType.VarChar, max_length: 64 },
  { name: 'j', data_type: DataType.JSON },
  arrayField('a_b', DataType.Bool),
  arrayField('a_i8', DataType.Int8),
  arrayField('a_i16', DataType.Int16),
  arrayField('a_i32', DataType.Int32),
  arrayField('a_i64', DataType.Int64),
  arrayField('a_f', DataType.Float),
  arrayField('a_d', DataType.Double),
  arrayField('a_s', DataType.VarChar, { max_length: 16 }),
  { name: 'v', data_type: DataType.FloatVector, dim: 4 },
  { name: 'sp', data_type: DataType.SparseFloatVector },
  { name: 'n_b', data_type: DataType.Bool, nullable: true },
  { name: 'n_i8', data_type: DataType.Int8, nullable: true },
  { name: 'n_i16', data_type: DataType.Int16, nullable: true },
  { name: 'n_i32', data_type: DataType.Int32, nullable: true },
  { name: 'n_i64', data_type: DataType.Int64, nullable: true },
  { name: 'n_f', data_type: DataType.Float, nullable: true },
  { name: 'n_d', data_type: DataType.Double, nullable: true },
  { name: 'n_s', data_type: DataType.VarChar, max_length: 16, nullable: true },
  { name: 'n_j', data_type: DataType.JSON, nullable: true },
  arrayField('n_a', DataType.Int32, { nullable: true }),
  // The SDK types default_value as string | number, but passes a boolean through as bool_data.
  { name: 'd_b', data_type: DataType.Bool, default_value: true as unknown as number },
  { name: 'd_i8', data_type: DataType.Int8, default_value: -7 },
  { name: 'd_i16', data_type: DataType.Int16, default_value: 300 },
  { name: 'd_i32', data_type: DataType.Int32, default_value: 123456 },
  { name: 'd_i64', data_type: DataType.Int64, default_value: '9007199254740993' },
  { name: 'd_f', data_type: DataType.Float, default_value: 1.25 },
  { name: 'd_d', data_type: DataType.Double, default_value: 0.1 },
  { name: 'd_s', data_type: DataType.VarChar, max_length: 32, default_value: 'fallback 名' },
  { name: 'nd_i32', data_type: DataType.Int32, nullable: true, default_value: 42 },
];

/** Defaults as the SDK returns them (Int64 as a string, Float rounded to float32). */
const defaults: Row = {
  d_b: true,
  d_i8: -7,
  d_i16: 300,
  d_i32: 123456,
  d_i64: '9007199254740993',
  d_f: 1.25,
  d_d: 0.1,
  d_s: 'fallback 名',
  nd_i32: 42,
};
const schemaNames = new Set(scalarFields.map((f) => f.name));

/** Fields holding a float32 (scalar, array element, sparse value) that the SDK returns widened. */
function expectedScalarRow(input: Row): Row {
  const out: Row = {};
  for (const field of scalarFields) {
    const name = field.name;
    let value = input[name];
    if (value === undefined || (value === null && name in defaults)) value = defaults[name] ?? null;
    if (value === null) {
      out[name] = null;
      continue;
    }
    if (name === 'id' || name === 'i64' || name === 'n_i64' || name === 'd_i64') value = String(value);
    if (name === 'f' || name === 'n_f' || name === 'd_f') value = f32(value as number);
    if (name === 'a_f') value = (value as number[]).map(f32);
    if (name === 'a_i64') value = (value as Array<string | number>).map(String);
    if (name === 'v') value = (value as number[]).map(f32);
    if (name === 'sp') {
      value = Object.fromEntries(
        Object.entries(value as Record<string, number>).map(([k, x]) => [k, f32(x)]),
      );
    }
    out[name] = value;
  }
  const dynamic: Row = {};
  for (const [key, value] of Object.entries(input)) if (!schemaNames.has(key)) dynamic[key] = value;
  out.$meta = dynamic;
  return out;
}

const UNICODE = [
  '',
  'plain',
  'héllo wörld',
  '名前と値',
  '😀 emoji 🚀',
  'quote " and \\ backslash',
  'tab\tnew\nline',
];

function randomInt(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function randomFloat32(random: () => number): number {
  return f32((random() - 0.5) * 10 ** randomInt(random, -6, 6));
}

function randomJson(random: () => number, depth = 0): unknown {
  const kind = randomInt(random, 0, depth > 2 ? 3 : 5);
  switch (kind) {
    case 0:
      return pick(random, UNICODE);
    case 1:
      return randomInt(random, -1_000_000, 1_000_000);
    case 2:
      return (random() - 0.5) * 1e6;
    case 3:
      return pick(random, [true, false, null]);
    case 4:
      return Array.from({ length: randomInt(random, 0, 3) }, () => randomJson(random, depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: randomInt(random, 0, 3) }, (_, i) => [
          `${pick(random, ['k', 'ключ', '名', 'x y'])}${i}`,
          randomJson(random, depth + 1),
        ]),
      );
  }
}

/** A row of the scalars collection; nullable, default and dynamic parts vary with the PRNG. */
function scalarRow(random: () => number, id: string | number): Row {
  const maybe = <T>(make: () => T): T | null => (random() < 0.35 ? null : make());
  const row: Row = {
    id,
    b: random() < 0.5,
    i8: randomInt(random, -128, 127),
    i16: randomInt(random, -32768, 32767),
    i32: randomInt(random, -2147483648, 2147483647),
    i64: String(BigInt(randomInt(random, -(2 ** 30), 2 ** 30)) * 4294967311n),
    f: randomFloat32(random),
    d: (random() - 0.5) * 10 ** randomInt(random, -300, 300),
    s: pick(random, UNICODE),
    j: { tag: pick(random, UNICODE), value: randomJson(random), list: [1, 'two', { three: 3.5 }] },
    a_b: Array.from({ length: randomInt(random, 0, 8) }, () => random() < 0.5),
    a_i8: Array.from({ length: randomInt(random, 0, 8) }, () => randomInt(random, -128, 127)),
    a_i16: Array.from({ length: randomInt(random, 0, 8) }, () => randomInt(random, -32768, 32767)),
    a_i32: Array.from({ length: randomInt(random, 0, 8) }, () => randomInt(random, -(2 ** 31), 2 ** 31 - 1)),
    a_i64: Array.from({ length: randomInt(random, 0, 8) }, () =>
      String(BigInt(randomInt(random, -(2 ** 30), 2 ** 30)) * 4294967311n),
    ),
    a_f: Array.from({ length: randomInt(random, 0, 8) }, () => randomFloat32(random)),
    a_d: Array.from({ length: randomInt(random, 0, 8) }, () => (random() - 0.5) * 1e10),
    a_s: Array.from({ length: randomInt(random, 0, 8) }, () => pick(random, ['', 'a', '名', '😀', 'x y z'])),
    v: Array.from({ length: 4 }, () => randomFloat32(random)),
    sp: Object.fromEntries(
      Array.from({ length: randomInt(random, 1, 5) }, () => [
        randomInt(random, 0, 100_000),
        random() + 0.001,
      ]),
    ),
    n_b: maybe(() => random() < 0.5),
    n_i8: maybe(() => randomInt(random, -128, 127)),
    n_i16: maybe(() => randomInt(random, -32768, 32767)),
    n_i32: maybe(() => randomInt(random, -1000, 1000)),
    n_i64: maybe(() => String(randomInt(random, -1e15, 1e15))),
    n_f: maybe(() => randomFloat32(random)),
    n_d: maybe(() => random() * 1e-5),
    n_s: maybe(() => pick(random, ['', 'n', '名'])),
    n_j: maybe(() => ({ nested: { deeper: [randomJson(random)] } })),
    n_a: maybe(() => Array.from({ length: randomInt(random, 0, 4) }, () => randomInt(random, -5, 5))),
  };
  for (const name of Object.keys(defaults)) {
    const choice = random();
    if (choice < 0.4) continue; // omitted: the default applies
    if (name === 'nd_i32' && choice < 0.6) {
      row[name] = null; // null in a nullable field with a default: Milvus stores the default
      continue;
    }
    row[name] = makeDefaultFieldValue(random, name);
  }
  if (random() < 0.5) row.color = pick(random, ['red', 'grün', '青']);
  if (random() < 0.5) row.rank = randomInt(random, -100, 100);
  if (random() < 0.3) row.profile = { langs: ['en', 'ja'], score: 0.75, inner: { ok: true } };
  return row;
}

function makeDefaultFieldValue(random: () => number, name: string): unknown {
  switch (name) {
    case 'd_b':
      return false;
    case 'd_i8':
      return randomInt(random, -128, 127);
    case 'd_i16':
      return randomInt(random, -32768, 32767);
    case 'd_i32':
    case 'nd_i32':
      return randomInt(random, -1000, 1000);
    case 'd_i64':
      return String(randomInt(random, -1e12, 1e12));
    case 'd_f':
      return randomFloat32(random);
    case 'd_d':
      return random();
    default:
      return pick(random, UNICODE);
  }
}

/** Hand-picked extremes, then PRNG rows. */
function scalarRows(random: () => number, ids: Array<string | number>): Row[] {
  return ids.map((id) => scalarRow(random, id));
}

const edgeScalarRows = (random: () => number): Row[] => {
  const min = scalarRow(random, '-9223372036854775808');
  Object.assign(min, {
    b: false,
    i8: -128,
    i16: -32768,
    i32: -2147483648,
    i64: '-9223372036854775808',
    f: -3.4028234663852886e38,
    d: -Number.MAX_VALUE,
    s: '',
    j: { empty: {}, list: [], str: '', zero: 0, neg: -0.5, big: 1e300, tiny: 5e-324 },
    a_b: [],
    a_i64: ['-9223372036854775808', '9223372036854775807'],
    // No -0 here: with the dynamic field on, the SDK deep-copies rows through JSON, which turns -0
    // into 0 before anything is sent. The dense collection (no dynamic field) checks -0.
    a_f: [f32(1e-45), -1.5],
    a_d: [Number.MIN_VALUE, -Number.MAX_VALUE],
    a_s: [''],
    v: [0, f32(-1e-45), f32(1e-45), f32(3.4e38)],
    sp: { 0: f32(1e-38), 4294967294: 1 },
  });
  const max = scalarRow(random, '9223372036854775807');
  Object.assign(max, {
    b: true,
    i8: 127,
    i16: 32767,
    i32: 2147483647,
    i64: '9223372036854775807',
    f: 3.4028234663852886e38,
    d: Number.MAX_VALUE,
    s: 'x'.repeat(64),
    j: [1, 'two', { ключ: '名前', emoji: '😀', esc: 'a"b\\c\u0001' }, [[[]]]],
    a_i8: [-128, 127, 0, 1, 2, 3, 4, 5],
    a_s: ['x'.repeat(16), '名前'],
  });
  const unsafe = scalarRow(random, '9007199254740993'); // 2^53 + 1: not a safe JS integer
  return [min, max, unsafe];
};

const denseFields: FieldType[] = [
  { name: 'pk', data_type: DataType.VarChar, is_primary_key: true, max_length: 64 },
  { name: 'v', data_type: DataType.FloatVector, dim: 8 },
  { name: 'h', data_type: DataType.Float16Vector, dim: 8 },
  { name: 'bh', data_type: DataType.BFloat16Vector, dim: 8 },
  { name: 'bin', data_type: DataType.BinaryVector, dim: 32 },
  { name: 'label', data_type: DataType.VarChar, max_length: 16, nullable: true },
];

/** Float16 and BFloat16 bit patterns worth keeping exact: -0, smallest subnormal, largest finite. */
const F16_EDGE_BYTES = Buffer.from([
  0x00, 0x80, 0x01, 0x00, 0xff, 0x7b, 0xff, 0xfb, 0x00, 0x3c, 0x55, 0x35, 0, 0, 0x01, 0x80,
]);
const BF16_EDGE_BYTES = Buffer.from([
  0x00, 0x80, 0x01, 0x00, 0x7f, 0x7f, 0x7f, 0xff, 0x80, 0x3f, 0xaa, 0x3e, 0, 0, 0x01, 0x80,
]);

interface DenseInput {
  row: Row;
  /** The 2-byte encodings the SDK sends for h and bh. */
  hBytes: Buffer;
  bhBytes: Buffer;
}

function denseRow(random: () => number, pk: string, raw: boolean): DenseInput {
  const floats = () => Array.from({ length: 8 }, () => (random() - 0.5) * 200);
  const h = raw ? F16_EDGE_BYTES : floats();
  const bh = raw ? BF16_EDGE_BYTES : floats();
  return {
    row: {
      pk,
      v: raw
        ? [-0, 0, f32(1e-45), f32(-3.4e38), 1, -1, 0.5, f32(0.1)]
        : Array.from({ length: 8 }, () => randomFloat32(random)),
      h,
      bh,
      bin: Array.from({ length: 4 }, () => randomInt(random, 0, 255)),
      label: random() < 0.3 ? null : pick(random, ['', 'a', '名']),
    },
    hBytes: raw ? F16_EDGE_BYTES : Buffer.from(f32ArrayToF16Bytes(h as number[])),
    bhBytes: raw ? BF16_EDGE_BYTES : Buffer.from(f32ArrayToBf16Bytes(bh as number[])),
  };
}

function expectedDenseRow(input: DenseInput): Row {
  return {
    pk: input.row.pk,
    v: (input.row.v as number[]).map(f32),
    h: f16BytesToF32Array(input.hBytes),
    bh: bf16BytesToF32Array(input.bhBytes),
    bin: input.row.bin,
    label: input.row.label,
  };
}

async function queryAll(
  client: MilvusClient,
  collection_name: string,
  filter: string,
  output_fields: string[],
  extra: Record<string, unknown> = {},
): Promise<Row[]> {
  const result = await client.query({ collection_name, filter, output_fields, limit: 16384, ...extra });
  assert.equal(result.status.error_code, 'Success', result.status.reason);
  return result.data;
}

function byKey(rows: Row[], key: string): Map<string, Row> {
  const map = new Map<string, Row>();
  for (const row of rows) {
    const id = String(row[key]);
    assert.ok(!map.has(id), `key ${id} returned twice`);
    map.set(id, row);
  }
  return map;
}

function assertSameRows(actual: Row[], expected: Row[], key: string, label: string): void {
  assert.equal(actual.length, expected.length, `${label}: row count`);
  const got = byKey(actual, key);
  for (const want of expected) {
    const id = String(want[key]);
    assert.deepStrictEqual(got.get(id), want, `${label}: row ${id}`);
  }
}

describe('every data type round-trips through insert and query', () => {
  let server: QuiverProcess;
  let client: MilvusClient;
  const random = seededRandom(20_260_704);
  const scalarInputs: Row[] = [];
  const denseInputs: DenseInput[] = [];

  const insertScalars = async (rows: Row[]) => {
    const result = await client.insert({ collection_name: SCALARS, data: rows as RowData[] });
    assert.equal(result.status.error_code, 'Success', result.status.reason);
    assert.equal(Number(result.insert_cnt), rows.length);
    scalarInputs.push(...rows);
  };
  const insertDense = async (inputs: DenseInput[]) => {
    const result = await client.insert({ collection_name: DENSE, data: inputs.map((i) => i.row as RowData) });
    assert.equal(result.status.error_code, 'Success', result.status.reason);
    assert.deepEqual(
      (result.IDs as { str_id: { data: string[] } }).str_id.data,
      inputs.map((i) => i.row.pk),
    );
    denseInputs.push(...inputs);
  };

  const checkEverything = async (label: string) => {
    // Every field with `*`, dynamic keys inside $meta.
    const expectedScalars = scalarInputs.map(expectedScalarRow);
    assertSameRows(await queryAll(client, SCALARS, '', ['*']), expectedScalars, 'id', `${label} *`);

    // Every field named explicitly (no `*`): the same rows; the dynamic field by its own name.
    const named = scalarFields.map((f) => f.name);
    assertSameRows(
      await queryAll(client, SCALARS, '', [...named, '$meta']),
      expectedScalars,
      'id',
      `${label} named`,
    );

    // A few fields plus dynamic keys: only those come back; $meta holds just the requested keys.
    const few = await queryAll(client, SCALARS, '', ['f', 'n_j', 'd_s', 'color', 'profile']);
    assertSameRows(
      few,
      expectedScalars.map((row) => {
        const meta = row.$meta as Row;
        const picked: Row = {};
        if ('color' in meta) picked.color = meta.color;
        if ('profile' in meta) picked.profile = meta.profile;
        return { id: row.id, f: row.f, n_j: row.n_j, d_s: row.d_s, $meta: picked };
      }),
      'id',
      `${label} few`,
    );

    // get() by ids, including keys beyond 2^53 and the int64 extremes.
    const someIds = ['-9223372036854775808', '9007199254740993', '9223372036854775807', '7'];
    const got = await client.get({ collection_name: SCALARS, ids: someIds, output_fields: ['*'] });
    assert.equal(got.status.error_code, 'Success', got.status.reason);
    assertSameRows(
      got.data,
      expectedScalars.filter((row) => someIds.includes(row.id as string)),
      'id',
      `${label} get`,
    );

    // Dense vectors and a VarChar key, in the SDK's default decoding.
    const expectedDense = denseInputs.map(expectedDenseRow);
    assertSameRows(await queryAll(client, DENSE, '', ['*']), expectedDense, 'pk', `${label} dense`);

    // Identity transformers: Float16/BFloat16 exactly as the bytes the SDK sent.
    const rawRows = await queryAll(client, DENSE, '', ['h', 'bh'], {
      transformers: {
        [DataType.Float16Vector]: (bytes: Uint8Array) => Buffer.from(bytes) as unknown as number[],
        [DataType.BFloat16Vector]: (bytes: Uint8Array) => Buffer.from(bytes) as unknown as number[],
      },
    });
    assertSameRows(
      rawRows,
      denseInputs.map((i) => ({ pk: i.row.pk, h: i.hBytes, bh: i.bhBytes })),
      'pk',
      `${label} dense raw`,
    );

    // get() by VarChar keys.
    const keys = denseInputs.slice(0, 3).map((i) => i.row.pk as string);
    const gotDense = await client.get({ collection_name: DENSE, ids: keys, output_fields: ['bin', 'label'] });
    assertSameRows(
      gotDense.data,
      denseInputs.slice(0, 3).map((i) => ({ pk: i.row.pk, bin: i.row.bin, label: i.row.label })),
      'pk',
      `${label} dense get`,
    );
  };

  before(async () => {
    server = await startBuiltQuiver();
    client = connectClient(server.address);
    const created = await client.createCollection({
      collection_name: SCALARS,
      fields: scalarFields,
      enable_dynamic_field: true,
    });
    assert.equal(created.error_code, 'Success', created.reason);
    const createdDense = await client.createCollection({ collection_name: DENSE, fields: denseFields });
    assert.equal(createdDense.error_code, 'Success', createdDense.reason);
    for (const collection_name of [SCALARS, DENSE]) await client.loadCollection({ collection_name });
  });

  after(async () => {
    await client.closeConnection();
    await server.stop();
    await removeDir(server.dataDir);
  });

  test('rows in growing segments come back identical, with nulls, defaults and dynamic keys', async () => {
    await insertScalars(edgeScalarRows(random));
    await insertScalars(
      scalarRows(
        random,
        Array.from({ length: 24 }, (_, i) => i * 3 - 20),
      ),
    );
    await insertDense([
      denseRow(random, 'raw-edge-bytes', true),
      ...['k-00', 'k-01', 'ключ', '名前', 'emoji😀', 'ｆｕｌｌ', 'a b c', ''].map((pk) =>
        denseRow(random, pk, false),
      ),
    ]);
    await checkEverything('growing');
  });

  test('identical after flushSync, and after a restart reading segments plus a WAL tail', async () => {
    const flushed = await client.flushSync({ collection_names: [SCALARS, DENSE] });
    assert.equal(flushed.status.error_code, 'Success', flushed.status.reason);
    await checkEverything('flushed');
    // Written after the flush: lives only in the WAL until the restart replays it.
    await insertScalars(
      scalarRows(
        random,
        Array.from({ length: 10 }, (_, i) => 1000 + i),
      ),
    );
    await insertDense(['tail-1', 'tail-2', 'tail-名'].map((pk) => denseRow(random, pk, false)));
    await client.closeConnection();
    assert.equal(await server.stop(), 0);
    server = await startBuiltQuiver({ dataDir: server.dataDir });
    client = connectClient(server.address);
    await checkEverything('restarted');
  });
});
