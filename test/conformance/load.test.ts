import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DataType, type MilvusClient } from '@zilliz/milvus2-sdk-node';
import { connectClient } from '../helpers/milvus-client.js';
import { type QuiverProcess, removeDir, startQuiver } from '../helpers/quiver-process.js';

const fields = [
  { name: 'id', data_type: DataType.Int64, is_primary_key: true },
  { name: 'v', data_type: DataType.FloatVector, dim: 2 },
];
const rows = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => ({ id: from + i, v: [from + i, 1] }));

async function searchStatus(client: MilvusClient, collection_name: string, partition_names?: string[]) {
  const result = await client.search({ collection_name, data: [[0, 1]], limit: 100, partition_names });
  return {
    code: result.status.code,
    reason: result.status.reason,
    ids: result.results.map((r) => Number(r.id)),
  };
}

describe('load semantics (LoadCollection, LoadPartitions, releases, GetLoadState, GetLoadingProgress)', () => {
  let server: QuiverProcess;
  let client: MilvusClient;

  before(async () => {
    server = await startQuiver();
    client = connectClient(server.address);
    assert.equal((await client.createCollection({ collection_name: 'c', fields })).error_code, 'Success');
    await client.insert({ collection_name: 'c', data: rows(0, 5) });
  });

  after(async () => {
    await client.closeConnection();
    await server.stop();
    await removeDir(server.dataDir);
  });

  test('a collection starts released: search and query fail with code 101', async () => {
    const state = await client.getLoadState({ collection_name: 'c' });
    assert.equal(state.state, 'LoadStateNotLoad');
    const search = await searchStatus(client, 'c');
    assert.equal(search.code, 101);
    assert.match(search.reason, /collection not loaded\[collection=c\]/);
    const query = await client.query({ collection_name: 'c', filter: 'id >= 0' });
    assert.equal(query.status.code, 101);
    const progress = await client.getLoadingProgress({ collection_name: 'c' });
    assert.equal(progress.status.code, 101);
    const shown = await client.showCollections({ collection_names: ['c'] });
    assert.equal(shown.data[0]?.loadedPercentage, '0');
  });

  test('LoadCollection is instant: progress 100, state Loaded, search sees every row', async () => {
    const loaded = await client.loadCollection({ collection_name: 'c' });
    assert.equal(loaded.error_code, 'Success', loaded.reason);
    assert.equal((await client.getLoadState({ collection_name: 'c' })).state, 'LoadStateLoaded');
    assert.equal(Number((await client.getLoadingProgress({ collection_name: 'c' })).progress), 100);
    const shown = await client.showCollections({ collection_names: ['c'] });
    assert.equal(shown.data[0]?.loadedPercentage, '100');
    assert.deepEqual(
      (await searchStatus(client, 'c')).ids.sort((a, b) => a - b),
      [0, 1, 2, 3, 4],
    );
  });

  test('a partition created after LoadCollection is loaded too; releasing it hides only it', async () => {
    await client.createPartition({ collection_name: 'c', partition_name: 'p1' });
    await client.insert({ collection_name: 'c', partition_name: 'p1', data: rows(100, 2) });
    const p1State = await client.getLoadState({ collection_name: 'c', partition_names: ['p1'] });
    assert.equal(p1State.state, 'LoadStateLoaded');
    assert.equal((await searchStatus(client, 'c')).ids.length, 7);

    const released = await client.releasePartitions({ collection_name: 'c', partition_names: ['p1'] });
    assert.equal(released.error_code, 'Success', released.reason);
    const shown = await client.showPartitions({ collection_name: 'c' });
    assert.deepEqual(shown.partition_names, ['_default', 'p1']);
    assert.deepEqual(
      shown.data.map((p) => p.loadedPercentage),
      ['100', '0'],
    );
    const named = await searchStatus(client, 'c', ['p1']);
    assert.equal(named.code, 201);
    assert.match(named.reason, /partition not loaded\[partition=p1\]/);
    // Without partition names only the loaded partitions are searched.
    assert.deepEqual(
      (await searchStatus(client, 'c')).ids.sort((a, b) => a - b),
      [0, 1, 2, 3, 4],
    );
    const count = await client.count({ collection_name: 'c' });
    assert.equal(Number(count.data), 5);
  });

  test('ReleaseCollection then LoadPartitions: only the named partition is readable', async () => {
    assert.equal((await client.releaseCollection({ collection_name: 'c' })).error_code, 'Success');
    assert.equal((await client.getLoadState({ collection_name: 'c' })).state, 'LoadStateNotLoad');
    assert.equal((await client.query({ collection_name: 'c', filter: 'id >= 0' })).status.code, 101);

    const loaded = await client.loadPartitions({ collection_name: 'c', partition_names: ['p1'] });
    assert.equal(loaded.error_code, 'Success', loaded.reason);
    assert.equal((await client.getLoadState({ collection_name: 'c' })).state, 'LoadStateLoaded');
    const defaultState = await client.getLoadState({ collection_name: 'c', partition_names: ['_default'] });
    assert.equal(defaultState.state, 'LoadStateNotLoad');
    assert.deepEqual(
      (await searchStatus(client, 'c')).ids.sort((a, b) => a - b),
      [100, 101],
    );
    assert.equal((await searchStatus(client, 'c', ['_default'])).code, 201);
    const query = await client.query({ collection_name: 'c', filter: 'id >= 0', output_fields: ['id'] });
    assert.deepEqual(
      query.data.map((r) => Number(r.id)),
      [100, 101],
    );
  });

  test('bad requests: unknown partition, unknown collection, partition-key collections', async () => {
    const unknownPartition = await client.loadPartitions({ collection_name: 'c', partition_names: ['nope'] });
    assert.equal(unknownPartition.code, 200);
    assert.match(unknownPartition.reason, /partition not found\[partition=nope\]/);
    const unknownCollection = await client.getLoadState({ collection_name: 'missing' });
    assert.equal(unknownCollection.status.code, 100);
    // The SDK's loadCollection (which polls the progress) turns the error status into an exception.
    await assert.rejects(client.loadCollection({ collection_name: 'missing' }), /collection not found/);
    const loadMissing = await client.loadCollectionAsync({ collection_name: 'missing' });
    assert.equal(loadMissing.code, 100);

    await client.createCollection({
      collection_name: 'keyed',
      fields: [...fields, { name: 'tenant', data_type: DataType.Int64, is_partition_key: true }],
      num_partitions: 4,
    });
    const keyed = await client.loadPartitions({ collection_name: 'keyed', partition_names: ['_default_0'] });
    assert.equal(keyed.code, 65535);
    assert.equal(keyed.reason, 'disable load partitions if partition key mode is used');
    const keyedRelease = await client.releasePartitions({
      collection_name: 'keyed',
      partition_names: ['_default_0'],
    });
    assert.equal(keyedRelease.reason, 'disable release partitions if partition key mode is used');
  });

  test('load state survives a restart', async () => {
    assert.equal(await server.stop(), 0);
    server = await startQuiver({ dataDir: server.dataDir });
    await client.closeConnection();
    client = connectClient(server.address);
    assert.equal((await client.getLoadState({ collection_name: 'c' })).state, 'LoadStateLoaded');
    assert.deepEqual(
      (await searchStatus(client, 'c')).ids.sort((a, b) => a - b),
      [100, 101],
    );
    assert.equal((await searchStatus(client, 'c', ['_default'])).code, 201);
  });
});

describe('quiver serve --auto-load', () => {
  test('every collection is readable without load(), and stays so after a release', async () => {
    const server = await startQuiver({ extraArgs: ['--auto-load'] });
    const client = connectClient(server.address);
    try {
      await client.createCollection({ collection_name: 'auto', fields });
      await client.insert({ collection_name: 'auto', data: rows(0, 3) });
      assert.equal((await client.getLoadState({ collection_name: 'auto' })).state, 'LoadStateLoaded');
      assert.equal((await searchStatus(client, 'auto')).ids.length, 3);
      await client.releaseCollection({ collection_name: 'auto' });
      assert.equal((await searchStatus(client, 'auto')).ids.length, 3);
    } finally {
      await client.closeConnection();
      await server.stop();
      await removeDir(server.dataDir);
    }
  });
});
