import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DataType, type MilvusClient } from '@zilliz/milvus2-sdk-node';
import { connectClient } from '../helpers/milvus-client.js';
import { type QuiverProcess, removeDir, startQuiver } from '../helpers/quiver-process.js';

/** The SDK types IDs as a union of its int and string forms; these collections use int64 keys. */
function intIds(result: { IDs: unknown }): string[] {
  return (result.IDs as { int_id: { data: string[] } }).int_id.data;
}

async function rowCount(client: MilvusClient, collection_name: string): Promise<number> {
  const stats = await client.getCollectionStatistics({ collection_name });
  assert.equal(stats.status.error_code, 'Success', stats.status.reason);
  return Number(stats.data.row_count);
}

describe('insert, upsert, flush and statistics through the Node SDK', () => {
  let server: QuiverProcess;
  let client: MilvusClient;

  before(async () => {
    server = await startQuiver();
    client = connectClient(server.address);
    await client.createCollection({
      collection_name: 'docs',
      fields: [
        { name: 'id', data_type: DataType.Int64, is_primary_key: true, autoID: true },
        { name: 'title', data_type: DataType.VarChar, max_length: 32, nullable: true },
        { name: 'year', data_type: DataType.Int32, default_value: 2020 },
        {
          name: 'tags',
          data_type: DataType.Array,
          element_type: DataType.VarChar,
          max_capacity: 3,
          max_length: 8,
        },
        { name: 'meta', data_type: DataType.JSON },
        { name: 'v', data_type: DataType.FloatVector, dim: 4 },
        { name: 'sparse', data_type: DataType.SparseFloatVector },
      ],
      enable_dynamic_field: true,
    });
  });

  after(async () => {
    await client.closeConnection();
    await server.stop();
    await removeDir(server.dataDir);
  });

  const row = (i: number) => ({
    title: i % 3 === 0 ? null : `t${i}`,
    tags: ['a', 'b'].slice(0, i % 3),
    meta: { i, nested: { even: i % 2 === 0 } },
    v: [i, i + 1, i + 2, i + 3],
    sparse: { [i + 1]: 0.5, [i + 7]: 0.25 },
    color: i % 2 === 0 ? 'red' : 'blue',
  });

  test('insert returns auto IDs, succ_index and a timestamp; the count is exact at once', async () => {
    const first = await client.insert({
      collection_name: 'docs',
      data: Array.from({ length: 10 }, (_, i) => row(i)),
    });
    assert.equal(first.status.error_code, 'Success', first.status.reason);
    assert.equal(first.insert_cnt, '10');
    assert.deepEqual(first.succ_index, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const ids = intIds(first).map(BigInt);
    assert.equal(new Set(ids).size, 10);
    assert.ok(
      ids.every((id, i) => i === 0 || id > ids[i - 1]!),
      'auto IDs increase',
    );
    assert.ok(BigInt(first.timestamp) > 0n);
    assert.equal(await rowCount(client, 'docs'), 10, 'read-your-writes: no flush, no sleep');
    const second = await client.insert({ collection_name: 'docs', data: [row(10)] });
    assert.ok(BigInt(intIds(second)[0]!) > ids[9]!);
    assert.ok(BigInt(second.timestamp) > BigInt(first.timestamp));
    assert.equal(await rowCount(client, 'docs'), 11);
  });

  test('upsert replaces by primary key and keeps the key under auto_id', async () => {
    const inserted = await client.insert({ collection_name: 'docs', data: [row(20), row(21)] });
    const [a, b] = intIds(inserted);
    const before = await rowCount(client, 'docs');
    const upserted = await client.upsert({
      collection_name: 'docs',
      data: [
        { ...row(22), id: a },
        { ...row(23), id: b },
      ],
    });
    assert.equal(upserted.status.error_code, 'Success', upserted.status.reason);
    assert.equal(upserted.upsert_cnt, '2');
    assert.deepEqual(intIds(upserted), [a, b]);
    assert.equal(await rowCount(client, 'docs'), before, 'upsert of existing keys adds no rows');
  });

  test('flushSync completes and the count survives a restart', async () => {
    const flushed = await client.flushSync({ collection_names: ['docs'] });
    assert.equal(flushed.status.error_code, 'Success');
    const count = await rowCount(client, 'docs');
    await client.insert({ collection_name: 'docs', data: [row(30)] }); // in the WAL only
    await client.closeConnection();
    assert.equal(await server.stop(), 0);
    server = await startQuiver({ dataDir: server.dataDir });
    client = connectClient(server.address);
    assert.equal(await rowCount(client, 'docs'), count + 1);
  });

  test('bad rows are refused whole, with Milvus codes, and change nothing', async () => {
    const before = await rowCount(client, 'docs');
    const wrongDim = await client
      .insert({ collection_name: 'docs', data: [row(1), { ...row(2), v: [1, 2, 3] }] })
      .catch((e: Error) => e);
    // The SDK may reject some shapes itself; either way nothing may be written.
    if (!(wrongDim instanceof Error)) assert.notEqual(wrongDim.status.code, 0);
    const tooLong = await client.insert({
      collection_name: 'docs',
      data: [{ ...row(1), title: 'x'.repeat(40) }],
    });
    assert.equal(tooLong.status.code, 1100);
    assert.match(tooLong.status.reason, /exceeds max length/);
    const tooMany = await client.insert({
      collection_name: 'docs',
      data: [{ ...row(1), tags: ['a', 'b', 'c', 'd'] }],
    });
    assert.equal(tooMany.status.code, 1100);
    assert.match(tooMany.status.reason, /exceeds max capacity/);
    const missing = await client.insert({ collection_name: 'ghost', data: [row(1)] }).catch((e: Error) => e);
    if (!(missing instanceof Error)) assert.equal(missing.status.code, 100);
    assert.equal(await rowCount(client, 'docs'), before);
  });

  test('partition-key collections route rows and refuse an explicit partition', async () => {
    await client.createCollection({
      collection_name: 'tenants',
      fields: [
        { name: 'id', data_type: DataType.Int64, is_primary_key: true },
        { name: 'tenant', data_type: DataType.VarChar, max_length: 16, is_partition_key: true },
        { name: 'v', data_type: DataType.FloatVector, dim: 2 },
      ],
      num_partitions: 4,
    });
    const data = Array.from({ length: 40 }, (_, i) => ({ id: i, tenant: `t${i % 7}`, v: [i, 1] }));
    const result = await client.insert({ collection_name: 'tenants', data });
    assert.equal(result.status.error_code, 'Success', result.status.reason);
    assert.equal(await rowCount(client, 'tenants'), 40);
    let spread = 0;
    for (const partition_name of (await client.listPartitions({ collection_name: 'tenants' }))
      .partition_names) {
      const stats = await client.getPartitionStatistics({ collection_name: 'tenants', partition_name });
      if (Number(stats.data.row_count) > 0) spread++;
    }
    assert.ok(spread > 1, 'rows spread over several partitions');
    const explicit = await client.insert({ collection_name: 'tenants', partition_name: '_default_0', data });
    assert.equal(explicit.status.code, 1100);
    assert.equal(await rowCount(client, 'tenants'), 40);
  });
});
