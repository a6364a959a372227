import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isQuiverError } from '../../../errors/index.js';
import { type Column, DataType } from '../../../schema/index.js';
import { decodeIds, encodeIds, type WireIds } from './ids-codec.js';
import { decodeMessage, encodeMessage } from './milvus-proto.js';

const idsType = 'milvus.proto.schema.IDs';

function wireRoundTrip(ids: WireIds): WireIds {
  return decodeMessage<WireIds>(idsType, encodeMessage(idsType, ids));
}

describe('ids codec', () => {
  it('sends Int64 keys as decimal strings in int_id, in the order rowIndices asks', () => {
    const column: Column = {
      type: DataType.Int64,
      values: BigInt64Array.of(-(2n ** 63n), 7n, 2n ** 63n - 1n),
    };
    const all = encodeIds(column);
    assert.deepEqual(all, {
      int_id: { data: ['-9223372036854775808', '7', '9223372036854775807'] },
      id_field: 'int_id',
    });
    assert.deepEqual(wireRoundTrip(all), all);
    assert.deepEqual(encodeIds(column, [2, 0]), {
      int_id: { data: ['9223372036854775807', '-9223372036854775808'] },
      id_field: 'int_id',
    });
    assert.deepEqual(decodeIds(wireRoundTrip(all)), column);
  });

  it('sends VarChar keys in str_id, including zero of them', () => {
    const column: Column = { type: DataType.VarChar, values: ['a', 'β'] };
    const wire = encodeIds(column);
    assert.deepEqual(wireRoundTrip(wire), { str_id: { data: ['a', 'β'] }, id_field: 'str_id' });
    assert.deepEqual(decodeIds(wireRoundTrip(wire)), column);
    const none = encodeIds(column, []);
    assert.deepEqual(wireRoundTrip(none), { str_id: { data: [] }, id_field: 'str_id' });
  });

  it('decodes shapes built by hand without the oneof name, and nothing from an empty IDs', () => {
    assert.deepEqual(decodeIds({ int_id: { data: [1, '2'] } }), {
      type: DataType.Int64,
      values: BigInt64Array.of(1n, 2n),
    });
    assert.equal(decodeIds(wireRoundTrip({})), undefined);
    assert.equal(decodeIds(undefined), undefined);
  });

  it('refuses a key column of another type', () => {
    assert.throws(
      () => encodeIds({ type: DataType.Float, values: Float32Array.of(1) }),
      (error: unknown) => isQuiverError(error) && error.code === 65535,
    );
  });
});
