import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { DataType } from '@zilliz/milvus2-sdk-node';
import { connectClient } from '../helpers/milvus-client.js';
import { makeTempDataDir, removeDir, startQuiver } from '../helpers/quiver-process.js';

test('a corrupted segment file stops startup with an error naming the file and the segment', async () => {
  const dataDir = await makeTempDataDir();
  try {
    const first = await startQuiver({ dataDir });
    const client = connectClient(first.address);
    await client.createCollection({
      collection_name: 'c',
      fields: [
        { name: 'id', data_type: DataType.Int64, is_primary_key: true },
        { name: 'v', data_type: DataType.FloatVector, dim: 16 },
      ],
    });
    await client.insert({
      collection_name: 'c',
      data: Array.from({ length: 200 }, (_, id) => ({ id, v: Array.from({ length: 16 }, (_, j) => id + j) })),
    });
    await client.flushSync({ collection_names: ['c'] });
    await client.closeConnection();
    assert.equal(await first.stop(), 0);

    const collectionsDir = join(dataDir, 'collections');
    const [collectionDir] = await readdir(collectionsDir);
    const segmentFile = (await readdir(join(collectionsDir, collectionDir!))).find((f) =>
      f.endsWith('.qseg'),
    )!;
    const path = join(collectionsDir, collectionDir!, segmentFile);
    const bytes = await readFile(path);
    bytes[Math.floor(bytes.length / 2)] = bytes[Math.floor(bytes.length / 2)]! ^ 0x5a;
    await writeFile(path, bytes);

    await assert.rejects(startQuiver({ dataDir }), (error: Error) => {
      assert.ok(error.message.includes(path), `names ${path}: ${error.message.slice(0, 2000)}`);
      assert.ok(error.message.includes(segmentFile.split('.')[0]!), 'names the segment');
      assert.match(error.message, /corrupt|checksum/);
      return true;
    });
  } finally {
    await removeDir(dataDir);
  }
});
