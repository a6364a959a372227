import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { type CollectionSchema, type ColumnBatch, DataType, makeFieldSchema } from '../schema/index.js';
import { LocalMetaStore } from '../storage/local/local-meta-store.js';
import { StorageEngine } from './storage-engine.js';

const field = makeFieldSchema;

const schema: CollectionSchema = {
  name: 'items',
  description: '',
  autoId: false,
  enableDynamicField: false,
  functions: [],
  fields: [
    field('id', DataType.Int64, { isPrimaryKey: true }),
    field('title', DataType.VarChar, { typeParams: { max_length: '64' } }),
    field('v', DataType.FloatVector, { typeParams: { dim: '4' } }),
  ],
};

function batch(ids: number[], tag = 'x'): ColumnBatch {
  const vectors = new Float32Array(ids.length * 4);
  for (const [i, id] of ids.entries()) vectors.fill(id, i * 4, i * 4 + 4);
  return {
    numRows: ids.length,
    columns: new Map([
      ['id', { type: DataType.Int64, values: BigInt64Array.from(ids.map(BigInt)) }],
      ['title', { type: DataType.VarChar, values: ids.map((id) => `${tag}${id}`) }],
      ['v', { type: DataType.FloatVector, dim: 4, values: vectors }],
    ]),
  } as ColumnBatch;
}

/** Like the real oracle, the clock keeps increasing across engine restarts. */
let clock = 1_000n;

async function withEngine(dir: string, run: (engine: StorageEngine) => Promise<void>, sealRows?: number) {
  const meta = new LocalMetaStore(join(dir, 'meta'));
  await meta.open();
  const allocateTimestamp = async () => {
    clock += 1n;
    return clock << 18n;
  };
  const engine = await StorageEngine.open({ dataDir: dir, metaStore: meta, allocateTimestamp, sealRows }, [
    { id: 7, schema, partitionIds: [70, 71] },
  ]);
  try {
    await run(engine);
  } finally {
    await engine.close();
    await meta.close();
  }
}

function titles(engine: StorageEngine, keys: number[]): string[] {
  const data = engine.collection(7);
  return data
    .lookup(keys.map(BigInt))
    .map((ref) => (ref.segment.column('title')!.values as string[])[ref.row]!);
}

test('inserts, upserts and deletes survive a restart through WAL replay alone', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'quiver-engine-'));
  try {
    await withEngine(dir, async (engine) => {
      await engine.insert(7, [{ partitionId: 70, batch: batch([1, 2, 3]) }]);
      await engine.insert(7, [{ partitionId: 71, batch: batch([2], 'moved') }]); // same key: replaces
      const { deleted } = await engine.delete(7, [3n, 99n]);
      assert.equal(deleted, 1);
      assert.equal(engine.collection(7).liveRows(), 2);
      assert.deepEqual(titles(engine, [1, 2, 3]), ['x1', 'moved2']);
    });
    await withEngine(dir, async (engine) => {
      assert.equal(engine.collection(7).liveRows(), 2);
      assert.deepEqual(titles(engine, [1, 2, 3]), ['x1', 'moved2']);
      assert.equal(engine.collection(7).liveRows(new Set([70])), 1);
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('flush seals segment files, advances the checkpoint, and a restart loads files plus the WAL tail', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'quiver-engine-'));
  try {
    await withEngine(dir, async (engine) => {
      await engine.insert(7, [{ partitionId: 70, batch: batch([1, 2, 3, 4]) }]);
      const flushed = await engine.flush([7]);
      assert.equal(flushed.get(7)?.length, 1);
      const files = await readdir(join(dir, 'collections', '7'));
      assert.equal(files.filter((f) => f.endsWith('.qseg')).length, 1);
      // Deletes after the flush hit the sealed segment, then a second flush persists them.
      await engine.delete(7, [1n]);
      await engine.insert(7, [{ partitionId: 70, batch: batch([5]) }]);
      await engine.flush([7]);
      const after = await readdir(join(dir, 'collections', '7'));
      assert.equal(after.filter((f) => f.endsWith('.qdel')).length, 1);
      await engine.insert(7, [{ partitionId: 71, batch: batch([6], 'tail') }]); // only in the WAL
      await engine.delete(7, [2n]); // only in the WAL, on a sealed row
    });
    await withEngine(dir, async (engine) => {
      assert.equal(engine.collection(7).liveRows(), 4);
      assert.deepEqual(titles(engine, [1, 2, 3, 4, 5, 6]), ['x3', 'x4', 'x5', 'tail6']);
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a segment seals by itself at the row threshold, and rows never duplicate across replay', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'quiver-engine-'));
  try {
    await withEngine(
      dir,
      async (engine) => {
        for (let i = 0; i < 10; i++) {
          await engine.insert(7, [{ partitionId: 70, batch: batch([i * 3, i * 3 + 1, i * 3 + 2]) }]);
        }
        await engine.flush([7]);
      },
      5,
    );
    await withEngine(dir, async (engine) => {
      const data = engine.collection(7);
      assert.equal(data.liveRows(), 30);
      assert.ok(data.segments().length >= 5, `several sealed segments, got ${data.segments().length}`);
      const keys = Array.from({ length: 30 }, (_, i) => i);
      assert.equal(data.lookup(keys.map(BigInt)).length, 30);
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('dropping a collection removes its files; its WAL records are skipped on replay', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'quiver-engine-'));
  try {
    await withEngine(dir, async (engine) => {
      await engine.insert(7, [{ partitionId: 70, batch: batch([1, 2]) }]);
      await engine.flush([7]);
      await engine.dropCollection(7);
      const left = await readdir(join(dir, 'collections')).catch(() => []);
      assert.deepEqual(left, []);
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('after a restart with nothing to replay, reads at lastAppliedTimestamp see the flushed rows', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'quiver-engine-'));
  try {
    await withEngine(dir, async (engine) => {
      await engine.insert(7, [{ partitionId: 70, batch: batch([1, 2]) }]);
      await engine.flush([7]);
    });
    await withEngine(dir, async (engine) => {
      const refs = engine.collection(7).lookup([1n, 2n]);
      assert.equal(refs.length, 2);
      for (const ref of refs) assert.ok(ref.segment.isVisible(ref.row, engine.lastAppliedTimestamp));
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
