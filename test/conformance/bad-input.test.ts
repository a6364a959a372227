import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DataType, type MilvusClient } from '@zilliz/milvus2-sdk-node';
import { connectClient } from '../helpers/milvus-client.js';
import { type QuiverProcess, removeDir, startQuiver } from '../helpers/quiver-process.js';
import { rawMilvusCall, schemaBytes } from '../helpers/raw-milvus-call.js';

interface WireStatus {
  code: number;
  error_code: string;
  reason: string;
}

const pk = { name: 'id', data_type: 'Int64', is_primary_key: true, type_params: [] };
const vector = (dim: string) => ({
  name: 'v',
  data_type: 'FloatVector',
  type_params: [{ key: 'dim', value: dim }],
});

describe('bad input gets in-band Milvus errors and leaves no trace', () => {
  let server: QuiverProcess;
  let client: MilvusClient;

  before(async () => {
    server = await startQuiver();
    client = connectClient(server.address);
  });

  after(async () => {
    await client.closeConnection();
    await server.stop();
    await removeDir(server.dataDir);
  });

  async function create(name: string, schema: object | Buffer, extra: object = {}): Promise<WireStatus> {
    return rawMilvusCall<WireStatus>(server.address, 'CreateCollection', {
      collection_name: name,
      schema: Buffer.isBuffer(schema) ? schema : schemaBytes(schema),
      ...extra,
    });
  }

  async function collectionNames(): Promise<string[]> {
    return (await client.showCollections()).data.map((c) => c.name);
  }

  test('garbage schema bytes, an empty schema and an empty request', async () => {
    const garbage = await create('garbage', Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x12, 0x99]));
    assert.equal(garbage.code, 1100);
    assert.match(garbage.reason, /failed to parse the collection schema/);
    const empty = await create('empty', Buffer.alloc(0));
    assert.equal(empty.code, 1100);
    const nothing = await rawMilvusCall<WireStatus>(server.address, 'CreateCollection', {});
    assert.notEqual(nothing.code, 0);
    assert.ok(nothing.reason.length > 0);
    assert.deepEqual(await collectionNames(), []);
  });

  test('unknown enum values in the schema and the request', async () => {
    const unknownType = await create('unknown_type', {
      name: 'unknown_type',
      fields: [pk, { ...vector('4'), data_type: 77 }],
    });
    assert.equal(unknownType.code, 1100);
    assert.match(unknownType.reason, /77/);
    const badLevel = await create(
      'bad_level',
      { name: 'bad_level', fields: [pk, vector('4')] },
      { consistency_level: 42 },
    );
    assert.equal(badLevel.code, 1100);
    assert.match(badLevel.reason, /consistency level/);
    assert.deepEqual(await collectionNames(), []);
  });

  test('huge and malformed names', async () => {
    const huge = 'c'.repeat(100_000);
    const tooLong = await create(huge, { name: huge, fields: [pk, vector('4')] });
    assert.notEqual(tooLong.code, 0);
    assert.match(tooLong.reason, /must be less than 255 characters/);
    const badChar = await client.describeCollection({ collection_name: 'bad-name' });
    assert.notEqual(badChar.status.code, 0);
    assert.match(badChar.status.reason, /Invalid collection name/);
    const hugeDb = await client.createDatabase({ db_name: 'd'.repeat(1000) });
    assert.notEqual(hugeDb.code, 0);
    assert.deepEqual((await client.listDatabases()).db_names, ['default']);
    const hugeAlias = await client.createAlias({ collection_name: 'x', alias: 'a'.repeat(300) });
    assert.notEqual(hugeAlias.code, 0);
  });

  test('schema rules: no primary key, two primary keys, duplicate fields, dim bounds, max_length bounds', async () => {
    const noPk = await create('no_pk', { name: 'no_pk', fields: [vector('4')] });
    assert.notEqual(noPk.code, 0);
    assert.match(noPk.reason, /primary key/i);
    const twoPk = await create('two_pk', {
      name: 'two_pk',
      fields: [pk, { ...pk, name: 'id2' }, vector('4')],
    });
    assert.notEqual(twoPk.code, 0);
    assert.match(twoPk.reason, /primary key/i);
    const duplicate = await create('dup', { name: 'dup', fields: [pk, vector('4'), vector('8')] });
    assert.notEqual(duplicate.code, 0);
    assert.match(duplicate.reason, /duplicate/i);
    const hugeDim = await create('huge_dim', { name: 'huge_dim', fields: [pk, vector('40000')] });
    assert.notEqual(hugeDim.code, 0);
    assert.match(hugeDim.reason, /dim/);
    const noDim = await create('no_dim', {
      name: 'no_dim',
      fields: [pk, { ...vector('4'), type_params: [] }],
    });
    assert.notEqual(noDim.code, 0);
    const longVarchar = await create('long_varchar', {
      name: 'long_varchar',
      fields: [
        pk,
        vector('4'),
        { name: 's', data_type: 'VarChar', type_params: [{ key: 'max_length', value: '70000' }] },
      ],
    });
    assert.notEqual(longVarchar.code, 0);
    assert.match(longVarchar.reason, /max_length|maximum length/i);
    const mismatch = await create('mismatch', { name: 'other_name', fields: [pk, vector('4')] });
    assert.equal(mismatch.code, 1100);
    assert.match(mismatch.reason, /collection name = mismatch, schema.Name=other_name/);
    assert.deepEqual(await collectionNames(), [], 'a failed create leaves no trace');
  });

  test('partition-key, shard and num_partitions limits', async () => {
    const shards = await create('shards', { name: 'shards', fields: [pk, vector('4')] }, { shards_num: 64 });
    assert.notEqual(shards.code, 0);
    const partitionsWithoutKey = await create(
      'nokey',
      { name: 'nokey', fields: [pk, vector('4')] },
      { num_partitions: '4' },
    );
    assert.notEqual(partitionsWithoutKey.code, 0);
    const tooManyPartitions = await client
      .createCollection({
        collection_name: 'too_many',
        fields: [
          { name: 'id', data_type: DataType.Int64, is_primary_key: true },
          { name: 'k', data_type: DataType.Int64, is_partition_key: true },
          { name: 'v', data_type: DataType.FloatVector, dim: 4 },
        ],
        num_partitions: 5000,
      })
      .catch((status: WireStatus) => status);
    assert.notEqual(tooManyPartitions.code, 0);
    assert.deepEqual(await collectionNames(), []);
  });

  test('errors carry Milvus codes: 100 for missing collections on every collection RPC', async () => {
    for (const [rpc, request] of [
      ['DropPartition', { collection_name: 'ghost', partition_name: 'p' }],
      ['HasPartition', { collection_name: 'ghost', partition_name: 'p' }],
      ['ShowPartitions', { collection_name: 'ghost' }],
      ['AlterCollection', { collection_name: 'ghost', properties: [{ key: 'a', value: 'b' }] }],
      ['RenameCollection', { oldName: 'ghost', newName: 'ghost2' }],
      ['CreateAlias', { collection_name: 'ghost', alias: 'ga' }],
    ] as const) {
      const response = await rawMilvusCall<{ status?: WireStatus } & WireStatus>(
        server.address,
        rpc,
        request,
      );
      const status = response.status ?? response;
      assert.equal(status.code, 100, `${rpc}: ${status.reason}`);
    }
  });

  test('the server stays up and keeps serving after all of the above', async () => {
    const health = await client.checkHealth();
    assert.equal(health.isHealthy, true);
    const ok = await client.createCollection({
      collection_name: 'still_fine',
      fields: [
        { name: 'id', data_type: DataType.Int64, is_primary_key: true },
        { name: 'v', data_type: DataType.FloatVector, dim: 4 },
      ],
    });
    assert.equal(ok.error_code, 'Success');
  });
});
