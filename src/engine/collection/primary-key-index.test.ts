import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Segment } from '../segment/segment.js';
import { Int64KeyTable } from './int64-key-table.js';
import { type ClashResolver, type PkValue, PrimaryKeyIndex } from './primary-key-index.js';
import { hashString, StringKeyTable } from './string-key-table.js';

/** xorshift32: deterministic, so a failing sequence reproduces from its seed. */
function seededRandom(seed: number): () => number {
  let state = seed | 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;
/** Values at the edges of each 32-bit word, where a word-wise key comparison could go wrong. */
const extremeKeys = [
  0n,
  -1n,
  1n,
  int64Min,
  int64Max,
  int64Min + 1n,
  int64Max - 1n,
  2n ** 31n,
  -(2n ** 31n),
  2n ** 32n,
  -(2n ** 32n),
  2n ** 32n - 1n,
  2n ** 32n + 1n,
  BigInt.asIntN(64, 0xffffffffn << 32n),
  BigInt.asIntN(64, 0x8000000000000000n | 0xffffffffn),
];

/** A pool mixing small, extreme, and random keys; small enough that keys recur often. */
function int64Pool(random: () => number, size: number): bigint[] {
  const pool = [...extremeKeys];
  while (pool.length < size) {
    const high = BigInt(Math.floor(random() * 2 ** 32));
    const low = BigInt(Math.floor(random() * 2 ** 32));
    pool.push(
      random() < 0.5 ? BigInt(Math.floor(random() * 1000) - 500) : BigInt.asIntN(64, (high << 32n) | low),
    );
  }
  return [...new Set(pool)];
}

function stringPool(random: () => number, size: number): string[] {
  const pool = new Set(['', ' ', 'a', 'A', 'é', '😀', 'key-0', '0', 'null', 'undefined', '__proto__']);
  while (pool.size < size) {
    const length = 1 + Math.floor(random() * 12);
    let key = '';
    for (let i = 0; i < length; i++) key += String.fromCharCode(48 + Math.floor(random() * 75));
    pool.add(key);
  }
  return [...pool];
}

interface ModelRef {
  segment: Segment;
  row: number;
}

/** A deterministic clash rule that both sides apply: keep the new row unless the rows sum to 0 mod 3. */
const takesIncoming = (existingRow: number, incomingRow: number) => (existingRow + incomingRow) % 3 !== 0;

/**
 * Random add / bulk add / replace / delete / drop-partition operations against a Map model, checking
 * every key of the pool after each step and that the index refers to exactly the model's segments.
 */
function runAgainstModel<K extends PkValue>(
  keyType: 'int64' | 'varchar',
  pool: readonly K[],
  makeColumn: (keys: K[]) => BigInt64Array | string[],
  seed: number,
  steps: number,
): void {
  const random = seededRandom(seed);
  const index = new PrimaryKeyIndex(keyType);
  const model = new Map<PkValue, ModelRef>();
  const segments: Segment[] = [];
  let nextSegmentId = 1n;
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const newSegment = () => {
    const segment = Segment.growing(nextSegmentId++, Math.floor(random() * 3), []);
    segments.push(segment);
    return segment;
  };
  const resolver: ClashResolver = (_existing, existingRow, _incoming, incomingRow) =>
    takesIncoming(existingRow, incomingRow);
  const checkedResolver =
    (key: () => PkValue): ClashResolver =>
    (existing, existingRow, incoming, incomingRow) => {
      const expected = model.get(key());
      assert.ok(expected, 'a clash is reported only for a present key');
      assert.equal(existing, expected.segment);
      assert.equal(existingRow, expected.row);
      return resolver(existing, existingRow, incoming, incomingRow);
    };

  for (let step = 0; step < steps; step++) {
    const operation = random();
    if (operation < 0.35) {
      const key = pick(pool);
      const segment = segments.length > 0 && random() < 0.8 ? pick(segments) : newSegment();
      const row = Math.floor(random() * 1000);
      index.add(
        key,
        segment,
        row,
        checkedResolver(() => key),
      );
      const existing = model.get(key);
      if (!existing || takesIncoming(existing.row, row)) model.set(key, { segment, row });
    } else if (operation < 0.5) {
      // Bulk: a column with repeated keys and some rows marked deleted.
      const segment = segments.length > 0 && random() < 0.5 ? pick(segments) : newSegment();
      const firstRow = Math.floor(random() * 100);
      const keys = Array.from({ length: Math.floor(random() * 40) }, () => pick(pool));
      const deleteTimestamps = new BigUint64Array(firstRow + keys.length);
      // Half the timestamps have a zero low word, half a zero high word: either must count as set.
      for (let i = 0; i < keys.length; i++) {
        if (random() < 0.2) deleteTimestamps[firstRow + i] = BigInt(1 + i) << (random() < 0.5 ? 32n : 0n);
      }
      let current: PkValue | undefined;
      const resolve = checkedResolver(() => current!);
      const skipDeletes = random() < 0.3;
      // Each clash is checked against the model as it was before that row: replay row by row.
      const rowsInOrder: Array<{ key: K; row: number }> = [];
      for (let i = 0; i < keys.length; i++) {
        if (!skipDeletes && deleteTimestamps[firstRow + i] !== 0n) continue;
        rowsInOrder.push({ key: keys[i]!, row: firstRow + i });
      }
      let next = 0;
      index.addSegmentKeys(
        segment,
        firstRow,
        makeColumn(keys),
        skipDeletes ? undefined : deleteTimestamps,
        (existing, existingRow, incoming, incomingRow) => {
          // Bring the model up to this row (rows without a clash were added silently).
          while (rowsInOrder[next]!.row !== incomingRow) {
            const { key, row } = rowsInOrder[next++]!;
            assert.equal(model.has(key), false, 'a row without a clash had a new key');
            model.set(key, { segment, row });
          }
          current = rowsInOrder[next]!.key;
          const takes = resolve(existing, existingRow, incoming, incomingRow);
          if (takes) model.set(current, { segment, row: incomingRow });
          next++;
          return takes;
        },
      );
      for (; next < rowsInOrder.length; next++) {
        const { key, row } = rowsInOrder[next]!;
        model.set(key, { segment, row });
      }
    } else if (operation < 0.65) {
      const key = pick(pool);
      const entry = index.find(key);
      assert.equal(entry >= 0, model.has(key));
      if (entry >= 0) {
        const segment = random() < 0.7 ? pick(segments) : newSegment();
        const row = Math.floor(random() * 1000);
        index.replaceAt(entry, segment, row);
        model.set(key, { segment, row });
      }
    } else if (operation < 0.97) {
      const key = pick(pool);
      assert.equal(index.delete(key), model.delete(key));
    } else {
      const partitionId = Math.floor(random() * 3);
      let expected = 0;
      for (const [key, ref] of model) {
        if (ref.segment.partitionId !== partitionId) continue;
        model.delete(key);
        expected++;
      }
      assert.equal(index.deletePartition(partitionId), expected);
    }

    assert.equal(index.size, model.size, `size after step ${step}`);
    if (step % 7 === 0 || step === steps - 1) {
      for (const key of pool) {
        const expected = model.get(key);
        const actual = index.get(key);
        if (!expected) {
          assert.equal(actual, undefined, `key ${String(key)} after step ${step}`);
        } else {
          assert.ok(actual, `key ${String(key)} missing after step ${step}`);
          assert.equal(actual.segment, expected.segment);
          assert.equal(actual.row, expected.row);
        }
      }
      const referenced = new Set(index.referencedSegments());
      const live = new Set([...model.values()].map((ref) => ref.segment));
      assert.deepEqual(referenced, live, `segments referenced after step ${step}`);
    }
  }
}

describe('PrimaryKeyIndex (Int64 keys)', () => {
  test('random operations match a Map model (small pool: many clashes, deletes and reinserts)', () => {
    for (const seed of [1, 2, 3]) {
      const pool = int64Pool(seededRandom(seed * 101), 60);
      runAgainstModel('int64', pool, (keys) => BigInt64Array.from(keys), seed, 3000);
    }
  });

  test('random operations match a Map model (large pool: many resizes)', () => {
    const pool = int64Pool(seededRandom(7), 5000);
    runAgainstModel('int64', pool, (keys) => BigInt64Array.from(keys), 7, 4000);
  });

  test('a key outside the Int64 range or of another type is absent, not an alias', () => {
    const index = new PrimaryKeyIndex('int64');
    const segment = Segment.growing(1n, 0, []);
    const never = () => assert.fail('no clash expected');
    index.add(0n, segment, 0, never);
    index.add(int64Min, segment, 1, never);
    index.add(5n, segment, 2, never);
    assert.equal(index.get(2n ** 64n), undefined); // wraps to 0n on a BigInt64Array store
    assert.equal(index.get(2n ** 63n), undefined); // wraps to int64Min
    assert.equal(index.get('5'), undefined);
    assert.equal(index.get(5 as unknown as bigint), undefined);
    assert.equal(index.get(int64Min)?.row, 1);
    assert.throws(() => index.add(2n ** 63n, segment, 3, never), TypeError);
    assert.throws(() => index.add('x', segment, 3, never), TypeError);
    assert.throws(() => index.addSegmentKeys(segment, 0, ['x'], undefined, never), TypeError);
    assert.equal(index.size, 3);
    assert.deepEqual(index.referencedSegments(), [segment]);
  });

  test('bulk loading a million sequential keys, then finding each', () => {
    const index = new PrimaryKeyIndex('int64');
    const segment = Segment.growing(1n, 0, []);
    const count = 1_000_000;
    const keys = new BigInt64Array(count);
    for (let i = 0; i < count; i++) keys[i] = BigInt(i) * 4096n - 2n ** 40n;
    index.addSegmentKeys(segment, 0, keys, undefined, () => assert.fail('no clash expected'));
    assert.equal(index.size, count);
    for (let i = 0; i < count; i += 997) assert.equal(index.rowAt(index.find(keys[i]!)), i);
    assert.equal(index.find(1n), -1);
  });
});

/** Both key tables, each with a source of distinct random keys. */
const tableKinds = [
  {
    name: 'Int64KeyTable',
    create: () => new Int64KeyTable() as Int64KeyTable | StringKeyTable,
    randomKeys: (random: () => number, count: number): PkValue[] => {
      const keys = new Set<bigint>();
      while (keys.size < count)
        keys.add(BigInt.asIntN(64, BigInt(Math.floor(random() * 2 ** 53)) * 2654435761n));
      return [...keys];
    },
    sequentialKey: (i: number): PkValue => BigInt(i) << 32n,
  },
  {
    name: 'StringKeyTable',
    create: () => new StringKeyTable() as Int64KeyTable | StringKeyTable,
    randomKeys: (random: () => number, count: number): PkValue[] => stringPool(random, count + 11).slice(11),
    sequentialKey: (i: number): PkValue => `row-${i}`,
  },
];

for (const kind of tableKinds) {
  // The tables share one interface; the casts let a test drive either with PkValue keys.
  type AnyTable = {
    capacity: number;
    size: number;
    find(key: PkValue): number;
    insert(key: PkValue, slot: number, row: number): number;
    delete(key: PkValue): number;
    slotAt(entry: number): number;
    rowAt(entry: number): number;
    deleteSlots(dropped: Uint8Array): number;
  };
  const create = () => kind.create() as unknown as AnyTable;

  describe(kind.name, () => {
    test('clusters that wrap around a small table survive deletion in any order', () => {
      const random = seededRandom(11);
      for (let round = 0; round < 300; round++) {
        // Up to 12 keys in 16 positions (the grow limit): long clusters, most of them wrapping.
        const table = create();
        const model = new Map<PkValue, number>();
        const pool = kind.randomKeys(random, 30);
        for (let step = 0; step < 200; step++) {
          const key = pool[Math.floor(random() * pool.length)]!;
          if (random() < 0.55 && model.size < 12) {
            const existing = table.insert(key, 0, step);
            assert.equal(existing >= 0, model.has(key));
            if (existing < 0) model.set(key, step);
          } else {
            assert.equal(table.delete(key) >= 0, model.delete(key));
          }
          assert.equal(table.capacity, 16);
          assert.equal(table.size, model.size);
          for (const candidate of pool) {
            const entry = table.find(candidate);
            assert.equal(entry < 0 ? undefined : table.rowAt(entry), model.get(candidate));
          }
        }
      }
    });

    test('deleteSlots removes exactly the dropped slots, including entries that wrap around', () => {
      const random = seededRandom(12);
      for (let round = 0; round < 300; round++) {
        const table = create();
        const model = new Map<PkValue, number>();
        for (const key of kind.randomKeys(random, 12)) {
          const slot = Math.floor(random() * 3);
          table.insert(key, slot, 0);
          model.set(key, slot);
        }
        const dropped = Uint8Array.from([0, 1, 2], () => (random() < 0.5 ? 1 : 0));
        let expected = 0;
        for (const [key, slot] of model) {
          if (dropped[slot] !== 1) continue;
          model.delete(key);
          expected++;
        }
        assert.equal(table.deleteSlots(dropped), expected);
        assert.equal(table.size, model.size);
        for (const [key, slot] of model) assert.equal(table.slotAt(table.find(key)), slot);
      }
    });

    test('grows by powers of two and keeps every key', () => {
      const table = create();
      for (let i = 0; i < 100_000; i++) assert.equal(table.insert(kind.sequentialKey(i), i % 5, i), -1);
      assert.equal(table.capacity, 2 ** 18);
      for (let i = 0; i < 100_000; i++) {
        const entry = table.find(kind.sequentialKey(i));
        assert.equal(table.rowAt(entry), i);
        assert.equal(table.slotAt(entry), i % 5);
      }
    });
  });
}

test('StringKeyTable tells apart keys whose 32-bit hashes are equal', () => {
  // A birthday search: among 300,000 random keys, ~10 pairs share a 32-bit hash.
  const random = seededRandom(13);
  const byHash = new Map<number, string>();
  let pair: [string, string] | undefined;
  for (let i = 0; i < 300_000 && !pair; i++) {
    const key = Math.floor(random() * 2 ** 32).toString(36) + Math.floor(random() * 2 ** 32).toString(36);
    const other = byHash.get(hashString(key));
    if (other !== undefined && other !== key) pair = [other, key];
    byHash.set(hashString(key), key);
  }
  assert.ok(pair, 'no colliding pair found');
  const [first, second] = pair;
  const table = new StringKeyTable();
  assert.equal(table.insert(first, 0, 1), -1);
  assert.equal(table.find(second), -1);
  assert.equal(table.insert(second, 0, 2), -1);
  assert.equal(table.rowAt(table.find(first)), 1);
  assert.equal(table.rowAt(table.find(second)), 2);
  assert.equal(table.delete(first), 0);
  assert.equal(table.find(first), -1);
  assert.equal(table.rowAt(table.find(second)), 2);
});

test('tables sized for a million keys take 2^21 entries', () => {
  assert.equal(new Int64KeyTable(1_000_000).capacity, 2 ** 21);
  assert.equal(new StringKeyTable(1_000_000).capacity, 2 ** 21);
});

describe('PrimaryKeyIndex (VarChar keys)', () => {
  test('random operations match a Map model', () => {
    for (const seed of [4, 5]) {
      const pool = stringPool(seededRandom(seed), 80);
      runAgainstModel('varchar', pool, (keys) => keys, seed, 3000);
    }
  });

  test('many keys: bulk add, delete half, reinsert, find all', () => {
    const index = new PrimaryKeyIndex('varchar');
    const first = Segment.growing(1n, 0, []);
    const second = Segment.growing(2n, 1, []);
    const keys = Array.from({ length: 200_000 }, (_, i) => `user-${i.toString(36)}-${i % 7}`);
    index.addSegmentKeys(first, 0, keys, undefined, () => assert.fail('no clash expected'));
    for (let i = 0; i < keys.length; i += 2) assert.equal(index.delete(keys[i]!), true);
    assert.equal(index.size, keys.length / 2);
    // Re-adding every key: the deleted half comes back in `second`, the rest clash (and stay).
    index.addSegmentKeys(second, 0, keys, undefined, () => false);
    assert.equal(index.size, keys.length);
    for (let i = 0; i < keys.length; i++) {
      const ref = index.get(keys[i]!);
      assert.equal(ref?.segment, i % 2 === 0 ? second : first);
      assert.equal(ref?.row, i);
    }
    assert.equal(index.get(0n), undefined);
    assert.equal(index.deletePartition(0), keys.length / 2);
    assert.deepEqual(index.referencedSegments(), [second]);
  });
});

describe('PrimaryKeyIndex slots', () => {
  test('a segment is released once no key points at it, and its slot is reused', () => {
    const index = new PrimaryKeyIndex('int64');
    const a = Segment.growing(1n, 0, []);
    const b = Segment.growing(2n, 0, []);
    const c = Segment.growing(3n, 0, []);
    const keep = () => true;
    index.addSegmentKeys(a, 0, BigInt64Array.from([1n, 2n]), undefined, keep);
    index.addSegmentKeys(b, 0, BigInt64Array.from([1n, 2n]), undefined, keep);
    assert.deepEqual(index.referencedSegments(), [b]);
    // A column whose only row is deleted does not pin its segment.
    index.addSegmentKeys(c, 0, BigInt64Array.from([3n]), BigUint64Array.from([9n]), keep);
    assert.deepEqual(index.referencedSegments(), [b]);
    // Duplicate keys inside one column: the last row wins and the segment stays referenced.
    index.addSegmentKeys(c, 0, BigInt64Array.from([7n, 7n, 7n]), undefined, keep);
    assert.equal(index.get(7n)?.row, 2);
    assert.equal(index.get(7n)?.segment, c);
    assert.deepEqual(new Set(index.referencedSegments()), new Set([b, c]));
    index.replaceAt(index.find(1n), c, 10);
    index.replaceAt(index.find(2n), c, 11);
    assert.deepEqual(index.referencedSegments(), [c]);
  });
});
