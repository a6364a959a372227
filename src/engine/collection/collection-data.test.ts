import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  type CollectionSchema,
  type Column,
  type ColumnBatch,
  DataType,
  makeFieldSchema,
} from '../../schema/index.js';
import { Segment } from '../segment/segment.js';
import { CollectionData, type PkValue, type RowRef } from './collection-data.js';

const field = makeFieldSchema;

/** The same collection with an Int64 or a VarChar primary key, and a tag to tell rows apart. */
const keyTypes = [
  {
    name: 'Int64',
    pkType: DataType.Int64,
    key: (n: number): PkValue => BigInt(n) - 2n ** 62n,
    column: (keys: PkValue[]): Column => ({
      type: DataType.Int64,
      values: BigInt64Array.from(keys as bigint[]),
    }),
  },
  {
    name: 'VarChar',
    pkType: DataType.VarChar,
    key: (n: number): PkValue => `key-${n}`,
    column: (keys: PkValue[]): Column => ({ type: DataType.VarChar, values: keys as string[] }),
  },
] as const;

for (const keyType of keyTypes) {
  const schema: CollectionSchema = {
    name: 'c',
    description: '',
    autoId: false,
    enableDynamicField: false,
    functions: [],
    fields: [
      field('id', keyType.pkType, { isPrimaryKey: true, typeParams: { max_length: '64' } }),
      field('tag', DataType.VarChar, { typeParams: { max_length: '64' } }),
    ],
  };
  const k = keyType.key;

  function batch(keys: number[], tag: string): ColumnBatch {
    return {
      numRows: keys.length,
      columns: new Map<string, Column>([
        ['id', keyType.column(keys.map(k))],
        ['tag', { type: DataType.VarChar, values: keys.map((n) => `${tag}${n}`) }],
      ]),
    } as ColumnBatch;
  }

  /** A sealed segment as loaded from a file: rows `keys` inserted at `timestamps`. */
  function loadedSegment(
    id: bigint,
    partitionId: number,
    keys: number[],
    timestamps: bigint[],
    tag: string,
  ): Segment {
    return Segment.fromFile(id, partitionId, {
      columns: new Map<string, Column>([
        ['id', keyType.column(keys.map(k))],
        ['tag', { type: DataType.VarChar, values: keys.map((n) => `${tag}${n}`) }],
      ]),
      insertTimestamps: BigUint64Array.from(timestamps),
      numRows: keys.length,
    });
  }

  const tagOf = (ref: RowRef) => (ref.segment.column('tag')!.values as string[])[ref.row];
  const tags = (data: CollectionData, keys: number[], partitions?: ReadonlySet<number>) =>
    data.lookup(keys.map(k), partitions).map(tagOf);

  describe(`CollectionData with a ${keyType.name} primary key`, () => {
    test('an upsert supersedes the older row, whichever arrives first', () => {
      const data = new CollectionData(1, schema, [10, 11]);
      data.applyInsert(10, batch([1, 2, 3], 'a'), 100n, 1n);
      data.applyInsert(11, batch([2], 'b'), 200n, 2n); // newer: replaces a2
      data.applyInsert(10, batch([3], 'c'), 50n, 3n); // older than a3: stays deleted itself
      assert.deepEqual(tags(data, [1, 2, 3]), ['a1', 'b2', 'a3']);
      assert.equal(data.liveRows(), 3);
      const [first, second] = data.segments();
      assert.equal(first!.deleteTimestamp(1), 200n); // a2, at b2's timestamp
      assert.equal(first!.deleteTimestamp(3), 100n); // c3, at a3's timestamp
      assert.equal(second!.deleteTimestamp(0), 0n);
      assert.equal(first!.oldestUnpersistedDeleteLsn, 2n);
    });

    test('the last of duplicate keys in one batch wins', () => {
      const data = new CollectionData(1, schema, [10]);
      data.applyInsert(10, { numRows: 3, columns: batch([5, 5, 5], 'x').columns } as ColumnBatch, 100n, 1n);
      const segment = data.segments()[0]!;
      assert.deepEqual(data.lookup([k(5)]), [{ segment, row: 2 }]);
      assert.equal(data.liveRows(), 1);
    });

    test('delete honours timestamps and the partition restriction; lookup dedupes and filters', () => {
      const data = new CollectionData(1, schema, [10, 11]);
      data.applyInsert(10, batch([1, 2], 'a'), 100n, 1n);
      data.applyInsert(11, batch([3, 4], 'b'), 100n, 2n);
      assert.equal(data.applyDelete([k(1)], 100n, 3n), 0); // not inserted before the delete
      assert.equal(data.applyDelete([k(1), k(3), k(99)], 150n, 4n, 10), 1); // k(3) is in partition 11
      assert.deepEqual(tags(data, [1, 2, 3, 4]), ['a2', 'b3', 'b4']);
      assert.deepEqual(tags(data, [4, 3, 4, 2, 3], new Set([11])), ['b4', 'b3']);
      assert.equal(data.applyDelete([k(1)], 160n, 5n), 0); // already gone
      // A key inserted again after its delete is live again.
      data.applyInsert(10, batch([1], 'c'), 170n, 6n);
      assert.deepEqual(tags(data, [1]), ['c1']);
    });

    test('loaded segments skip deleted rows and resolve shared keys by timestamp, in any load order', () => {
      for (const order of [
        [0, 1],
        [1, 0],
      ]) {
        const data = new CollectionData(1, schema, [10]);
        const segments = [
          loadedSegment(1n, 10, [1, 2, 3], [100n, 100n, 100n], 'old'),
          loadedSegment(2n, 10, [2, 3, 4], [200n, 200n, 200n], 'new'),
        ];
        segments[1]!.markDeleted(1, 300n, 0n); // new3 was deleted, and the delete file says so
        for (const i of order) data.addLoadedSegment(segments[i]!);
        assert.deepEqual(tags(data, [1, 2, 3, 4]), ['old1', 'new2', 'old3', 'new4']);
        assert.equal(segments[0]!.deleteTimestamp(1), 200n); // old2 superseded by new2
        assert.equal(segments[0]!.unpersistedDeletes, 0); // load-time deletes carry LSN 0
        assert.equal(data.liveRows(), 4);
      }
    });

    test('removePartition drops the keys of that partition only', () => {
      const data = new CollectionData(1, schema, [10, 11]);
      data.applyInsert(10, batch([1, 2], 'a'), 100n, 1n);
      data.applyInsert(11, batch([3, 4], 'b'), 100n, 2n);
      assert.equal(data.removePartition(10)?.id, 10);
      assert.deepEqual(tags(data, [1, 2, 3, 4]), ['b3', 'b4']);
      // The keys can come back, in another partition.
      data.applyInsert(11, batch([1], 'c'), 200n, 3n);
      assert.deepEqual(tags(data, [1, 2, 3]), ['c1', 'b3']);
      assert.equal(data.removePartition(10), undefined);
    });

    test('replaceSegments moves live keys to the merged rows and carries later deletes over', () => {
      const data = new CollectionData(1, schema, [10]);
      data.applyInsert(10, batch([1, 2, 3], 'a'), 100n, 1n);
      const first = data.segments()[0]!;
      first.freeze();
      data.applyInsert(10, batch([4, 5], 'b'), 110n, 2n);
      const second = data.segments()[1]!;
      second.freeze();
      assert.equal(data.applyDelete([k(2)], 120n, 3n), 1);
      // Compaction copied the live rows (a1, a3, b4, b5); b5 is deleted while it runs.
      const kept = [Uint32Array.from([0, 2]), Uint32Array.from([0, 1])];
      const merged = loadedSegment(9n, 10, [1, 3, 4, 5], [100n, 100n, 110n, 110n], 'm');
      assert.equal(data.applyDelete([k(5)], 130n, 4n), 1);
      data.replaceSegments(10, [first, second], kept, merged);
      assert.deepEqual(data.segments(), [merged]);
      assert.deepEqual(tags(data, [1, 2, 3, 4, 5]), ['m1', 'm3', 'm4']);
      assert.equal(merged.deleteTimestamp(3), 130n);
      assert.equal(data.liveRows(), 3);
      // The merged segment is indexed like any other: an upsert supersedes its row.
      data.applyInsert(10, batch([3], 'c'), 140n, 5n);
      assert.deepEqual(tags(data, [3]), ['c3']);
      assert.equal(merged.deleteTimestamp(1), 140n);
    });

    test('rejects a batch whose primary-key column is missing or of the other key type', () => {
      const data = new CollectionData(1, schema, [10]);
      const wrongType: Column =
        keyType.pkType === DataType.Int64
          ? { type: DataType.VarChar, values: ['1'] }
          : { type: DataType.Int64, values: BigInt64Array.from([1n]) };
      const tag: Column = { type: DataType.VarChar, values: ['t'] };
      assert.throws(
        () => data.applyInsert(10, { numRows: 1, columns: new Map([['tag', tag]]) } as ColumnBatch, 1n, 1n),
        /lacks primary key column id/,
      );
      assert.throws(
        () =>
          data.applyInsert(
            10,
            {
              numRows: 1,
              columns: new Map([
                ['id', wrongType],
                ['tag', tag],
              ]),
            } as ColumnBatch,
            1n,
            1n,
          ),
        /primary key column id of type/,
      );
      assert.equal(data.segments().length, 0); // nothing was appended
    });
  });
}
