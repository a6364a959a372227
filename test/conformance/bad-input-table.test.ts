import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type QuiverProcess, removeDir, startQuiver } from '../helpers/quiver-process.js';
import { rawMilvusCall, schemaBytes } from '../helpers/raw-milvus-call.js';

interface WireStatus {
  code: number;
  error_code: string;
  reason: string;
}

const goodSchema = (name: string) =>
  schemaBytes({
    name,
    fields: [
      { name: 'id', data_type: 'Int64', is_primary_key: true },
      { name: 'v', data_type: 'FloatVector', type_params: [{ key: 'dim', value: '4' }] },
    ],
  });

/**
 * Three or more bad requests for every catalog RPC, each with the Milvus code it must produce and
 * a fragment of the message. Sent raw, so no SDK-side check hides a server answer.
 */
const cases: Array<[rpc: string, request: object, code: number, reason: RegExp]> = [
  ['CreateDatabase', { db_name: '' }, 802, /database name couldn't be empty/],
  [
    'CreateDatabase',
    { db_name: '1db' },
    802,
    /first character of a database name must be an underscore or letter/,
  ],
  ['CreateDatabase', { db_name: 'existing_db' }, 65535, /database already exist: existing_db/],
  ['DropDatabase', { db_name: 'default' }, 65535, /can not drop default database/],
  [
    'DropDatabase',
    { db_name: 'bad-name' },
    802,
    /database name can only contain numbers, letters and underscores/,
  ],
  ['DropDatabase', { db_name: 'busy_db' }, 65535, /not empty, must drop all collections/],
  ['DescribeDatabase', { db_name: 'nowhere' }, 800, /database not found\[database=nowhere\]/],
  ['DescribeDatabase', { db_name: 'also_missing' }, 800, /database not found/],
  ['DescribeDatabase', { db_name: 'x'.repeat(300) }, 800, /database not found/],
  [
    'AlterDatabase',
    { db_name: 'nowhere', properties: [{ key: 'a', value: '1' }] },
    800,
    /database not found/,
  ],
  ['AlterDatabase', { db_name: 'gone', properties: [] }, 800, /database not found/],
  ['AlterDatabase', { db_name: '', properties: [], delete_keys: [] }, 0, /^$/],
  [
    'CreateCollection',
    { collection_name: 'c_bad', schema: Buffer.from([0xff, 0x01]) },
    1100,
    /failed to parse/,
  ],
  [
    'CreateCollection',
    { collection_name: '', schema: goodSchema('') },
    1100,
    /collection name should not be empty/,
  ],
  [
    'CreateCollection',
    { collection_name: 'c_other', schema: goodSchema('c_other'), db_name: 'nowhere' },
    800,
    /database not found/,
  ],
  [
    'DescribeCollection',
    { collection_name: 'ghost' },
    100,
    /can't find collection\[database=default\]\[collection=ghost\]/,
  ],
  ['DescribeCollection', { collection_name: 'bad-name' }, 1100, /Invalid collection name/],
  ['DescribeCollection', { collection_name: 'ghost', db_name: 'nowhere' }, 800, /database not found/],
  ['HasCollection', { collection_name: '' }, 1100, /collection name should not be empty/],
  ['HasCollection', { collection_name: 'bad name' }, 1100, /Invalid collection name/],
  ['HasCollection', { collection_name: 'x', db_name: 'nowhere' }, 800, /database not found/],
  ['ShowCollections', { db_name: 'nowhere' }, 800, /database not found/],
  ['ShowCollections', { collection_names: ['ghost'] }, 100, /collection not found/],
  ['ShowCollections', { collection_names: ['existing', 'ghost2'] }, 100, /ghost2/],
  ['DropCollection', { collection_name: '' }, 1100, /collection name should not be empty/],
  [
    'DropCollection',
    { collection_name: 'existing_alias' },
    1100,
    /cannot drop the collection via alias = existing_alias/,
  ],
  ['DropCollection', { collection_name: 'x', db_name: 'nowhere' }, 800, /database not found/],
  ['RenameCollection', { oldName: 'ghost', newName: 'g2' }, 100, /collection not found/],
  [
    'RenameCollection',
    { oldName: 'existing', newName: 'existing2' },
    65535,
    /duplicated new collection name default:existing2/,
  ],
  ['RenameCollection', { oldName: 'existing', newName: '9bad' }, 1100, /Invalid collection name/],
  [
    'AlterCollection',
    { collection_name: 'ghost', properties: [{ key: 'a', value: 'b' }] },
    100,
    /collection not found/,
  ],
  [
    'AlterCollection',
    { collection_name: 'existing', properties: [{ key: 'collection.ttl.seconds', value: 'soon' }] },
    1100,
    /collection.ttl.seconds/,
  ],
  [
    'AlterCollection',
    { collection_name: 'existing', properties: [{ key: 'a', value: 'b' }], delete_keys: ['c'] },
    1100,
    /cannot provide both/,
  ],
  ['CreatePartition', { collection_name: 'ghost', partition_name: 'p' }, 100, /collection not found/],
  [
    'CreatePartition',
    { collection_name: 'existing', partition_name: '' },
    65535,
    /Partition name should not be empty/,
  ],
  ['CreatePartition', { collection_name: 'keyed', partition_name: 'p' }, 1100, /partition key mode/],
  [
    'DropPartition',
    { collection_name: 'existing', partition_name: '_default' },
    1100,
    /default partition cannot be deleted/,
  ],
  ['DropPartition', { collection_name: 'ghost', partition_name: 'p' }, 100, /collection not found/],
  ['DropPartition', { collection_name: 'keyed', partition_name: '_default_0' }, 1100, /partition key mode/],
  ['HasPartition', { collection_name: 'ghost', partition_name: 'p' }, 100, /collection not found/],
  [
    'HasPartition',
    { collection_name: 'existing', partition_name: '' },
    65535,
    /Partition name should not be empty/,
  ],
  ['HasPartition', { collection_name: '', partition_name: 'p' }, 1100, /collection name should not be empty/],
  ['ShowPartitions', { collection_name: 'ghost' }, 100, /collection not found/],
  [
    'ShowPartitions',
    { collection_name: 'existing', partition_names: ['nope'] },
    200,
    /partition not found\[partition=nope\]/,
  ],
  ['ShowPartitions', { collection_name: '' }, 1100, /collection name should not be empty/],
  ['CreateAlias', { collection_name: 'ghost', alias: 'a1' }, 100, /collection not found/],
  [
    'CreateAlias',
    { collection_name: 'existing', alias: 'existing' },
    1601,
    /alias and collection name conflict/,
  ],
  ['CreateAlias', { collection_name: 'keyed', alias: 'existing_alias' }, 1602, /alias already exist/],
  ['CreateAlias', { collection_name: 'existing', alias: '' }, 1100, /collection alias should not be empty/],
  ['DropAlias', { alias: '' }, 1100, /collection alias should not be empty/],
  ['DropAlias', { alias: 'bad alias' }, 1100, /Invalid collection alias: bad alias/],
  ['DropAlias', { alias: 'a', db_name: 'nowhere' }, 800, /database not found/],
  ['AlterAlias', { collection_name: 'existing', alias: 'never_made' }, 1600, /alias not found/],
  ['AlterAlias', { collection_name: 'ghost', alias: 'existing_alias' }, 100, /collection not found/],
  ['AlterAlias', { collection_name: 'keyed', alias: 'existing' }, 1601, /alias and collection name conflict/],
  ['DescribeAlias', { alias: 'never_made' }, 1600, /alias not found\[database=default\]\[alias=never_made\]/],
  ['DescribeAlias', { alias: '' }, 1100, /collection alias should not be empty/],
  ['DescribeAlias', { alias: 'a', db_name: 'nowhere' }, 800, /database not found/],
  ['ListAliases', { collection_name: 'ghost' }, 100, /collection not found/],
  ['ListAliases', { collection_name: 'bad name' }, 1100, /Invalid collection name/],
  ['ListAliases', { db_name: 'nowhere' }, 800, /database not found/],
];

describe('every catalog RPC refuses bad input with Milvus codes', () => {
  let server: QuiverProcess;

  before(async () => {
    server = await startQuiver();
    const call = (rpc: string, request: object) => rawMilvusCall<WireStatus>(server.address, rpc, request);
    await call('CreateDatabase', { db_name: 'existing_db' });
    await call('CreateDatabase', { db_name: 'busy_db' });
    await call('CreateCollection', {
      collection_name: 'busy',
      schema: goodSchema('busy'),
      db_name: 'busy_db',
    });
    await call('CreateCollection', { collection_name: 'existing', schema: goodSchema('existing') });
    await call('CreateCollection', { collection_name: 'existing2', schema: goodSchema('existing2') });
    await call('CreateCollection', {
      collection_name: 'keyed',
      schema: schemaBytes({
        name: 'keyed',
        fields: [
          { name: 'id', data_type: 'Int64', is_primary_key: true },
          { name: 'k', data_type: 'Int64', is_partition_key: true },
          { name: 'v', data_type: 'FloatVector', type_params: [{ key: 'dim', value: '4' }] },
        ],
      }),
      num_partitions: '2',
    });
    await call('CreateAlias', { collection_name: 'existing', alias: 'existing_alias' });
  });

  after(async () => {
    await server.stop();
    await removeDir(server.dataDir);
  });

  for (const [rpc, request, code, reason] of cases) {
    test(`${rpc} ${JSON.stringify(request, (_, v) => (typeof v === 'string' && v.length > 40 ? `${v.slice(0, 8)}…` : v))}`, async () => {
      const response = await rawMilvusCall<{ status?: WireStatus } & WireStatus>(
        server.address,
        rpc,
        request,
      );
      const status = response.status ?? response;
      assert.equal(status.code, code, status.reason);
      assert.match(status.reason, reason);
    });
  }

  test('every catalog RPC has at least three bad inputs in this table', () => {
    const counts = new Map<string, number>();
    for (const [rpc] of cases) counts.set(rpc, (counts.get(rpc) ?? 0) + 1);
    for (const [rpc, count] of counts) assert.ok(count >= 3, `${rpc} has ${count}`);
    assert.equal(counts.size, 20);
  });
});
