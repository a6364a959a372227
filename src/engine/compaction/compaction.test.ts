import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { type CollectionSchema, type ColumnBatch, DataType, makeFieldSchema } from '../../schema/index.js';
import { LocalMetaStore } from '../../storage/local/local-meta-store.js';
import { type EngineFaultStep, StorageEngine } from '../storage-engine.js';

const DIM = 32;

const field = makeFieldSchema;

const schema: CollectionSchema = {
  name: 'c',
  description: '',
  autoId: false,
  enableDynamicField: false,
  functions: [],
  fields: [
    field('id', DataType.Int64, { isPrimaryKey: true }),
    field('v', DataType.FloatVector, { typeParams: { dim: String(DIM) } }),
  ],
};

function batch(first: number, count: number): ColumnBatch {
  const vectors = new Float32Array(count * DIM);
  for (let i = 0; i < count; i++) vectors.fill(first + i, i * DIM, (i + 1) * DIM);
  return {
    numRows: count,
    columns: new Map([
      [
        'id',
        { type: DataType.Int64, values: BigInt64Array.from({ length: count }, (_, i) => BigInt(first + i)) },
      ],
      ['v', { type: DataType.FloatVector, dim: DIM, values: vectors }],
    ]),
  } as ColumnBatch;
}

async function open(dir: string, faultHook?: (step: EngineFaultStep) => void) {
  const meta = new LocalMetaStore(join(dir, 'meta'));
  await meta.open();
  let clock = 5_000n;
  const engine = await StorageEngine.open(
    {
      dataDir: dir,
      metaStore: meta,
      allocateTimestamp: async () => {
        clock += 1n;
        return clock << 18n;
      },
      sealRows: 1000,
      compactionMinSegments: 3,
      faultHook,
    },
    [{ id: 1, schema, partitionIds: [10] }],
  );
  return {
    engine,
    close: async () => {
      await engine.close();
      await meta.close();
    },
  };
}

async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  for (const file of await readdir(dir)) total += (await stat(join(dir, file))).size;
  return total;
}

/** Eight flushed segments of 100 rows, then every other row deleted: ids 0..799, evens live. */
async function populate(engine: StorageEngine): Promise<void> {
  for (let s = 0; s < 8; s++) {
    await engine.insert(1, [{ partitionId: 10, batch: batch(s * 100, 100) }]);
    await engine.flush([1]);
  }
  const odd = Array.from({ length: 400 }, (_, i) => BigInt(i * 2 + 1));
  await engine.delete(1, odd);
  await engine.flush([1]);
}

function liveKeys(engine: StorageEngine): number[] {
  const keys = Array.from({ length: 800 }, (_, i) => BigInt(i));
  return engine
    .collection(1)
    .lookup(keys)
    .map((ref) => Number((ref.segment.column('id')!.values as BigInt64Array)[ref.row]))
    .sort((a, b) => a - b);
}

const evens = Array.from({ length: 400 }, (_, i) => i * 2);

test('compaction merges small segments, purges deleted rows, keeps data, and shrinks disk use', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'quiver-compact-'));
  try {
    let node = await open(dir);
    await populate(node.engine);
    const before = await dirBytes(join(dir, 'collections', '1'));
    const rewritten = await node.engine.compact(1);
    assert.equal(rewritten, 8);
    assert.equal(node.engine.collection(1).segments().length, 1);
    assert.deepEqual(liveKeys(node.engine), evens);
    assert.equal(node.engine.collection(1).liveRows(), 400);
    const after = await dirBytes(join(dir, 'collections', '1'));
    const rawBytes = 400 * (DIM * 4 + 8 + 8); // vectors + pk + insert timestamp
    assert.ok(after < before, `disk use fell from ${before} to ${after}`);
    assert.ok(after <= rawBytes * 1.5, `after compaction ${after} bytes ≤ 1.5 × ${rawBytes} raw`);
    // Writes and deletes keep working on the compacted segment, and everything survives a restart.
    await node.engine.delete(1, [0n, 2n]);
    await node.engine.insert(1, [{ partitionId: 10, batch: batch(1, 1) }]);
    await node.close();
    node = await open(dir);
    assert.deepEqual(liveKeys(node.engine), [1, ...evens.filter((k) => k > 2)]);
    await node.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

for (const step of [
  'compaction:file-written',
  'compaction:manifest-committed',
  'compaction:old-files-removed',
  'seal:file-written',
  'seal:manifest-committed',
] as const) {
  test(`a crash at ${step} loses nothing and duplicates nothing`, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'quiver-compact-crash-'));
    try {
      let node = await open(dir);
      await populate(node.engine);
      await node.close();
      let armed = true;
      node = await open(dir, (current) => {
        if (armed && current === step) {
          armed = false;
          throw new Error(`injected crash at ${step}`);
        }
      });
      if (step.startsWith('seal')) {
        await node.engine.insert(1, [{ partitionId: 10, batch: batch(1000, 50) }]);
        await assert.rejects(node.engine.flush([1]), /injected crash/);
      } else {
        await assert.rejects(node.engine.compact(1), /injected crash/);
      }
      await node.close();
      node = await open(dir);
      const expected = step.startsWith('seal')
        ? [...evens, ...Array.from({ length: 50 }, (_, i) => 1000 + i)]
        : evens;
      const keys = Array.from({ length: 1100 }, (_, i) => BigInt(i));
      const found = node.engine
        .collection(1)
        .lookup(keys)
        .map((ref) => Number((ref.segment.column('id')!.values as BigInt64Array)[ref.row]))
        .sort((a, b) => a - b);
      assert.deepEqual(found, expected);
      assert.equal(node.engine.collection(1).liveRows(), expected.length, 'no duplicate live rows');
      // The directory holds only files the manifest lists.
      const files = await readdir(join(dir, 'collections', '1'));
      const ids = new Set(
        node.engine
          .collection(1)
          .segments()
          .filter((s) => s.state === 'sealed')
          .map((s) => String(s.id)),
      );
      for (const file of files) assert.ok(ids.has(file.split('.')[0]!), `unlisted file ${file} was removed`);
      await node.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}
