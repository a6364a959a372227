import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { DataType, type MilvusClient } from '@zilliz/milvus2-sdk-node';
import { connectClient } from '../helpers/milvus-client.js';
import { makeTempDataDir, removeDir, startQuiver } from '../helpers/quiver-process.js';

async function snapshot(client: MilvusClient) {
  const collections = (await client.showCollections()).data.map((c) => c.name).sort();
  const described = [];
  for (const name of collections) {
    const d = await client.describeCollection({ collection_name: name });
    const partitions = await client.listPartitions({ collection_name: name });
    described.push({
      name,
      id: d.collectionID,
      created: d.created_timestamp,
      updated: d.update_timestamp,
      schema: d.schema,
      aliases: d.aliases,
      properties: d.properties,
      consistency: d.consistency_level,
      partitions: partitions.partition_names,
      partitionIds: partitions.partitionIDs,
      partitionCreated: partitions.created_timestamps,
    });
  }
  const databases = await client.listDatabases();
  return {
    described,
    databases: { names: databases.db_names, ids: databases.db_ids, created: databases.created_timestamp },
  };
}

async function populate(client: MilvusClient) {
  await client.createDatabase({ db_name: 'reports', properties: { 'database.replica.number': 1 } });
  await client.createCollection({
    collection_name: 'docs',
    fields: [
      { name: 'id', data_type: DataType.Int64, is_primary_key: true, autoID: true },
      { name: 'title', data_type: DataType.VarChar, max_length: 200, nullable: true },
      { name: 'year', data_type: DataType.Int32, default_value: 2024 },
      { name: 'embedding', data_type: DataType.FloatVector, dim: 32 },
    ],
    enable_dynamic_field: true,
    consistency_level: 'Session',
    properties: { 'collection.ttl.seconds': 100 },
  });
  await client.createPartition({ collection_name: 'docs', partition_name: 'archive' });
  await client.createAlias({ collection_name: 'docs', alias: 'documents' });
  await client.createCollection({
    collection_name: 'keyed',
    fields: [
      { name: 'pk', data_type: DataType.VarChar, is_primary_key: true, max_length: 64 },
      { name: 'org', data_type: DataType.Int64, is_partition_key: true },
      { name: 'bits', data_type: DataType.BinaryVector, dim: 128 },
    ],
    num_partitions: 4,
  });
}

describe('catalog persistence across restarts', () => {
  const dirs: string[] = [];
  after(async () => {
    for (const dir of dirs) await removeDir(dir);
  });

  test('a clean restart keeps databases, schemas, IDs, timestamps, partitions and aliases', async () => {
    const dataDir = await makeTempDataDir();
    dirs.push(dataDir);
    const first = await startQuiver({ dataDir });
    const startup = first.logLines.find((line) => line.includes('serving Milvus gRPC'));
    assert.ok(startup, 'one startup line');
    assert.match(startup, /Quiver \d+\.\d+\.\d+/);
    assert.ok(startup.includes(dataDir), 'startup line names the data dir');
    let client = connectClient(first.address);
    await populate(client);
    const before = await snapshot(client);
    await client.closeConnection();
    assert.equal(await first.stop(), 0, 'SIGTERM exits cleanly with code 0');

    const second = await startQuiver({ dataDir });
    client = connectClient(second.address);
    const afterRestart = await snapshot(client);
    assert.deepEqual(afterRestart, before);
    assert.equal(
      (await client.describeAlias({ collection_name: 'docs', alias: 'documents' })).collection,
      'docs',
    );
    // New objects get fresh IDs and later timestamps than anything before the restart.
    await client.createCollection({
      collection_name: 'later',
      fields: [
        { name: 'id', data_type: DataType.Int64, is_primary_key: true },
        { name: 'v', data_type: DataType.FloatVector, dim: 4 },
      ],
    });
    const later = await client.describeCollection({ collection_name: 'later' });
    const earlierIds = before.described.map((d) => Number(d.id));
    assert.ok(earlierIds.every((id) => Number(later.collectionID) > id));
    assert.ok(before.described.every((d) => BigInt(later.created_timestamp) > BigInt(d.updated)));
    await client.closeConnection();
    await second.stop();
  });

  test('acknowledged DDL survives SIGKILL', async () => {
    const dataDir = await makeTempDataDir();
    dirs.push(dataDir);
    const first = await startQuiver({ dataDir });
    let client = connectClient(first.address);
    await populate(client);
    const before = await snapshot(client);
    await client.closeConnection();
    await first.kill();

    const second = await startQuiver({ dataDir });
    client = connectClient(second.address);
    assert.deepEqual(await snapshot(client), before);
    await client.closeConnection();
    await second.stop();
  });

  test('a corrupted metadata file stops startup with a message naming the file', async () => {
    const dataDir = await makeTempDataDir();
    dirs.push(dataDir);
    const first = await startQuiver({ dataDir });
    const client = connectClient(first.address);
    await populate(client);
    await client.closeConnection();
    await first.stop();
    const file = join(dataDir, 'meta', 'catalog.qmeta');
    const bytes = await readFile(file);
    bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0xff;
    await writeFile(file, bytes);
    await assert.rejects(startQuiver({ dataDir }), (error: Error) => {
      assert.ok(error.message.includes(file), `message names ${file}: ${error.message}`);
      assert.match(error.message, /corrupt/);
      return true;
    });
    await writeFile(file, bytes.subarray(0, 20));
    await assert.rejects(startQuiver({ dataDir }), (error: Error) => error.message.includes(file));
  });

  test('a second server on the same data directory is refused', async () => {
    const dataDir = await makeTempDataDir();
    dirs.push(dataDir);
    const first = await startQuiver({ dataDir });
    await assert.rejects(startQuiver({ dataDir }), /in use by another Quiver process/);
    await first.stop();
  });
});
