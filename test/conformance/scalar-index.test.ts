import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DataType, type MilvusClient } from '@zilliz/milvus2-sdk-node';
import { connectClient } from '../helpers/milvus-client.js';
import { type QuiverProcess, removeDir, startQuiver } from '../helpers/quiver-process.js';

const categories = ['database', 'search', 'storage', 'network'];

/** Index files are built in the background after CreateIndex; wait for them to appear. */
async function waitForIndexFiles(dir: string, count: number): Promise<string[]> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const files = (await readdir(dir)).filter((f) => f.endsWith('.qidx'));
    if (files.length >= count) return files;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`index files did not appear in ${dir}`);
}

describe('scalar indexes through the Node SDK: declared, built beside sealed segments, used, persisted', () => {
  let server: QuiverProcess;
  let client: MilvusClient;

  before(async () => {
    server = await startQuiver();
    client = connectClient(server.address);
    await client.createCollection({
      collection_name: 'papers',
      fields: [
        { name: 'id', data_type: DataType.Int64, is_primary_key: true },
        { name: 'year', data_type: DataType.Int64 },
        { name: 'category', data_type: DataType.VarChar, max_length: 32 },
        { name: 'flag', data_type: DataType.Bool },
        { name: 'v', data_type: DataType.FloatVector, dim: 2 },
      ],
    });
    await client.loadCollection({ collection_name: 'papers' });
    const data = Array.from({ length: 400 }, (_, id) => ({
      id,
      year: 2000 + (id % 30),
      category: categories[id % categories.length]!,
      flag: id % 3 === 0,
      v: [id, 1],
    }));
    await client.insert({ collection_name: 'papers', data });
    await client.flushSync({ collection_names: ['papers'] });
  });

  after(async () => {
    await client.closeConnection();
    await server.stop();
    await removeDir(server.dataDir);
  });

  const expected = (row: { year: number; category: string }) =>
    row.year >= 2023 && row.category === 'database';
  const expectedIds = Array.from({ length: 400 }, (_, id) => id).filter((id) =>
    expected({ year: 2000 + (id % 30), category: categories[id % categories.length]! }),
  );

  async function queryIds(): Promise<number[]> {
    const result = await client.query({
      collection_name: 'papers',
      filter: 'year >= 2023 and category == "database"',
      output_fields: ['id'],
      limit: 1000,
    });
    assert.equal(result.status.error_code, 'Success', result.status.reason);
    return result.data.map((row) => Number(row.id));
  }

  test('CreateIndex for every scalar index type; DescribeIndex reports them', async () => {
    for (const [field_name, index_type] of [
      ['year', 'STL_SORT'],
      ['category', 'Trie'],
      ['flag', 'BITMAP'],
      ['id', 'INVERTED'],
    ] as const) {
      const status = await client.createIndex({ collection_name: 'papers', field_name, index_type });
      assert.equal(status.error_code, 'Success', `${field_name}: ${status.reason}`);
    }
    const described = await client.describeIndex({ collection_name: 'papers', field_name: 'category' });
    assert.equal(described.index_descriptions[0]?.params.find((p) => p.key === 'index_type')?.value, 'Trie');
    const [collectionDir] = await readdir(join(server.dataDir, 'collections'));
    const files = await waitForIndexFiles(join(server.dataDir, 'collections', collectionDir!), 4);
    assert.equal(files.length, 4);
  });

  test('Milvus refuses an index type a field cannot take', async () => {
    const trieOnInt = await client.createIndex({
      collection_name: 'papers',
      field_name: 'year',
      index_name: 'x',
      index_type: 'Trie',
    });
    assert.notEqual(trieOnInt.error_code, 'Success');
    const bitmapOnFloatVector = await client.createIndex({
      collection_name: 'papers',
      field_name: 'v',
      index_type: 'BITMAP',
    });
    assert.notEqual(bitmapOnFloatVector.error_code, 'Success');
  });

  test('filters answered with indexes give the same rows as the definition, and survive a restart', async () => {
    assert.deepEqual(await queryIds(), expectedIds);
    await client.closeConnection();
    assert.equal(await server.stop(), 0);
    server = await startQuiver({ dataDir: server.dataDir });
    client = connectClient(server.address);
    assert.deepEqual(await queryIds(), expectedIds);
    const flagged = await client.query({
      collection_name: 'papers',
      filter: 'flag == true',
      output_fields: ['count(*)'],
    });
    assert.equal(
      Number(flagged.data[0]?.['count(*)']),
      Array.from({ length: 400 }, (_, id) => id).filter((id) => id % 3 === 0).length,
    );
  });

  test('DropIndex removes the index files', async () => {
    const [collectionDir] = await readdir(join(server.dataDir, 'collections'));
    const dir = join(server.dataDir, 'collections', collectionDir!);
    assert.equal(
      (await client.dropIndex({ collection_name: 'papers', field_name: 'category' })).error_code,
      'Success',
    );
    for (let attempt = 0; attempt < 200; attempt++) {
      if ((await readdir(dir)).filter((f) => f.endsWith('.qidx')).length === 3) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal((await readdir(dir)).filter((f) => f.endsWith('.qidx')).length, 3);
    assert.deepEqual(await queryIds(), expectedIds);
  });
});
