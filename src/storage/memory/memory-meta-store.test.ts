import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runMetaStoreContract } from '../meta-store.contract.js';
import { MemoryMetaStore } from './memory-meta-store.js';

runMetaStoreContract('MemoryMetaStore', async () => {
  const store = new MemoryMetaStore();
  await store.open();
  return { store };
});

test('MemoryMetaStore refuses use before open()', async () => {
  const store = new MemoryMetaStore();
  assert.throws(() => store.get('a'), /not open/);
  assert.throws(() => store.list(''), /not open/);
  await assert.rejects(store.commit({ put: [['a', '1']] }), /not open/);
  await store.open();
  assert.equal(store.get('a'), undefined);
  await store.close();
});
