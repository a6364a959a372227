import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isQuiverError } from '../../errors/index.js';
import { type CollectionSchema, DataType, makeFieldSchema } from '../../schema/index.js';
import { MemoryMetaStore } from '../../storage/memory/memory-meta-store.js';
import type { MetaBatch, MetaStore } from '../../storage/meta-store.js';
import { Catalog } from './catalog.js';
import { TimestampOracle } from './timestamp-oracle.js';

/** The real in-memory backend, with commits that can be made to fail (an I/O error, a full disk). */
class FlakyStore implements MetaStore {
  failCommits = false;
  constructor(private readonly inner: MetaStore) {}
  open() {
    return this.inner.open();
  }
  get(key: string) {
    return this.inner.get(key);
  }
  list(prefix: string) {
    return this.inner.list(prefix);
  }
  commit(batch: MetaBatch) {
    if (this.failCommits) return Promise.reject(new Error('ENOSPC: no space left on device'));
    return this.inner.commit(batch);
  }
  close() {
    return this.inner.close();
  }
}

const field = makeFieldSchema;

function schema(name: string): CollectionSchema {
  return {
    name,
    description: '',
    autoId: false,
    enableDynamicField: false,
    functions: [],
    fields: [
      field('id', DataType.Int64, { isPrimaryKey: true }),
      field('v', DataType.FloatVector, { typeParams: { dim: '4' } }),
    ],
  };
}

async function openCatalog() {
  const store = new FlakyStore(new MemoryMetaStore());
  await store.open();
  const tso = await TimestampOracle.open(store);
  return { store, catalog: await Catalog.open(store, tso) };
}

const newCollection = (name: string) => ({
  name,
  schema: schema(name),
  shardsNum: 1,
  consistencyLevel: 'Bounded' as const,
  properties: {},
  partitionKeyPartitions: 0,
});

test('field IDs start at 100 in declaration order; the default database always exists', async () => {
  const { catalog } = await openCatalog();
  assert.deepEqual(
    catalog.listDatabases().map((d) => d.name),
    ['default'],
  );
  const created = await catalog.createCollection('', newCollection('c1'));
  assert.deepEqual(
    created.schema.fields.map((f) => f.fieldId),
    [100, 101],
  );
  assert.deepEqual(
    created.partitions.map((p) => p.name),
    ['_default'],
  );
});

test('a failed commit leaves the catalog exactly as it was, and the next commit works', async () => {
  const { store, catalog } = await openCatalog();
  await catalog.createCollection('default', newCollection('kept'));
  const before = JSON.stringify(catalog.listCollections('default'), (_, v) =>
    typeof v === 'bigint' ? String(v) : v,
  );
  store.failCommits = true;
  const attempts = [
    () => catalog.createCollection('default', newCollection('lost')),
    () => catalog.createPartition('default', 'kept', 'p1'),
    () => catalog.createAlias('default', 'kept', 'k'),
    () => catalog.renameCollection('default', 'kept', 'renamed'),
    () => catalog.alterCollectionProperties('default', 'kept', { a: 'b' }, []),
    () => catalog.dropCollection('default', 'kept'),
    () => catalog.createDatabase('other', {}),
  ];
  for (const attempt of attempts) {
    await assert.rejects(
      attempt(),
      (error: unknown) => isQuiverError(error) && /no space left/.test(error.reason),
    );
  }
  const after = JSON.stringify(catalog.listCollections('default'), (_, v) =>
    typeof v === 'bigint' ? String(v) : v,
  );
  assert.equal(after, before);
  assert.deepEqual(catalog.listAliases('default'), []);
  assert.deepEqual(
    catalog.listDatabases().map((d) => d.name),
    ['default'],
  );
  store.failCommits = false;
  const next = await catalog.createCollection('default', newCollection('next'));
  const kept = catalog.getCollection('default', 'kept');
  assert.ok(next.id > kept.id, 'IDs handed out by failed commits are not reused in a way that collides');
});

test('concurrent DDL on one name is serialised: one create wins, the other sees it', async () => {
  const { catalog } = await openCatalog();
  const [a, b] = await Promise.all([
    catalog.createCollection('default', newCollection('race')),
    catalog.createCollection('default', newCollection('race')),
  ]);
  assert.equal(a.id, b.id);
  assert.equal(catalog.listCollections('default').length, 1);
});

test('a reopened catalog over the same store sees everything', async () => {
  const store = new MemoryMetaStore();
  await store.open();
  const first = await Catalog.open(store, await TimestampOracle.open(store));
  await first.createDatabase('db2', { k: 'v' });
  await first.createCollection('db2', newCollection('c'));
  await first.createAlias('db2', 'c', 'alias_c');
  const second = await Catalog.open(store, await TimestampOracle.open(store));
  assert.equal(second.getCollection('db2', 'alias_c').name, 'c');
  assert.deepEqual(second.getDatabase('db2').properties, { k: 'v' });
});
