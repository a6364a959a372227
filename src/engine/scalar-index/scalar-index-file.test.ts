import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { intValue } from '../../expr/generic-value.js';
import { type Column, DataType } from '../../schema/index.js';
import { writeFileAtomic } from '../../storage/local/write-file-atomic.js';
import { bitmapIndexFactory } from './bitmap-index.js';
import { invertedIndexFactory } from './inverted-index.js';
import type { ScalarIndexFactory } from './scalar-index.js';
import { bytesOf, encodeScalarIndexFile, scalarIndexFileFormat } from './scalar-index-file.js';
import { ScalarIndexFileCorruptError } from './scalar-index-file-corrupt-error.js';
import { deserializeScalarIndex, scalarIndexFactory } from './scalar-index-registry.js';
import { columnRef, concat, randomArrayColumn, randomScalarColumn } from './scalar-index-test-support.js';
import { stlSortIndexFactory } from './stl-sort-index.js';
import { trieIndexFactory } from './trie-index.js';

const options = { numRows: 90, nullable: true, highCardinality: false, seed: 5 };

/** A small file of each index type, over columns with nulls, unicode strings and repeats. */
const samples: { factory: ScalarIndexFactory; column: Column }[] = [
  { factory: invertedIndexFactory, column: randomScalarColumn(DataType.Double, options) },
  { factory: invertedIndexFactory, column: randomArrayColumn(DataType.VarChar, options) },
  { factory: stlSortIndexFactory, column: randomScalarColumn(DataType.Int64, options) },
  { factory: stlSortIndexFactory, column: randomScalarColumn(DataType.VarChar, options) },
  { factory: trieIndexFactory, column: randomScalarColumn(DataType.VarChar, options) },
  { factory: bitmapIndexFactory, column: randomScalarColumn(DataType.Int16, options) },
  { factory: bitmapIndexFactory, column: randomArrayColumn(DataType.Int64, options) },
];

function corruption(run: () => unknown): ScalarIndexFileCorruptError {
  try {
    run();
  } catch (error) {
    if (error instanceof ScalarIndexFileCorruptError) {
      assert.equal(error.kind, 'IoFailed');
      assert.equal(error.code, 1001);
      return error;
    }
    throw error;
  }
  assert.fail('a damaged file was accepted');
}

test('every index type loads what it wrote, through the registry too', () => {
  for (const { factory, column } of samples) {
    const bytes = concat(factory.build(column).serialize());
    assert.deepEqual(bytes.subarray(0, 8), new Uint8Array(scalarIndexFileFormat.magic));
    assert.equal(bytes.byteLength % 4, 0);
    const loaded = deserializeScalarIndex(bytes, 'x.qidx');
    assert.equal(loaded.type, factory.type);
    assert.deepEqual(concat(loaded.serialize()), bytes);
    assert.equal(scalarIndexFactory(factory.type), factory);
  }
});

test('a file cut short anywhere is reported as corrupt, never misread', () => {
  for (const { factory, column } of samples) {
    const bytes = concat(factory.build(column).serialize());
    const cuts = [
      0,
      1,
      7,
      8,
      11,
      12,
      36,
      39,
      40,
      41,
      48,
      bytes.length >> 1,
      bytes.length - 5,
      bytes.length - 4,
      bytes.length - 1,
    ];
    for (const length of cuts) {
      const error = corruption(() => factory.deserialize(bytes.slice(0, length), 'segments/9.101.qidx'));
      assert.match(error.message, /^IO failed: scalar index file segments\/9\.101\.qidx is corrupt: /);
      if (length >= 12) assert.match(error.defect, /^truncated/, `cut at ${length}`);
    }
  }
});

test('any flipped byte is detected', () => {
  for (const { factory, column } of samples) {
    const bytes = concat(factory.build(column).serialize());
    for (let at = 0; at < bytes.length; at++) {
      const damaged = bytes.slice();
      damaged[at]! ^= 0x5a;
      const error = corruption(() => factory.deserialize(damaged));
      const expected =
        at < 8
          ? /^bad magic$/
          : at < 12
            ? /^unknown format version/
            : at < 40
              ? /^header checksum mismatch$/
              : /^payload checksum mismatch$/;
      assert.match(error.defect, expected, `${factory.type}: byte ${at} of ${bytes.length}`);
    }
  }
});

test('extra bytes, another index type and an unknown version are named', () => {
  const { factory, column } = samples[0]!;
  const bytes = concat(factory.build(column).serialize());
  const longer = concat([bytes, new Uint8Array(1)]);
  assert.match(corruption(() => factory.deserialize(longer)).defect, /^unexpected bytes after the end/);
  assert.equal(
    corruption(() => bitmapIndexFactory.deserialize(bytes)).defect,
    'index type is INVERTED, expected BITMAP',
  );
  const newer = bytes.slice();
  newer[8] = 2;
  assert.equal(corruption(() => factory.deserialize(newer)).defect, 'unknown format version 2');
  assert.equal(
    corruption(() => factory.deserialize(bytes.slice(0, 20))).message,
    'IO failed: scalar index file is corrupt: truncated: 20 bytes, the header alone takes 40',
  );
});

/** A file whose checksums are right but whose content contradicts itself (a writer bug). */
function inverted(sections: Uint8Array[], numRows = 4, dataType = DataType.Int32): Uint8Array {
  return concat(
    encodeScalarIndexFile({ indexType: 'INVERTED', dataType, elementType: DataType.None, numRows }, sections),
  );
}

test('a well-checksummed file with an inconsistent structure is rejected, naming the section', () => {
  const u32 = (...values: number[]) => bytesOf(Uint32Array.from(values));
  const i32 = (...values: number[]) => bytesOf(Int32Array.from(values));
  const none = new Uint8Array(0);
  const good = [none, none, i32(1, 5), u32(0, 2, 3), u32(0, 3, 1)];
  const index = invertedIndexFactory.deserialize(inverted(good));
  const column = { type: DataType.Int32 as const, values: Int32Array.from([1, 5, 9, 1]) };
  assert.deepEqual(
    Array.from(
      index.evaluate({ kind: 'compare', column: columnRef(column), op: '>=', value: intValue(2n) })!,
    ),
    [0, 1, 0, 0],
  );
  const cases: [Uint8Array[], RegExp, number?, DataType?][] = [
    [good.slice(0, 4), /^section 4 \(rows\) is missing$/],
    [[...good, none], /^6 sections, the INVERTED index reads 5$/],
    [
      [none, none, i32(5, 1), u32(0, 2, 3), u32(0, 3, 1)],
      /^section 2 \(keys\) is not in ascending order at 1$/,
    ],
    [
      [none, none, i32(1, 1), u32(0, 2, 3), u32(0, 3, 1)],
      /^section 2 \(keys\) is not in ascending order at 1$/,
    ],
    [[none, none, i32(1, 5), u32(0, 3, 2), u32(0, 3, 1)], /^section 3 \(offsets\) decreases at 2$/],
    [[none, none, i32(1, 5), u32(0, 2), u32(0, 3, 1)], /^section 3 \(offsets\) has 2 offsets, expected 3$/],
    [
      [none, none, i32(1, 5), u32(0, 2, 3), u32(0, 3, 7)],
      /^section 4 \(rows\) holds row 7 out of order or range$/,
    ],
    [
      [none, none, i32(1, 5), u32(0, 2, 3), u32(3, 0, 1)],
      /^section 4 \(rows\) holds row 0 out of order or range$/,
    ],
    [
      [none, none, i32(1, 5), u32(0, 2, 3), u32(0, 3)],
      /^section 4 \(rows\) holds 2 rows, the offsets say 3$/,
    ],
    [
      [u32(2, 2), none, i32(1, 5), u32(0, 2, 3), u32(0, 3, 1)],
      /^section 0 \(null rows\) holds row 2 out of order/,
    ],
    [[none, u32(1), i32(1, 5), u32(0, 2, 3), u32(0, 3, 1)], /^NaN rows in an index of Int32 keys$/],
    [
      [none, none, new Uint8Array(3), u32(0, 2, 3), u32(0, 3, 1)],
      /^section 2 \(keys\) is 3 bytes, not a multiple of 4$/,
    ],
    [good, /^the header names a column type INVERTED does not hold$/, 4, DataType.JSON],
  ];
  for (const [sections, defect, numRows, dataType] of cases) {
    assert.match(
      corruption(() => invertedIndexFactory.deserialize(inverted(sections, numRows, dataType))).defect,
      defect,
    );
  }
});

test('an index written atomically to disk loads back; a truncated file on disk does not', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'quiver-qidx-'));
  try {
    const path = join(dir, '7.101.qidx');
    const { factory, column } = samples[4]!;
    const index = factory.build(column);
    await writeFileAtomic(path, index.serialize());
    const loaded = factory.deserialize(new Uint8Array(await readFile(path)), path);
    assert.deepEqual(concat(loaded.serialize()), concat(index.serialize()));
    await truncate(path, 100);
    const error = corruption(() => factory.deserialize(new Uint8Array(readFileSync(path)), path));
    assert.equal(error.source, path);
    assert.match(error.message, /is corrupt: truncated: 100 bytes, the header declares \d+$/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('BITMAP and Trie files are checked container by container and key by key', () => {
  const u32 = (...values: number[]) => bytesOf(Uint32Array.from(values));
  const none = new Uint8Array(0);
  const bitmap = (kinds: number[], offsets: number[], words: number[], numRows = 40) =>
    concat(
      encodeScalarIndexFile(
        { indexType: 'BITMAP', dataType: DataType.Int32, elementType: DataType.None, numRows },
        [
          none,
          none,
          bytesOf(Int32Array.from([3, 4])),
          Uint8Array.from(kinds),
          u32(...offsets),
          u32(...words),
        ],
      ),
    );
  // 40 rows: a bitmap takes 2 words.
  assert.equal(bitmapIndexFactory.deserialize(bitmap([1, 0], [0, 2, 3], [5, 0, 39])).numRows, 40);
  const defect = (bytes: Uint8Array) => corruption(() => bitmapIndexFactory.deserialize(bytes)).defect;
  assert.equal(defect(bitmap([2, 0], [0, 2, 3], [5, 0, 39])), 'container 0 has unknown kind 2');
  assert.equal(defect(bitmap([1, 0], [0, 1, 2], [5, 39])), 'container 0 is a bitmap of 1 words, not 2');
  assert.equal(defect(bitmap([1, 0], [0, 2, 3], [5, 0x100, 39])), 'container 0 has bits past the last row');
  assert.equal(
    defect(bitmap([1, 0], [0, 2, 3], [5, 0, 40])),
    'container 1 lists row 40 out of order or range',
  );
  assert.equal(defect(bitmap([1], [0, 2, 3], [5, 0, 39])), '1 container kinds for 2 keys');

  const trie = (shared: number[], suffixOffsets: number[], suffixes: string) =>
    concat(
      encodeScalarIndexFile(
        { indexType: 'Trie', dataType: DataType.VarChar, elementType: DataType.None, numRows: 2 },
        [
          none,
          none,
          u32(...shared),
          u32(...suffixOffsets),
          new Uint8Array(Buffer.from(suffixes)),
          u32(0, 1, 2),
          u32(0, 1),
        ],
      ),
    );
  assert.equal(trieIndexFactory.deserialize(trie([0, 2], [0, 3, 4], 'abcd')).numRows, 2);
  const trieDefect = (bytes: Uint8Array) => corruption(() => trieIndexFactory.deserialize(bytes)).defect;
  assert.equal(
    trieDefect(trie([0, 4], [0, 3, 4], 'abcd')),
    'front-coded keys: string 1 shares 4 bytes with a string of 3',
  );
  assert.equal(
    trieDefect(trie([1, 0], [0, 3, 4], 'abcd')),
    'front-coded keys: string 0 shares 1 bytes with a string of 0',
  );
  assert.equal(
    trieDefect(trie([0, 0], [0, 3, 4], 'bcda')),
    'front-coded keys are not in ascending order at 1',
  );
  // A repeated key: Trie keys are distinct.
  assert.equal(
    trieDefect(trie([0, 3], [0, 3, 3], 'abc')),
    'front-coded keys are not in ascending order at 1',
  );
});

test('bytes at an unaligned offset (a pooled Buffer) load the same index', () => {
  for (const { factory, column } of samples) {
    const index = factory.build(column);
    const bytes = concat(index.serialize());
    const pool = new Uint8Array(bytes.byteLength + 3);
    pool.set(bytes, 3);
    const loaded = factory.deserialize(pool.subarray(3));
    assert.deepEqual(concat(loaded.serialize()), bytes);
    const leaf = { kind: 'isNotNull' as const, column: columnRef(column) };
    assert.deepEqual(loaded.evaluate(leaf), index.evaluate(leaf));
  }
});
