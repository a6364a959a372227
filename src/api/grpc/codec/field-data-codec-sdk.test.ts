import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MilvusClient } from '@zilliz/milvus2-sdk-node';
import { isQuiverError } from '../../../errors/index.js';
import {
  type CollectionSchema,
  DataType,
  DYNAMIC_FIELD_NAME,
  type FieldSchema,
  makeFieldSchema,
} from '../../../schema/index.js';
import { decodeFieldData, type WireFieldData } from './field-data-codec.js';
import { decodeMessage, encodeMessage } from './milvus-proto.js';

/*
 * Requests built by the official Node SDK's own insert/upsert code (Data._insert), captured where it
 * would hand them to gRPC, serialised with the protocol and decoded as the server decodes them.
 */

const field = makeFieldSchema;

function collection(fields: FieldSchema[], enableDynamicField: boolean): CollectionSchema {
  const numbered = fields.map((f, i) => ({ ...f, fieldId: 100 + i }));
  return {
    name: 'books',
    description: '',
    autoId: false,
    fields: numbered,
    enableDynamicField,
    functions: [],
  };
}

/** The subset of DescribeCollection's answer, as the SDK formats it, that _insert reads. */
function describeAnswer(schema: CollectionSchema) {
  return {
    status: { error_code: 'Success', code: 0 },
    properties: [],
    update_timestamp_str: '1',
    schema: {
      enable_dynamic_field: schema.enableDynamicField,
      fields: schema.fields.map((f) => ({
        name: f.name,
        data_type: DataType[f.dataType],
        element_type: DataType[f.elementType],
        autoID: f.autoId,
        is_primary_key: f.isPrimaryKey,
        nullable: f.nullable,
        is_function_output: f.isFunctionOutput,
        default_value: f.defaultValue ? { [`${f.defaultValue.kind}_data`]: f.defaultValue.value } : null,
        dim: f.typeParams.dim,
      })),
    },
  };
}

interface WireWriteRequest {
  fields_data: WireFieldData[];
  num_rows: number;
}

type InsertFunction = (this: unknown, data: unknown, upsert?: boolean) => Promise<unknown>;

/** Runs the SDK's request building and returns the request as the server's codec decodes it. */
async function sdkRequest(
  schema: CollectionSchema,
  rows: object[],
  upsert = false,
): Promise<WireWriteRequest> {
  let captured: object | undefined;
  const reply = (params: object, _options: unknown, done: (error: null, result: object) => void) => {
    captured = params;
    done(null, { status: { error_code: 'Success', code: 0 } });
  };
  const fakeClient = {
    describeCollection: async () => describeAnswer(schema),
    normalizeFieldOps: (MilvusClient.prototype as unknown as { normalizeFieldOps: unknown })
      .normalizeFieldOps,
    channelPool: { acquire: async () => ({ Insert: reply, Upsert: reply }), release: () => {} },
  };
  const insert = (MilvusClient.prototype as unknown as { _insert: InsertFunction })._insert;
  await insert.call(fakeClient, { collection_name: schema.name, data: rows }, upsert);
  assert.ok(captured, 'the SDK sent no request');
  const messageType = upsert ? 'milvus.proto.milvus.UpsertRequest' : 'milvus.proto.milvus.InsertRequest';
  return decodeMessage<WireWriteRequest>(messageType, encodeMessage(messageType, captured));
}

function decodeRequest(schema: CollectionSchema, request: WireWriteRequest, upsert = false) {
  return decodeFieldData(schema, request.fields_data, request.num_rows, { upsert });
}

describe('requests built by the Node SDK decode as Milvus reads them', () => {
  it('every scalar kind, nulls, defaults, dynamic keys and both sparse forms', async () => {
    const schema = collection(
      [
        field('id', DataType.Int64, { isPrimaryKey: true }),
        field('v', DataType.FloatVector, { typeParams: { dim: '2' } }),
        field('title', DataType.VarChar, { nullable: true, typeParams: { max_length: '8' } }),
        field('doc', DataType.JSON, { nullable: true }),
        field('sp', DataType.SparseFloatVector),
        field('tags', DataType.Array, {
          nullable: true,
          elementType: DataType.Int32,
          typeParams: { max_capacity: '4' },
        }),
        field('rank', DataType.Int16, { defaultValue: { kind: 'int', value: 7 } }),
        field('flag', DataType.Bool),
        field('score', DataType.Double),
      ],
      true,
    );
    const rows = [
      {
        id: 1,
        v: [0.5, 1],
        title: 'a',
        doc: { x: 1 },
        sp: { 9: 0.5, 2: 0.25 },
        tags: [1, 2],
        rank: 3,
        flag: true,
        score: 0.1,
        color: 'red',
      },
      {
        id: 2,
        v: [2, 3],
        title: null,
        doc: null,
        sp: [0, 1.5, 0, 2],
        tags: null,
        rank: null,
        flag: false,
        score: 2,
      },
      { id: 3, v: [4, 5], sp: {}, flag: true, score: -1, size: { w: 2 } },
    ];
    const request = await sdkRequest(schema, rows);
    assert.equal(request.num_rows, 3);
    const batch = decodeRequest(schema, request);
    assert.deepStrictEqual(batch.columns.get('id'), {
      type: DataType.Int64,
      values: BigInt64Array.of(1n, 2n, 3n),
    });
    assert.deepStrictEqual(batch.columns.get('v'), {
      type: DataType.FloatVector,
      dim: 2,
      values: Float32Array.of(0.5, 1, 2, 3, 4, 5),
    });
    assert.deepStrictEqual(batch.columns.get('title'), {
      type: DataType.VarChar,
      values: ['a', '', ''],
      valid: Uint8Array.of(1, 0, 0),
    });
    // The SDK sends a JSON null as empty bytes marked valid; Quiver reads it as null.
    assert.deepStrictEqual(batch.columns.get('doc'), {
      type: DataType.JSON,
      values: ['{"x":1}', '', ''],
      valid: Uint8Array.of(1, 0, 0),
    });
    assert.deepStrictEqual(batch.columns.get('sp'), {
      type: DataType.SparseFloatVector,
      values: [
        { indices: Uint32Array.of(2, 9), values: Float32Array.of(0.25, 0.5) },
        // The array form keeps explicit zeros as stored elements.
        { indices: Uint32Array.of(0, 1, 2, 3), values: Float32Array.of(0, 1.5, 0, 2) },
        { indices: Uint32Array.of(), values: Float32Array.of() },
      ],
    });
    assert.deepStrictEqual(batch.columns.get('tags'), {
      type: DataType.Array,
      elementType: DataType.Int32,
      values: [Int32Array.of(1, 2), Int32Array.of(), Int32Array.of()],
      valid: Uint8Array.of(1, 0, 0),
    });
    assert.deepStrictEqual(batch.columns.get('rank'), {
      type: DataType.Int16,
      values: Int16Array.of(3, 7, 7),
    });
    assert.deepStrictEqual(batch.columns.get('flag'), {
      type: DataType.Bool,
      values: Uint8Array.of(1, 0, 1),
    });
    assert.deepStrictEqual(batch.columns.get('score'), {
      type: DataType.Double,
      values: Float64Array.of(0.1, 2, -1),
    });
    assert.deepStrictEqual(batch.columns.get(DYNAMIC_FIELD_NAME), {
      type: DataType.JSON,
      values: ['{"color":"red"}', '{}', '{"size":{"w":2}}'],
    });
  });

  it('sparse rows in CSR form keep the caller order, which Milvus refuses when unsorted', async () => {
    const schema = collection(
      [field('id', DataType.Int64, { isPrimaryKey: true }), field('sp', DataType.SparseFloatVector)],
      false,
    );
    const sorted = await sdkRequest(schema, [{ id: 1, sp: { indices: [2, 9], values: [1, 2] } }]);
    assert.deepStrictEqual(decodeRequest(schema, sorted).columns.get('sp'), {
      type: DataType.SparseFloatVector,
      values: [{ indices: Uint32Array.of(2, 9), values: Float32Array.of(1, 2) }],
    });
    const unsorted = await sdkRequest(schema, [{ id: 1, sp: { indices: [9, 2], values: [1, 2] } }]);
    assert.throws(
      () => decodeRequest(schema, unsorted),
      (error: unknown) =>
        isQuiverError(error) &&
        error.code === 65535 &&
        error.reason === 'unsorted or same indices in sparse float vector',
    );
  });

  it('binary, float16, bfloat16 and int8 vectors', async () => {
    const schema = collection(
      [
        field('id', DataType.VarChar, { isPrimaryKey: true, typeParams: { max_length: '4' } }),
        field('bits', DataType.BinaryVector, { typeParams: { dim: '16' } }),
        field('half', DataType.Float16Vector, { typeParams: { dim: '2' } }),
        field('brain', DataType.BFloat16Vector, { typeParams: { dim: '2' } }),
        field('q', DataType.Int8Vector, { typeParams: { dim: '3' } }),
      ],
      false,
    );
    const request = await sdkRequest(schema, [
      { id: 'a', bits: [255, 1], half: [1, -2], brain: [1, -2], q: [-128, 0, 127] },
      { id: 'b', bits: [0, 128], half: [0.5, 0], brain: [0.5, 0], q: [1, 2, 3] },
    ]);
    const batch = decodeRequest(schema, request);
    assert.deepStrictEqual(batch.columns.get('id'), { type: DataType.VarChar, values: ['a', 'b'] });
    assert.deepStrictEqual(batch.columns.get('bits'), {
      type: DataType.BinaryVector,
      dim: 16,
      values: Uint8Array.of(255, 1, 0, 128),
    });
    // IEEE half: 1 = 0x3c00, -2 = 0xc000, 0.5 = 0x3800; bfloat16 keeps float32's top 16 bits.
    assert.deepStrictEqual(batch.columns.get('half'), {
      type: DataType.Float16Vector,
      dim: 2,
      values: Uint16Array.of(0x3c00, 0xc000, 0x3800, 0),
    });
    assert.deepStrictEqual(batch.columns.get('brain'), {
      type: DataType.BFloat16Vector,
      dim: 2,
      values: Uint16Array.of(0x3f80, 0xc000, 0x3f00, 0),
    });
    assert.deepStrictEqual(batch.columns.get('q'), {
      type: DataType.Int8Vector,
      dim: 3,
      values: Int8Array.of(-128, 0, 127, 1, 2, 3),
    });
  });

  it('leaves an auto_id key out of inserts and sends it on upserts', async () => {
    const schema = collection(
      [
        field('id', DataType.Int64, { isPrimaryKey: true, autoId: true }),
        field('v', DataType.FloatVector, { typeParams: { dim: '2' } }),
      ],
      false,
    );
    const inserted = await sdkRequest(schema, [{ v: [1, 2] }]);
    assert.deepStrictEqual(
      inserted.fields_data.map((f) => f.field_name),
      ['v'],
    );
    assert.deepStrictEqual([...decodeRequest(schema, inserted).columns.keys()], ['v']);

    const upserted = await sdkRequest(schema, [{ id: 42, v: [1, 2] }], true);
    const batch = decodeRequest(schema, upserted, true);
    assert.deepStrictEqual(batch.columns.get('id'), { type: DataType.Int64, values: BigInt64Array.of(42n) });
  });

  it('a row missing a required field reaches Milvus as a short column, refused by row count', async () => {
    const schema = collection(
      [field('id', DataType.Int64, { isPrimaryKey: true }), field('n', DataType.Int32)],
      false,
    );
    const request = await sdkRequest(schema, [{ id: 1, n: 5 }, { id: 2 }]);
    assert.throws(
      () => decodeRequest(schema, request),
      (error: unknown) =>
        isQuiverError(error) &&
        error.reason ===
          'the num_rows (1) of field (n) is not equal to passed num_rows (2): invalid parameter[expected=2][actual=1]',
    );
  });
});
