import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DataType, type FieldType, type MilvusClient } from '@zilliz/milvus2-sdk-node';
import { connectClient } from '../helpers/milvus-client.js';
import { type QuiverProcess, removeDir, startQuiver } from '../helpers/quiver-process.js';

/** Scalar types, every one of them, plus one vector (Milvus requires at least one). */
const scalarFields: FieldType[] = [
  { name: 'id', data_type: DataType.Int64, is_primary_key: true, autoID: false, description: 'primary key' },
  { name: 'flag', data_type: DataType.Bool },
  { name: 'i8', data_type: DataType.Int8 },
  { name: 'i16', data_type: DataType.Int16 },
  { name: 'i32', data_type: DataType.Int32, nullable: true },
  { name: 'i64', data_type: DataType.Int64, default_value: 7 },
  { name: 'f32', data_type: DataType.Float },
  { name: 'f64', data_type: DataType.Double },
  { name: 'title', data_type: DataType.VarChar, max_length: 128, default_value: 'untitled' },
  { name: 'meta', data_type: DataType.JSON },
  {
    name: 'tags',
    data_type: DataType.Array,
    element_type: DataType.VarChar,
    max_capacity: 8,
    max_length: 16,
  },
  { name: 'scores', data_type: DataType.Array, element_type: DataType.Int32, max_capacity: 4 },
  { name: 'embedding', data_type: DataType.FloatVector, dim: 8 },
];

/** Every vector type, on a VarChar primary key. */
const vectorFields: FieldType[] = [
  { name: 'pk', data_type: DataType.VarChar, is_primary_key: true, max_length: 36 },
  { name: 'dense', data_type: DataType.FloatVector, dim: 16 },
  { name: 'half', data_type: DataType.Float16Vector, dim: 16 },
  { name: 'brain', data_type: DataType.BFloat16Vector, dim: 16 },
  { name: 'bits', data_type: DataType.BinaryVector, dim: 64 },
];

const sparseFields: FieldType[] = [
  { name: 'id', data_type: DataType.Int64, is_primary_key: true, autoID: true },
  { name: 'sparse', data_type: DataType.SparseFloatVector },
];

function typeParam(
  field: { type_params: Array<{ key: string; value: unknown }> },
  key: string,
): string | undefined {
  const value = field.type_params.find((p) => p.key === key)?.value;
  return value === undefined ? undefined : String(value);
}

/** The SDK unwraps the ValueField oneof into the plain value (int64 as a decimal string). */
function defaultValueOf(field: { default_value?: unknown } | undefined): string | undefined {
  return field?.default_value === undefined ? undefined : String(field.default_value);
}

describe('catalog through the Node SDK', () => {
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

  test('create and describe a collection with every scalar type, nullable and default values', async () => {
    const created = await client.createCollection({
      collection_name: 'all_scalars',
      fields: scalarFields,
      enable_dynamic_field: true,
      description: 'every scalar',
      consistency_level: 'Strong',
      properties: { 'collection.ttl.seconds': 3600 },
    });
    assert.equal(created.error_code, 'Success', created.reason);
    const described = await client.describeCollection({ collection_name: 'all_scalars' });
    assert.equal(described.status.error_code, 'Success');
    assert.equal(described.collection_name, 'all_scalars');
    assert.equal(described.consistency_level, 'Strong');
    assert.equal(described.schema.enable_dynamic_field, true);
    assert.equal(described.schema.description, 'every scalar');
    assert.equal(described.db_name, 'default');
    assert.equal(described.shards_num, 1);
    assert.deepEqual(
      described.schema.fields.map((f) => [f.name, f.data_type, f.fieldID]),
      scalarFields.map((f, i) => [f.name, DataType[f.data_type as DataType], String(100 + i)]),
    );
    const byName = new Map(described.schema.fields.map((f) => [f.name, f]));
    assert.equal(byName.get('id')?.is_primary_key, true);
    assert.equal(byName.get('i32')?.nullable, true);
    assert.equal(defaultValueOf(byName.get('i64')), '7');
    assert.equal(defaultValueOf(byName.get('title')), 'untitled');
    assert.equal(typeParam(byName.get('title')!, 'max_length'), '128');
    assert.equal(byName.get('tags')?.element_type, 'VarChar');
    assert.equal(typeParam(byName.get('tags')!, 'max_capacity'), '8');
    assert.equal(typeParam(byName.get('embedding')!, 'dim'), '8');
    assert.ok(!described.schema.fields.some((f) => f.name === '$meta'), 'the dynamic field stays hidden');
    assert.deepEqual(
      described.properties.find((p) => p.key === 'collection.ttl.seconds'),
      { key: 'collection.ttl.seconds', value: '3600' },
    );
    assert.ok(BigInt(described.created_timestamp) > 0n);
    assert.ok(Number(described.created_utc_timestamp) > 1.7e12);
  });

  test('every vector type, a VarChar primary key, and sparse vectors with auto_id', async () => {
    assert.equal(
      (await client.createCollection({ collection_name: 'all_vectors', fields: vectorFields })).error_code,
      'Success',
    );
    const vectors = await client.describeCollection({ collection_name: 'all_vectors' });
    assert.deepEqual(
      vectors.schema.fields.map((f) => [
        f.name,
        f.data_type,
        typeParam(f, 'dim') ?? typeParam(f, 'max_length'),
      ]),
      [
        ['pk', 'VarChar', '36'],
        ['dense', 'FloatVector', '16'],
        ['half', 'Float16Vector', '16'],
        ['brain', 'BFloat16Vector', '16'],
        ['bits', 'BinaryVector', '64'],
      ],
    );
    assert.equal(
      (await client.createCollection({ collection_name: 'sparse_only', fields: sparseFields })).error_code,
      'Success',
    );
    const sparse = await client.describeCollection({ collection_name: 'sparse_only' });
    assert.equal(sparse.schema.fields[0]?.autoID, true);
    assert.equal(sparse.schema.fields[1]?.data_type, 'SparseFloatVector');
  });

  test('partition key collections get num_partitions partitions and refuse manual partitions', async () => {
    const created = await client.createCollection({
      collection_name: 'tenants',
      fields: [
        { name: 'id', data_type: DataType.Int64, is_primary_key: true },
        { name: 'tenant', data_type: DataType.VarChar, max_length: 32, is_partition_key: true },
        { name: 'v', data_type: DataType.FloatVector, dim: 4 },
      ],
      num_partitions: 8,
    });
    assert.equal(created.error_code, 'Success', created.reason);
    const described = await client.describeCollection({ collection_name: 'tenants' });
    assert.equal(described.num_partitions, '8');
    const partitions = await client.listPartitions({ collection_name: 'tenants' });
    assert.equal(partitions.partition_names.length, 8);
    assert.equal(partitions.partition_names[0], '_default_0');
    const refused = await client.createPartition({ collection_name: 'tenants', partition_name: 'p1' });
    assert.equal(refused.code, 1100);
    assert.match(refused.reason, /disable create partition if partition key mode is used/);
    const refusedDrop = await client.dropPartition({
      collection_name: 'tenants',
      partition_name: '_default_0',
    });
    assert.equal(refusedDrop.code, 1100);
  });

  test('has, list, rename, alter and drop collections', async () => {
    const fields: FieldType[] = [
      { name: 'id', data_type: DataType.Int64, is_primary_key: true },
      { name: 'v', data_type: DataType.FloatVector, dim: 4 },
    ];
    await client.createCollection({ collection_name: 'to_rename', fields });
    assert.equal((await client.hasCollection({ collection_name: 'to_rename' })).value, true);
    assert.equal((await client.hasCollection({ collection_name: 'nope' })).value, false);
    const listed = await client.showCollections();
    assert.ok(listed.data.some((c) => c.name === 'to_rename'));
    const renamed = await client.renameCollection({
      collection_name: 'to_rename',
      new_collection_name: 'renamed',
    });
    assert.equal(renamed.error_code, 'Success', renamed.reason);
    assert.equal((await client.hasCollection({ collection_name: 'to_rename' })).value, false);
    const described = await client.describeCollection({ collection_name: 'renamed' });
    assert.equal(described.schema.name, 'renamed');
    const altered = await client.alterCollectionProperties({
      collection_name: 'renamed',
      properties: { 'collection.ttl.seconds': 60 },
    });
    assert.equal(altered.error_code, 'Success', altered.reason);
    const afterAlter = await client.describeCollection({ collection_name: 'renamed' });
    assert.equal(afterAlter.properties.find((p) => p.key === 'collection.ttl.seconds')?.value, '60');
    assert.ok(BigInt(afterAlter.update_timestamp) > BigInt(described.update_timestamp));
    const dropped = await client.dropCollectionProperties({
      collection_name: 'renamed',
      properties: ['collection.ttl.seconds'],
    });
    assert.equal(dropped.error_code, 'Success', dropped.reason);
    const afterDrop = await client.describeCollection({ collection_name: 'renamed' });
    assert.equal(
      afterDrop.properties.find((p) => p.key === 'collection.ttl.seconds'),
      undefined,
    );
    assert.equal((await client.dropCollection({ collection_name: 'renamed' })).error_code, 'Success');
    assert.equal((await client.hasCollection({ collection_name: 'renamed' })).value, false);
    // Milvus treats dropping a missing collection as success.
    assert.equal((await client.dropCollection({ collection_name: 'renamed' })).error_code, 'Success');
  });

  test('repeating an identical create succeeds; a different schema under the same name fails', async () => {
    const fields: FieldType[] = [
      { name: 'id', data_type: DataType.Int64, is_primary_key: true },
      { name: 'v', data_type: DataType.FloatVector, dim: 4 },
    ];
    assert.equal((await client.createCollection({ collection_name: 'twice', fields })).error_code, 'Success');
    const first = await client.describeCollection({ collection_name: 'twice' });
    assert.equal((await client.createCollection({ collection_name: 'twice', fields })).error_code, 'Success');
    assert.equal(
      (await client.describeCollection({ collection_name: 'twice' })).collectionID,
      first.collectionID,
    );
    // The SDK throws the status when createCollection fails.
    const clash = await client
      .createCollection({
        collection_name: 'twice',
        fields: [fields[0]!, { name: 'v', data_type: DataType.FloatVector, dim: 8 }],
      })
      .catch((status: { code: number; reason: string }) => status);
    assert.equal(clash.code, 65535);
    assert.match(clash.reason, /create duplicate collection with different parameters, collection: twice/);
  });

  test('partitions: create, has, list, drop, and Milvus errors', async () => {
    await client.createCollection({
      collection_name: 'parts',
      fields: [
        { name: 'id', data_type: DataType.Int64, is_primary_key: true },
        { name: 'v', data_type: DataType.FloatVector, dim: 4 },
      ],
    });
    assert.equal(
      (await client.createPartition({ collection_name: 'parts', partition_name: 'p2024' })).error_code,
      'Success',
    );
    assert.equal(
      (await client.hasPartition({ collection_name: 'parts', partition_name: 'p2024' })).value,
      true,
    );
    assert.equal(
      (await client.hasPartition({ collection_name: 'parts', partition_name: 'p1999' })).value,
      false,
    );
    const listed = await client.listPartitions({ collection_name: 'parts' });
    assert.deepEqual(listed.partition_names, ['_default', 'p2024']);
    assert.equal(listed.partitionIDs.length, 2);
    const defaultDrop = await client.dropPartition({ collection_name: 'parts', partition_name: '_default' });
    assert.equal(defaultDrop.code, 1100);
    assert.match(defaultDrop.reason, /default partition cannot be deleted/);
    assert.equal(
      (await client.dropPartition({ collection_name: 'parts', partition_name: 'p2024' })).error_code,
      'Success',
    );
    assert.deepEqual((await client.listPartitions({ collection_name: 'parts' })).partition_names, [
      '_default',
    ]);
    const missing = await client.createPartition({ collection_name: 'no_such', partition_name: 'p' });
    assert.equal(missing.code, 100);
    assert.equal(missing.error_code, 'CollectionNotExists');
    // Milvus's proxy returns this as a plain error: generic code 65535 with its message.
    const badName = await client.createPartition({ collection_name: 'parts', partition_name: 'bad name!' });
    assert.equal(badName.code, 65535);
    assert.equal(
      badName.reason,
      'Invalid partition name: bad name!. Partition name can only contain numbers, letters and underscores.',
    );
    const missingPartition = await client.listPartitions({
      collection_name: 'parts',
      partition_names: ['ghost'],
    } as { collection_name: string });
    assert.equal(missingPartition.status.code, 200);
  });

  test('aliases: create, describe, list, alter, use in place of the name, drop', async () => {
    const fields: FieldType[] = [
      { name: 'id', data_type: DataType.Int64, is_primary_key: true },
      { name: 'v', data_type: DataType.FloatVector, dim: 4 },
    ];
    await client.createCollection({ collection_name: 'books_v1', fields });
    await client.createCollection({ collection_name: 'books_v2', fields });
    assert.equal(
      (await client.createAlias({ collection_name: 'books_v1', alias: 'books' })).error_code,
      'Success',
    );
    const described = await client.describeAlias({ collection_name: 'books_v1', alias: 'books' });
    assert.equal(described.collection, 'books_v1');
    assert.deepEqual((await client.listAliases({ collection_name: 'books_v1' })).aliases, ['books']);
    const viaAlias = await client.describeCollection({ collection_name: 'books' });
    assert.equal(viaAlias.collection_name, 'books_v1');
    assert.deepEqual(viaAlias.aliases, ['books']);
    assert.equal(
      (await client.alterAlias({ collection_name: 'books_v2', alias: 'books' })).error_code,
      'Success',
    );
    assert.equal(
      (await client.describeAlias({ collection_name: 'books_v1', alias: 'books' })).collection,
      'books_v2',
    );
    const conflict = await client.createAlias({ collection_name: 'books_v1', alias: 'books_v2' });
    assert.equal(conflict.code, 1601);
    const taken = await client.createAlias({ collection_name: 'books_v1', alias: 'books' });
    assert.equal(taken.code, 1602);
    const blocked = await client.dropCollection({ collection_name: 'books_v2' });
    assert.equal(blocked.code, 1100);
    assert.match(blocked.reason, /has associated aliases \[books\]/);
    assert.equal((await client.dropAlias({ alias: 'books' })).error_code, 'Success');
    const gone = await client.describeAlias({ collection_name: 'books_v1', alias: 'books' });
    assert.equal(gone.status.code, 1600);
    const noCollection = await client.createAlias({ collection_name: 'ghost', alias: 'g' });
    assert.equal(noCollection.code, 100);
  });

  test('databases: create, list, describe, alter, use, drop', async () => {
    assert.equal((await client.createDatabase({ db_name: 'analytics' })).error_code, 'Success');
    const again = await client.createDatabase({ db_name: 'analytics' });
    assert.equal(again.code, 65535);
    assert.match(again.reason, /database already exist: analytics/);
    const listed = await client.listDatabases();
    assert.deepEqual(listed.db_names, ['default', 'analytics']);
    const described = await client.describeDatabase({ db_name: 'analytics' });
    assert.equal(described.db_name, 'analytics');
    const altered = await client.alterDatabase({
      db_name: 'analytics',
      properties: { 'database.max.collections': 10 },
    });
    assert.equal(altered.error_code, 'Success', altered.reason);
    const afterAlter = await client.describeDatabase({ db_name: 'analytics' });
    assert.deepEqual(afterAlter.properties, [{ key: 'database.max.collections', value: '10' }]);
    const missing = await client.describeDatabase({ db_name: 'nowhere' });
    assert.equal(missing.status.code, 800);

    const scoped = connectClient(server.address, 'analytics');
    try {
      const fields: FieldType[] = [
        { name: 'id', data_type: DataType.Int64, is_primary_key: true },
        { name: 'v', data_type: DataType.FloatVector, dim: 4 },
      ];
      assert.equal(
        (await scoped.createCollection({ collection_name: 'events', fields })).error_code,
        'Success',
      );
      assert.equal((await scoped.describeCollection({ collection_name: 'events' })).db_name, 'analytics');
      assert.equal(
        (await client.hasCollection({ collection_name: 'events' })).value,
        false,
        'not in default',
      );
      const notEmpty = await client.dropDatabase({ db_name: 'analytics' });
      assert.equal(notEmpty.code, 65535);
      assert.match(notEmpty.reason, /not empty/);
      await scoped.dropCollection({ collection_name: 'events' });
    } finally {
      await scoped.closeConnection();
    }
    assert.equal((await client.dropDatabase({ db_name: 'analytics' })).error_code, 'Success');
    assert.deepEqual((await client.listDatabases()).db_names, ['default']);
    const dropDefault = await client.dropDatabase({ db_name: 'default' });
    assert.notEqual(dropDefault.code, 0);
    assert.match(dropDefault.reason, /can not drop default database/);
  });

  test('missing collections answer code 100 (DescribeCollection in its pymilvus-compatible form)', async () => {
    const described = await client.describeCollection({ collection_name: 'missing_one' });
    assert.equal(described.status.code, 100);
    // Milvus's proxy rewrites this one answer to legacy UnexpectedError + "can't find collection".
    assert.equal(described.status.error_code, 'UnexpectedError');
    assert.equal(described.status.reason, "can't find collection[database=default][collection=missing_one]");
    const dropped = await client.createPartition({ collection_name: 'missing_one', partition_name: 'p' });
    assert.equal(dropped.code, 100);
    assert.equal(dropped.error_code, 'CollectionNotExists');
    assert.equal(dropped.reason, 'collection not found[database=default][collection=missing_one]');
    const renamed = await client.renameCollection({
      collection_name: 'missing_one',
      new_collection_name: 'x',
    });
    assert.equal(renamed.code, 100);
    const altered = await client.alterCollectionProperties({
      collection_name: 'missing_one',
      properties: { a: 1 },
    });
    assert.equal(altered.code, 100);
    const partitions = await client.listPartitions({ collection_name: 'missing_one' });
    assert.equal(partitions.status.code, 100);
  });
});
