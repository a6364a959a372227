import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DataType } from '@zilliz/milvus2-sdk-node';
import { connectClient } from '../helpers/milvus-client.js';
import { removeDir, startQuiver } from '../helpers/quiver-process.js';

describe('the Node SDK query iterator pages through a collection', () => {
  test('every row exactly once, in batches', async () => {
    const server = await startQuiver();
    const client = connectClient(server.address);
    try {
      await client.createCollection({
        collection_name: 'pages',
        fields: [
          { name: 'id', data_type: DataType.Int64, is_primary_key: true },
          { name: 'v', data_type: DataType.FloatVector, dim: 2 },
        ],
      });
      await client.loadCollection({ collection_name: 'pages' });
      const ids = Array.from({ length: 250 }, (_, i) => i * 7);
      await client.insert({ collection_name: 'pages', data: ids.map((id) => ({ id, v: [id, 0] })) });
      const iterator = await client.queryIterator({
        collection_name: 'pages',
        batchSize: 40,
        expr: 'id >= 0',
        output_fields: ['id'],
      });
      const seen: number[] = [];
      let batches = 0;
      for await (const batch of iterator) {
        batches++;
        for (const row of batch as Array<{ id: string }>) seen.push(Number(row.id));
      }
      assert.ok(batches >= 7, `${batches} batches`);
      assert.deepEqual(seen, ids);
    } finally {
      await client.closeConnection();
      await server.stop();
      await removeDir(server.dataDir);
    }
  });
});
